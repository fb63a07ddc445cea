//! The Notifications section: which events reach the user, and how.

#[cfg(feature = "ssr")]
pub mod store;

use leptos::prelude::*;

use super::section_screen::{user_field, SectionScreen, SectionView};
use crate::profile::{ProfileError, ProfileView};
use crate::{
    components::{FormAlert, FormErrors},
    domain::{Channel, NotificationEvent},
};

/// Saves which notifications the user gets: one checkbox per event and
/// channel, sent as "event:channel" keys.
#[server(endpoint = "profile/notifications")]
pub async fn update_notifications(
    #[server(default)] user: String,
    #[server(default)] on: Vec<String>,
    #[server(default)] version: String,
) -> Result<(), ProfileError> {
    use crate::{
        domain::{FieldErrors, NotificationSettings},
        error::respond,
        request::RequestInfo,
        state::use_state,
    };

    let (viewer, target, version) =
        crate::profile::section_call::section_call(&user, &version).map_err(respond)?;
    let settings = NotificationSettings::parse(&on)
        .map_err(|error| respond(ProfileError::Invalid(FieldErrors::single("on", error.0))))?;
    let id = store::save_notifications(
        &use_state(),
        &viewer,
        target,
        &settings,
        version,
        &RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    crate::profile::redirect_to_section(
        &viewer,
        target,
        id,
        crate::profile::Section::Notifications,
    );
    Ok(())
}

pub(super) fn section(screen: SectionScreen) -> SectionView {
    let action = screen.action::<UpdateNotifications>();
    SectionView::new(move |profile| view! { <NotificationsSection profile action/> }.into_any())
}

#[component]
fn NotificationsSection(
    profile: ProfileView,
    action: ServerAction<UpdateNotifications>,
) -> impl IntoView {
    let form_error = FormErrors::of(action, &[]).form();
    let settings = profile.notifications.clone();
    let user = user_field(&profile);
    view! {
        <ActionForm action attr:class="stack">
            <FormAlert message=form_error/>
            <table class="notification-table">
                <caption class="visually-hidden">"Notify me when"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Notify me when"</th>
                        {Channel::ALL.into_iter().map(|channel| view! { <th scope="col">{channel.label()}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {NotificationEvent::ALL.into_iter().map(|event| {
                        let settings = settings.clone();
                        view! {
                            <tr>
                                <th scope="row">{event.label()}</th>
                                {Channel::ALL.into_iter().map(|channel| view! {
                                    <td>
                                        <input
                                            type="checkbox"
                                            name="on[]"
                                            value=crate::domain::notification_key(event, channel)
                                            aria-label=format!("{}: {}", channel.label(), event.label())
                                            checked=settings.is_on(event, channel)
                                        />
                                    </td>
                                }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <input type="hidden" name="user" value=user/>
            <input type="hidden" name="version" value=profile.version.to_string()/>
            <button type="submit" class="button primary" disabled=move || action.pending().get()>"Save"</button>
        </ActionForm>
    }
}
