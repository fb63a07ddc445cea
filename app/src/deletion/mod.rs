//! Deleting a user: a page that asks why and shows what will happen, one
//! transaction that removes the user and every credential they hold, and a
//! durable job (run by the server) that unassigns or reassigns their
//! conversations afterwards.

mod error;
mod page;
#[cfg(feature = "ssr")]
pub mod store;

pub use error::DeletionError;
pub use page::{delete_user, get_deletion_preview, DeleteUser, DeleteUserPage, GetDeletionPreview};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What deleting this user will change, shown before anyone confirms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletionPreview {
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    /// Conversations assigned to the user, and how many of them are open.
    pub conversations: i64,
    pub open_conversations: i64,
    /// Workflows with an action on the user, which become inactive.
    pub workflows: Vec<String>,
    /// OAuth apps the user created, which are deleted.
    pub apps: i64,
    /// Who may receive the open conversations instead of Unassigned.
    pub teammates: Vec<(Uuid, String)>,
}

/// What a workflow that acts on a deleted user says.
pub const WORKFLOW_REFERENCES_DELETED_USER: &str =
    "This workflow references a user that has been deleted";
