//! OAuth 2.0 for the apps of My Apps (RFC 6749, with RFC 9700's advice):
//! the authorization page where a person allows an app to act as them, and
//! the token endpoint that trades an app's App ID and App Secret, with a
//! code or a refresh token, for access tokens. The tokens act in the API as
//! a user (see `api::caller`).
//!
//! - client credentials: the token acts as the app's maker;
//! - authorization code (PKCE honoured): it acts as whoever allowed the
//!   app, until they revoke it in Authorized Apps;
//! - refresh token: each is traded once for a new pair; showing a traded
//!   one again ends the whole authorization.

pub mod authorize;
#[cfg(feature = "ssr")]
mod code;
#[cfg(feature = "ssr")]
mod error;
#[cfg(feature = "ssr")]
mod refresh;
#[cfg(feature = "ssr")]
mod store;
#[cfg(feature = "ssr")]
pub mod token;

pub use authorize::AuthorizePage;
#[cfg(feature = "ssr")]
pub use error::OAuthError;

/// How long an access token works: two days, as Help Scout's do.
pub const ACCESS_TOKEN_SECONDS: i64 = 2 * 24 * 60 * 60;
/// How long a code from the authorization page may wait to be traded.
pub const CODE_SECONDS: i64 = 10 * 60;
/// How long a refresh token works unused: each trade gives a fresh one.
pub const REFRESH_TOKEN_DAYS: i64 = 90;
