//! Inboxes and their conversations, read-only: enough to see who each
//! conversation is assigned to (and "Unassigned" once nobody is).

mod error;
mod page;
#[cfg(feature = "ssr")]
pub mod store;

pub use error::ConversationsError;
pub use page::{get_inbox, get_inboxes, GetInbox, GetInboxes, InboxPage, InboxesPage};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxSummary {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub conversations: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationRow {
    pub id: Uuid,
    pub subject: String,
    pub customer_email: String,
    pub status: String,
    /// `None`: Unassigned.
    pub assignee: Option<String>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxView {
    pub name: String,
    pub total: i64,
    /// The most recently updated conversations, at most [`PAGE_SIZE`].
    pub conversations: Vec<ConversationRow>,
}

pub const PAGE_SIZE: i64 = 50;
