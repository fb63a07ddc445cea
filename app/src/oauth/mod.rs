//! OAuth 2.0 for the apps of My Apps (RFC 6749): the token endpoint that
//! trades an app's App ID and App Secret for access tokens. The tokens act
//! in the API as a user (see `api::caller`).
//!
//! Served today: the client-credentials grant, whose token acts as the
//! app's maker with whatever rights they have at each request. The
//! authorization-code grant (an app acting for whoever allows it) is not
//! served yet.

mod error;
mod store;
pub mod token;

pub use error::OAuthError;

/// How long an access token works: two days, as Help Scout's do.
pub const ACCESS_TOKEN_SECONDS: i64 = 2 * 24 * 60 * 60;
