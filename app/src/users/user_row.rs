use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::Role;

/// Where a user stands, as the users table shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserStatus {
    InviteNotYetSent,
    Invited,
    InviteExpired,
    Active,
    Locked,
}

impl UserStatus {
    pub fn label(self) -> &'static str {
        match self {
            UserStatus::InviteNotYetSent => "Invite not yet sent",
            UserStatus::Invited => "Invited",
            UserStatus::InviteExpired => "Invite expired",
            UserStatus::Active => "Active",
            UserStatus::Locked => "Locked",
        }
    }
}

/// One row of the users table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub inbox_count: i64,
    pub status: UserStatus,
    pub last_active_at: Option<DateTime<Utc>>,
}
