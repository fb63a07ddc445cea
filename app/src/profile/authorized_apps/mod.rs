//! The Authorized Apps section: the apps the user let into their account,
//! each revocable by them or an admin.

#[cfg(feature = "ssr")]
mod store;

use leptos::prelude::*;

use super::{
    credentials::get_credentials,
    section_screen::{user_field, SectionScreen, SectionView},
};
use crate::{
    components::{FormAlert, FormErrors},
    credentials::Credentials,
    profile::ProfileError,
};

/// Takes back an app's access to the user's account.
#[server(endpoint = "credentials/authorized-apps/revoke")]
pub async fn revoke_authorized_app(
    #[server(default)] user: String,
    #[server(default)] authorization_id: String,
) -> Result<(), ProfileError> {
    use crate::{error::respond, profile::section_call_without_version, state::use_state};

    let (viewer, target) = section_call_without_version(&user).map_err(respond)?;
    let authorization_id = uuid::Uuid::parse_str(authorization_id.trim())
        .map_err(|_| respond(ProfileError::NotFound))?;
    let id = store::revoke_authorized_app(
        &use_state(),
        &viewer,
        target,
        authorization_id,
        &crate::request::RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    crate::profile::redirect_to_section(
        &viewer,
        target,
        id,
        crate::profile::Section::AuthorizedApps,
    );
    Ok(())
}

#[component]
fn AuthorizedAppsSection(
    credentials: Credentials,
    is_self: bool,
    name: String,
    user: String,
    revoke: ServerAction<RevokeAuthorizedApp>,
) -> impl IntoView {
    let error = FormErrors::of(revoke, &[]).form();
    let whose = if is_self {
        "your account".to_owned()
    } else {
        format!("{name}'s account")
    };
    if credentials.authorized_apps.is_empty() {
        return view! {
            <p class="empty-state">
                {format!("No apps are authorized to use {whose}. An app appears here once it is allowed on its authorization page, and its access can be revoked at any time.")}
            </p>
        }
        .into_any();
    }
    view! {
        <p>{format!("These apps can act with {whose}. Revoke any you no longer use.")}</p>
        <FormAlert message=error/>
        <table class="user-table">
            <caption class="visually-hidden">"Authorized apps"</caption>
            <thead>
                <tr>
                    <th scope="col">"App"</th>
                    <th scope="col">"Made by"</th>
                    <th scope="col">"Authorized"</th>
                    <th scope="col">"Last used"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                {credentials.authorized_apps.into_iter().map(|app| {
                    let label = format!("Revoke {}", app.name);
                    let user = user.clone();
                    view! {
                        <tr>
                            <th scope="row">{app.name}</th>
                            <td>{app.maker}</td>
                            <td>{app.authorized}</td>
                            <td>{app.last_used.unwrap_or_else(|| "Never".to_owned())}</td>
                            <td>
                                <ActionForm action=revoke>
                                    <input type="hidden" name="user" value=user/>
                                    <input type="hidden" name="authorization_id" value=app.id.to_string()/>
                                    <button type="submit" class="button" aria-label=label>"Revoke"</button>
                                </ActionForm>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

pub(super) fn section(screen: SectionScreen) -> SectionView {
    let revoke = screen.action::<RevokeAuthorizedApp>();
    let credentials = screen.load(get_credentials);
    SectionView::with_data(credentials, move |profile, credentials| {
        let user = user_field(&profile);
        view! {
            <AuthorizedAppsSection credentials is_self=profile.is_self name=profile.name user revoke/>
        }
        .into_any()
    })
}
