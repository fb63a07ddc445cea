//! Deactivating a user, and reactivating them: a state between live and
//! deleted. A deactivated user keeps their row, conversations and history,
//! but cannot sign in, every session and credential of theirs stops at
//! once, and they do not count toward billing. Reactivating lets them sign
//! in again with the password they had; what was ended stays ended.

mod error;
mod page;
#[cfg(feature = "ssr")]
pub mod store;

pub use error::DeactivationError;
pub use page::{
    deactivate_user, get_access_preview, reactivate_user, DeactivateUser, DeactivateUserPage,
    GetAccessPreview, ReactivateUser, ReactivateUserPage,
};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What deactivating or reactivating this user will change, shown before
/// anyone confirms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessPreview {
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub deactivated: bool,
    /// Whether they have a password to sign in with once reactivated.
    pub has_password: bool,
    /// Sessions open now, and API keys that work now.
    pub sessions: i64,
    pub api_keys: i64,
    /// Apps they made (My Apps), which stop while they are deactivated.
    pub apps: i64,
}
