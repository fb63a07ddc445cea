//! Credentials handed to their owner once: random, prefixed so a leaked one
//! is recognisable (and findable by secret scanners), stored as SHA-256.

use crate::session::token::{hash_token, SecretToken};

pub struct NewSecret {
    pub value: String,
    pub hash: Vec<u8>,
}

impl NewSecret {
    /// `prefix` followed by 256 random bits.
    pub fn generate(prefix: &str) -> Self {
        let value = format!("{prefix}{}", SecretToken::generate().expose());
        let hash = hash_token(&value);
        Self { value, hash }
    }

    /// The part of the value shown to recognise it later.
    pub fn shown_part(&self) -> String {
        self.value.chars().take(10).collect()
    }
}

/// An OAuth App ID: public, random, URL-safe.
pub fn client_id() -> String {
    let token = SecretToken::generate();
    format!("app_{}", &token.expose()[..22])
}

pub const API_KEY_PREFIX: &str = "rk_";
pub const APP_SECRET_PREFIX: &str = "rs_";
/// An OAuth access token (see `oauth`).
pub const ACCESS_TOKEN_PREFIX: &str = "rat_";
/// An OAuth refresh token.
pub const REFRESH_TOKEN_PREFIX: &str = "rrt_";
/// An OAuth authorization code, handed to an app through the browser.
pub const AUTHORIZATION_CODE_PREFIX: &str = "rac_";
/// A SCIM token (Company > Provisioning).
pub const SCIM_TOKEN_PREFIX: &str = "rst_";

/// Which credential a fresh secret belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ShownFor {
    ApiKey,
    App(uuid::Uuid),
    /// An account's SCIM token (Company > Provisioning).
    ScimToken(uuid::Uuid),
}

/// A fresh secret on its way to its owner's browser (see
/// `session::shown_once`): the server keeps only its hash.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ShownSecret {
    pub of: ShownFor,
    pub value: String,
}

impl ShownSecret {
    /// What `session::shown_once` calls it.
    pub const KIND: &'static str = "credential";

    /// The value, if it is `of`'s and still hashes to the stored `hash` (a
    /// credential replaced since shows no secret).
    pub fn value_for(&self, of: ShownFor, hash: &[u8]) -> Option<String> {
        (self.of == of && hash_token(&self.value) == hash).then(|| self.value.clone())
    }
}
