//! Who is signed in: the session a browser holds, and the viewer it stands
//! for; the current-password check (with the lock it brings), where a
//! sign-in returns to, and the error every sign-in flow answers with. Below
//! sign-in (`auth`) and two-factor, which build on it.

mod active_sessions;
mod error;
mod hide_secret;
mod return_path;
mod sign_out;
mod viewer;

pub use active_sessions::{
    confirm_password, list_my_sessions, revoke_other_sessions, revoke_session, ConfirmPassword,
    ListMySessions, MySessions, OwnSessionsSection, RevokeOtherSessions, RevokeSession, SessionRow,
    REAUTH_MINUTES,
};
pub use error::AuthError;
pub use hide_secret::{hide_secret, HideSecret, HideSecretButton, ShownOnce};
pub use return_path::return_path;
pub use sign_out::SignOut;
pub use viewer::{get_viewer, GetViewer, UsersVersion, Viewer};

#[cfg(feature = "ssr")]
pub mod cookie;
#[cfg(feature = "ssr")]
pub mod device;
#[cfg(feature = "ssr")]
mod last_seen;
#[cfg(feature = "ssr")]
pub mod password_check;
#[cfg(feature = "ssr")]
pub mod shown_once;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod token;

/// Counts a request against the per-IP limit for `action`.
#[cfg(feature = "ssr")]
pub async fn limit(action: crate::rate_limit::Limited) -> Result<(), AuthError> {
    crate::rate_limit::check_current_request(action)
        .await
        .map_err(|retry_after| AuthError::TooManyRequests { retry_after })
}
