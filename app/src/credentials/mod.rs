//! A user's credentials: the API key, the OAuth apps they created (My
//! Apps) and the apps they authorized. Secrets are shown once, to their
//! owner only, and stored hashed. The profile's sections show and change
//! them (`profile/api_keys`, `my_apps`, `authorized_apps`); this area, below
//! the profile, keeps them.

#[cfg(feature = "ssr")]
pub mod secret;
#[cfg(feature = "ssr")]
pub mod store;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What the credential sections show of one user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    pub api_key: Option<ApiKeyView>,
    pub my_apps: Vec<OAuthAppView>,
    pub authorized_apps: Vec<AuthorizedAppView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyView {
    /// The start of the key, enough to recognise it.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    /// `created_at`'s day, as the viewer reads it.
    pub created: String,
    /// The whole key: only the first time its owner sees it.
    pub new_key: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthAppView {
    pub id: Uuid,
    pub name: String,
    pub redirect_url: String,
    /// The App ID (OAuth client id).
    pub client_id: String,
    pub created_at: DateTime<Utc>,
    /// `created_at`'s day, as the viewer reads it.
    pub created: String,
    /// The App Secret: only the first time its owner sees it.
    pub new_secret: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizedAppView {
    pub id: Uuid,
    pub name: String,
    /// Who made the app.
    pub maker: String,
    pub authorized_at: DateTime<Utc>,
    /// When the app last called the API as the user, if it has.
    pub last_used_at: Option<DateTime<Utc>>,
    /// Those two days, as the viewer reads them.
    pub authorized: String,
    pub last_used: Option<String>,
}
