//! Two-factor authentication the company requires (Company > Security): a
//! session of a user whose role must use it, without it, opens only the
//! set-up page below and what that page needs, until it is on. The session
//! middleware sends everything else here.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use serde::{Deserialize, Serialize};

use super::security_page::TwoFactorSetup;
use super::{EnableTwoFactor, GetSecurityStatus, SecurityStatus};
use crate::{
    components::StatusPage,
    error::HttpError,
    session::{AuthError, GetViewer, HideSecret, SignOut},
};

/// The page a session sets two-factor up on before anything else opens.
pub const SET_UP_PATH: &str = "/two-factor/set-up";

/// What a session that must set up two-factor may still ask for: the set-up
/// page, its server functions, who is signed in, signing out, and photos.
pub fn allows_before_set_up(path: &str) -> bool {
    use leptos::server_fn::ServerFn;

    path == SET_UP_PATH
        || path.starts_with("/avatars/")
        || [
            GetRequiredSetUp::PATH,
            GetSecurityStatus::PATH,
            EnableTwoFactor::PATH,
            GetViewer::PATH,
            SignOut::PATH,
            HideSecret::PATH,
        ]
        .contains(&path)
}

/// The set-up page's data: whom the company requires it of, and the key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequiredSetUp {
    /// "Administrators and Users".
    pub people: String,
    pub status: SecurityStatus,
}

/// `None` when the viewer need not set anything up (not required of their
/// role, or already on).
#[server(endpoint = "two-factor/required")]
pub async fn get_required_set_up() -> Result<Option<RequiredSetUp>, AuthError> {
    use crate::{error::respond, session::Viewer, state::use_state};

    let viewer = Viewer::current()
        .ok_or(AuthError::SignInRequired)
        .map_err(respond)?;
    if !viewer.two_factor_due {
        return Ok(None);
    }
    let status = super::store::status(&use_state(), &viewer, None)
        .await
        .map_err(|error| respond(AuthError::from(error)))?;
    Ok(status
        .required
        .clone()
        .map(|people| RequiredSetUp { people, status }))
}

/// `/two-factor/set-up`.
#[component]
pub fn TwoFactorSetUpPage() -> impl IntoView {
    let enable = ServerAction::<EnableTwoFactor>::new();
    let set_up = Resource::new(move || enable.version().get(), |_| get_required_set_up());
    if let Some(Err(error)) = enable.value().get_untracked() {
        crate::error::set_page_status(error.status());
    }
    view! {
        <Title text="Set up two-factor authentication"/>
        <section class="page">
            <header class="page-header">
                <h1>"Set up two-factor authentication"</h1>
            </header>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match set_up.await {
                        Ok(Some(set_up)) => view! {
                            <p class="lead">{format!(
                                "Your company requires two-factor authentication for {}. Set it up to go on: until it is on, Roster opens nothing else for you.",
                                set_up.people
                            )}</p>
                            <TwoFactorSetup status=set_up.status enable/>
                        }.into_any(),
                        // Nothing to set up: their own Security section.
                        Ok(None) => view! { <Redirect path="/profile/security"/> }.into_any(),
                        Err(AuthError::SignInRequired) => {
                            view! { <Redirect path=format!("/sign-in?next={SET_UP_PATH}")/> }.into_any()
                        }
                        Err(error) => view! {
                            <StatusPage status=error.status() title="Two-factor set-up could not be loaded">
                                <p>{error.to_string()}</p>
                            </StatusPage>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn before_set_up_only_the_set_up_and_signing_out_open() {
        for open in [
            "/two-factor/set-up",
            "/api/two-factor/required",
            "/api/two-factor/status",
            "/api/two-factor/enable",
            "/api/sign-out",
            "/api/viewer",
            "/avatars/8d3c0a3e-6f55-4c57-9a43-7d1f4b8d2c11",
        ] {
            assert!(allows_before_set_up(open), "{open} should open");
        }
        for closed in [
            "/",
            "/manage/users",
            "/profile/security",
            "/profile/api-keys",
            "/api/two-factor/disable",
            "/api/two-factor/recovery-codes",
            "/api/users/create",
            "/two-factor/set-up/",
            "/oauth2/authorize",
        ] {
            assert!(!allows_before_set_up(closed), "{closed} should not open");
        }
    }
}
