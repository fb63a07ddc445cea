//! Company > Provisioning (`/settings/provisioning`, the Owner and
//! Administrators): the address of Roster's SCIM service and the account's
//! SCIM token, made here, shown once, revocable, with its last use.

#[cfg(feature = "ssr")]
pub mod store;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use serde::{Deserialize, Serialize};

use crate::{
    components::{FormAlert, StatusPage},
    error::HttpError,
    session::ShownOnce,
};

crate::area_error! {
    /// What can go wrong on the Provisioning page.
    pub enum ProvisioningError {
        #[error("Sign in to continue.")]
        SignInRequired,
        #[error("Only the Account Owner and Administrators can manage provisioning.")]
        Forbidden,
        #[error("There is no SCIM token to revoke.")]
        NotFound,
    }
    status {
        Self::SignInRequired => 401,
        Self::Forbidden => 403,
        Self::NotFound => 404,
    }
    gate: SignInRequired, Forbidden;
}

/// What the page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provisioning {
    /// `…/scim/v2`, for the identity provider.
    pub base_url: String,
    pub token: Option<ScimTokenView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScimTokenView {
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub last_used_at: Option<DateTime<Utc>>,
    /// Those two days, as the viewer reads them.
    pub created: String,
    pub last_used: Option<String>,
    /// The token itself, only in the browser that just made it.
    pub new_token: Option<String>,
}

#[server(endpoint = "provisioning/get")]
pub async fn get_provisioning() -> Result<Provisioning, ProvisioningError> {
    use crate::{credentials::secret::ShownSecret, error::respond, state::use_state};

    let viewer = crate::session::Viewer::user_manager::<ProvisioningError>().map_err(respond)?;
    let state = use_state();
    let shown: Option<ShownSecret> =
        crate::session::shown_once::kept(&state.settings, &viewer, ShownSecret::KIND);
    store::load(&state, &viewer, shown.as_ref())
        .await
        .map_err(|error| respond(ProvisioningError::from(error)))
}

/// Makes the account's SCIM token (revoking the one before), shown once.
#[server(endpoint = "provisioning/token/create")]
pub async fn generate_scim_token() -> Result<(), ProvisioningError> {
    use crate::{credentials::secret::ShownSecret, error::respond, state::use_state};

    let viewer = crate::session::Viewer::user_manager::<ProvisioningError>().map_err(respond)?;
    let state = use_state();
    let token = store::create(&state, &viewer, &crate::request::RequestInfo::current())
        .await
        .map_err(|error| respond(ProvisioningError::from(error)))?;
    crate::session::shown_once::keep(&state.settings, &viewer, ShownSecret::KIND, token);
    leptos_axum::redirect("/settings/provisioning");
    Ok(())
}

/// Revokes the account's SCIM token: the next SCIM request fails.
#[server(endpoint = "provisioning/token/revoke")]
pub async fn revoke_scim_token() -> Result<(), ProvisioningError> {
    use crate::{error::respond, state::use_state};

    let viewer = crate::session::Viewer::user_manager::<ProvisioningError>().map_err(respond)?;
    let revoked = store::revoke(
        &use_state(),
        &viewer,
        &crate::request::RequestInfo::current(),
    )
    .await
    .map_err(|error| respond(ProvisioningError::from(error)))?;
    if !revoked {
        return Err(respond(ProvisioningError::NotFound));
    }
    leptos_axum::redirect("/settings/provisioning");
    Ok(())
}

/// `/settings/provisioning`.
#[component]
pub fn ProvisioningPage() -> impl IntoView {
    let generate = ServerAction::<GenerateScimToken>::new();
    let revoke = ServerAction::<RevokeScimToken>::new();
    let page = Resource::new(
        move || generate.version().get() + revoke.version().get(),
        |_| get_provisioning(),
    );
    let failed = generate
        .value()
        .get_untracked()
        .and_then(Result::err)
        .or_else(|| revoke.value().get_untracked().and_then(Result::err));
    if let Some(error) = failed {
        crate::error::set_page_status(error.status());
    }
    view! {
        <Title text="Provisioning"/>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(provisioning) => view! { <ProvisioningView provisioning generate revoke/> }.into_any(),
                    Err(ProvisioningError::SignInRequired) => view! { <Redirect path="/sign-in?next=/settings/provisioning"/> }.into_any(),
                    Err(error) => view! {
                        <StatusPage status=error.status() title="You can't manage provisioning">
                            <p>{error.to_string()}</p>
                        </StatusPage>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ProvisioningView(
    provisioning: Provisioning,
    generate: ServerAction<GenerateScimToken>,
    revoke: ServerAction<RevokeScimToken>,
) -> impl IntoView {
    let error = Signal::derive(move || {
        generate
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| revoke.value().get().and_then(Result::err))
            .map(|error| error.to_string())
    });
    let has_token = provisioning.token.is_some();
    let new_token = provisioning
        .token
        .as_ref()
        .and_then(|token| token.new_token.clone());
    let status = match &provisioning.token {
        Some(token) => format!(
            "SCIM token {}…, made by {} on {}. Last used: {}.",
            token.prefix,
            token.created_by,
            token.created,
            token
                .last_used
                .clone()
                .unwrap_or_else(|| "Never".to_owned()),
        ),
        None => "This account has no SCIM token.".to_owned(),
    };
    view! {
        <section class="page">
            <header class="page-header">
                <h1>"Provisioning"</h1>
            </header>
            <p>"Identity providers (Okta, Microsoft Entra ID, Google, JumpCloud) reach Roster through SCIM 2.0 at this address, with the SCIM token below as a Bearer token."</p>
            <p>"Through SCIM, the identity provider finds users (by userName, email, externalId or active), creates them (as Users, with an invite email unless created inactive), changes their name and email address, deactivates and reactivates them (active), and deletes them (reason \"Deprovisioned by SCIM\"; their conversations go to Unassigned). It acts as the person who made the token, with the same rules: it never deactivates or deletes the Account Owner or that person."</p>
            <p>"On the Plus and Pro plans, SCIM groups are Roster's teams: the identity provider creates, renames and deletes teams and adds and removes their members (never Light Users). On the Standard plan, SCIM has no groups."</p>
            <label class="field">
                <span class="field-label">"SCIM base URL"</span>
                <input type="text" readonly=true value=provisioning.base_url/>
            </label>
            <FormAlert message=error/>
            {new_token.map(|token| view! { <ShownOnce label="SCIM token" value=token/> })}
            <p>{status}</p>
            <p class="muted">"The token acts for the whole account, at the SCIM address only, and stops working if the person who made it no longer manages users. Making a new one revokes the one before."</p>
            <div class="actions">
                <ActionForm action=generate>
                    <button type="submit" class="button primary">"Generate SCIM token"</button>
                </ActionForm>
                {has_token.then(|| view! {
                    <ActionForm action=revoke>
                        <button type="submit" class="button danger">"Revoke SCIM token"</button>
                    </ActionForm>
                })}
            </div>
        </section>
    }
}
