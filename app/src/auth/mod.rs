//! Signing in and out, passwords, and getting back into an account.

mod error;
mod recover;
mod reset;
mod return_path;
mod sign_in;

pub use error::AuthError;
pub use recover::{request_password_reset, RecoverPasswordPage, RequestPasswordReset};
pub use reset::{
    check_reset_link, reset_password, CheckResetLink, ResetLinkState, ResetPassword,
    ResetPasswordPage,
};
pub use return_path::return_path;
pub use sign_in::{sign_in, SignIn, SignInPage};

#[cfg(feature = "ssr")]
pub mod reset_links;
#[cfg(feature = "ssr")]
pub mod store;

/// Counts a request against the per-IP limit for `action`.
#[cfg(feature = "ssr")]
pub async fn limit(action: crate::rate_limit::Limited) -> Result<(), AuthError> {
    crate::rate_limit::check_current_request(action)
        .await
        .map_err(|retry_after| AuthError::TooManyRequests { retry_after })
}
