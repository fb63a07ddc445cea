use leptos::prelude::*;

use super::{ProfileError, ProfileView};
use crate::components::FormAlert;

/// Sets which inboxes a User or Light User may access. Owners and
/// Administrators see every inbox, so theirs is not set here.
#[server(endpoint = "profile/inbox-access")]
pub async fn update_inbox_access(
    #[server(default)] user: String,
    #[server(default)] inboxes: Vec<String>,
    #[server(default)] version: String,
) -> Result<(), ProfileError> {
    use crate::{domain::FieldErrors, error::respond, request::RequestInfo, state::use_state};

    let (viewer, target, version) =
        super::section_call::section_call(&user, &version).map_err(respond)?;
    let mut ids = Vec::with_capacity(inboxes.len());
    for raw in inboxes.iter().take(501) {
        let id = uuid::Uuid::parse_str(raw.trim()).map_err(|_| {
            respond(ProfileError::Invalid(FieldErrors::single(
                "inboxes",
                "Choose inboxes from the list.",
            )))
        })?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let id = super::store::save_inbox_access(
        &use_state(),
        &viewer,
        target,
        &ids,
        version,
        &RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    crate::profile::redirect_to_section(&viewer, target, id, crate::profile::Section::InboxAccess);
    Ok(())
}

#[component]
pub fn InboxAccessSection(
    profile: ProfileView,
    action: ServerAction<UpdateInboxAccess>,
) -> impl IntoView {
    if profile.role.manages_users() {
        return view! {
            <p>"Account Owners and Administrators can see every inbox."</p>
        }
        .into_any();
    }
    let error = move || action.value().get().and_then(Result::err);
    let form_error = Signal::derive(move || error().map(|e| e.to_string()));
    let granted = profile.inbox_ids.clone();
    view! {
        <ActionForm action attr:class="stack narrow-form">
            <FormAlert message=form_error/>
            <fieldset class="field checkbox-group">
                <legend>"Inboxes this user can access"</legend>
                {profile.inboxes.iter().map(|inbox| view! {
                    <label class="checkbox">
                        <input type="checkbox" name="inboxes[]" value=inbox.id.to_string() checked={granted.contains(&inbox.id)}/>
                        {inbox.name.clone()}
                        <span class="muted">" " {inbox.email.clone()}</span>
                    </label>
                }).collect_view()}
            </fieldset>
            <input type="hidden" name="user" value=profile.user_id.to_string()/>
            <input type="hidden" name="version" value=profile.version.to_string()/>
            <button type="submit" class="button primary" disabled=move || action.pending().get()>"Save"</button>
        </ActionForm>
    }
    .into_any()
}
