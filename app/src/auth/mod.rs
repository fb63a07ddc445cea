//! Signing in and out, passwords, and getting back into an account.

mod recover;
mod reset;
mod sign_in;

pub use recover::{request_password_reset, RecoverPasswordPage, RequestPasswordReset};
pub use reset::{
    check_reset_link, reset_password, CheckResetLink, ResetLinkState, ResetPassword,
    ResetPasswordPage,
};
pub use sign_in::{sign_in, SignIn, SignInPage};

#[cfg(feature = "ssr")]
pub mod reset_links;
#[cfg(feature = "ssr")]
pub mod store;
