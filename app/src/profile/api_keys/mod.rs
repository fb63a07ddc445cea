//! The API Keys section: the user's Docs API key, made by them alone,
//! shown to them once, revocable by them or an admin.

#[cfg(feature = "ssr")]
mod store;

use leptos::prelude::*;

use crate::session::ShownOnce;

use super::{
    credentials::get_credentials,
    section_screen::{user_field, SectionScreen, SectionView},
};
use crate::{components::FormAlert, credentials::Credentials, profile::ProfileError};

/// Makes a new Docs API key for the viewer (revoking the old one), shown once.
#[server(endpoint = "credentials/api-key/create")]
pub async fn create_api_key(#[server(default)] user: String) -> Result<(), ProfileError> {
    use crate::{error::respond, profile::section_call_without_version, state::use_state};

    let (viewer, target) = section_call_without_version(&user).map_err(respond)?;
    let state = use_state();
    let (id, key) = store::create_api_key(
        &state,
        &viewer,
        target,
        &crate::request::RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    crate::session::shown_once::keep(
        &state.settings,
        &viewer,
        crate::credentials::secret::ShownSecret::KIND,
        key,
    );
    crate::profile::redirect_to_section(&viewer, target, id, crate::profile::Section::ApiKeys);
    Ok(())
}

/// Revokes the user's Docs API key.
#[server(endpoint = "credentials/api-key/revoke")]
pub async fn revoke_api_key(#[server(default)] user: String) -> Result<(), ProfileError> {
    use crate::{error::respond, profile::section_call_without_version, state::use_state};

    let (viewer, target) = section_call_without_version(&user).map_err(respond)?;
    let id = store::revoke_api_key(
        &use_state(),
        &viewer,
        target,
        &crate::request::RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    crate::profile::redirect_to_section(&viewer, target, id, crate::profile::Section::ApiKeys);
    Ok(())
}

#[component]
fn ApiKeysSection(
    credentials: Credentials,
    /// The viewer's own profile.
    is_self: bool,
    name: String,
    /// Empty for the viewer's own profile.
    user: String,
    create: ServerAction<CreateApiKey>,
    revoke: ServerAction<RevokeApiKey>,
) -> impl IntoView {
    let error = Signal::derive(move || {
        create
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| revoke.value().get().and_then(Result::err))
            .map(|e| e.to_string())
    });
    let create_label = if credentials.api_key.is_some() {
        "Regenerate API key"
    } else {
        "Generate API key"
    };
    let status = match &credentials.api_key {
        Some(key) => view! {
            <p>
                "API key "<code>{format!("{}…", key.prefix)}</code>
                {format!(", created {}.", key.created)}
            </p>
        }
        .into_any(),
        None if is_self => view! { <p>"You have no API key."</p> }.into_any(),
        None => view! { <p>{format!("{name} has no API key. Only they can create one.")}</p> }
            .into_any(),
    };
    let new_key = credentials
        .api_key
        .as_ref()
        .and_then(|key| key.new_key.clone());
    let has_key = credentials.api_key.is_some();
    let user_for_revoke = user.clone();
    view! {
        <p>"The API key lets scripts and integrations use Roster's API as you, for example to list your account's users. Keep it secret: anyone who has it can act as you."</p>
        <FormAlert message=error/>
        {new_key.map(|key| view! { <ShownOnce label="Your new API key" value=key/> })}
        {status}
        <div class="actions">
            {is_self.then(|| view! {
                <ActionForm action=create>
                    <input type="hidden" name="user" value=user.clone()/>
                    <button type="submit" class="button primary">{create_label}</button>
                </ActionForm>
            })}
            {has_key.then(|| view! {
                <ActionForm action=revoke>
                    <input type="hidden" name="user" value=user_for_revoke/>
                    <button type="submit" class="button danger">"Revoke API key"</button>
                </ActionForm>
            })}
        </div>
    }
}

pub(super) fn section(screen: SectionScreen) -> SectionView {
    let create = screen.action::<CreateApiKey>();
    let revoke = screen.action::<RevokeApiKey>();
    let credentials = screen.load(get_credentials);
    SectionView::with_data(credentials, move |profile, credentials| {
        let user = user_field(&profile);
        view! {
            <ApiKeysSection credentials is_self=profile.is_self name=profile.name user create revoke/>
        }
        .into_any()
    })
}
