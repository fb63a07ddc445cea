//! The Inbox Access section: which inboxes a User or Light User may see.

#[cfg(feature = "ssr")]
pub mod store;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::section_screen::{SectionScreen, SectionView};
use crate::profile::{ProfileError, ProfileView};
use crate::{
    components::{FormAlert, FormErrors},
    users::InboxChoice,
};

/// Every inbox of the account, and those the user may access.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxAccess {
    pub inboxes: Vec<InboxChoice>,
    pub granted: Vec<Uuid>,
}

#[server(endpoint = "profile/inbox-access/get")]
pub async fn get_inbox_access(
    #[server(default)] user: String,
) -> Result<InboxAccess, ProfileError> {
    use crate::{error::respond, state::use_state};

    let (viewer, target) =
        crate::profile::section_call::section_call_without_version(&user).map_err(respond)?;
    store::inbox_access(&use_state(), &viewer, target)
        .await
        .map_err(respond)
}

/// Sets which inboxes a User or Light User may access. Owners and
/// Administrators see every inbox, so theirs is not set here.
#[server(endpoint = "profile/inbox-access")]
pub async fn update_inbox_access(
    #[server(default)] user: String,
    #[server(default)] inboxes: Vec<String>,
    #[server(default)] version: String,
) -> Result<(), ProfileError> {
    use crate::{error::respond, request::RequestInfo, state::use_state};

    let (viewer, target, version) =
        crate::profile::section_call::section_call(&user, &version).map_err(respond)?;
    let ids = crate::profile::section_call::chosen_ids(
        &inboxes,
        "inboxes",
        "Choose inboxes from the list.",
    )
    .map_err(respond)?;
    let id = store::save_inbox_access(
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

pub(super) fn section(screen: SectionScreen) -> SectionView {
    let action = screen.action::<UpdateInboxAccess>();
    let access = screen.load(get_inbox_access);
    SectionView::with_data(access, move |profile, access| {
        view! { <InboxAccessSection profile access action/> }.into_any()
    })
}

#[component]
fn InboxAccessSection(
    profile: ProfileView,
    access: InboxAccess,
    action: ServerAction<UpdateInboxAccess>,
) -> impl IntoView {
    if profile.role.manages_users() {
        return view! {
            <p>"Account Owners and Administrators can see every inbox."</p>
        }
        .into_any();
    }
    let form_error = FormErrors::of(action, &[]).form();
    let granted = access.granted;
    view! {
        <ActionForm action attr:class="stack narrow-form">
            <FormAlert message=form_error/>
            <fieldset class="field checkbox-group">
                <legend>"Inboxes this user can access"</legend>
                {access.inboxes.iter().map(|inbox| view! {
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
