use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::Role;

/// Where a user stands, as the users table shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserStatus {
    InviteNotYetSent,
    /// An admin revoked the invite link; a new invite email can be sent.
    InviteRevoked,
    Invited,
    InviteExpired,
    Active,
    Locked,
    /// Access ended by an admin, reversibly (see `deactivation`).
    Deactivated,
}

impl UserStatus {
    /// Deactivation outranks everything, then a lock; then a password
    /// means active; without one, the open invitation (if any) decides.
    pub fn of(
        deactivated: bool,
        locked: bool,
        has_password: bool,
        invite_expires_at: Option<DateTime<Utc>>,
        invite_revoked: bool,
        now: DateTime<Utc>,
    ) -> Self {
        if deactivated {
            return UserStatus::Deactivated;
        }
        match (locked, has_password, invite_expires_at) {
            (true, _, _) => UserStatus::Locked,
            (false, true, _) => UserStatus::Active,
            (false, false, None) if invite_revoked => UserStatus::InviteRevoked,
            (false, false, None) => UserStatus::InviteNotYetSent,
            (false, false, Some(expires_at)) if expires_at <= now => UserStatus::InviteExpired,
            (false, false, Some(_)) => UserStatus::Invited,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            UserStatus::InviteNotYetSent => "Invite email not yet sent",
            UserStatus::InviteRevoked => "Invite revoked",
            UserStatus::Invited => "Invited",
            UserStatus::InviteExpired => "Invite expired",
            UserStatus::Active => "Active",
            UserStatus::Locked => "Locked",
            UserStatus::Deactivated => "Deactivated",
        }
    }

    /// The row alert, with what it means and what to do, for the states
    /// that need an admin.
    pub fn alert(self) -> Option<RowAlert> {
        match self {
            UserStatus::InviteExpired => Some(RowAlert {
                title: "Invite expired",
                explanation: "An invitation was sent but not accepted before it expired. Use Resend invite email in the user's menu or their profile.",
            }),
            UserStatus::InviteNotYetSent => Some(RowAlert {
                title: "Invite email not yet sent",
                explanation: "This user hasn't been invited yet and can't sign in. Use Send invite email in the user's menu or their profile.",
            }),
            UserStatus::Locked => Some(RowAlert {
                title: "Too many failed login attempts",
                explanation: "The password was entered incorrectly at least ten times, so the account is locked. Use Reset password in the user's menu or their profile.",
            }),
            UserStatus::InviteRevoked => Some(RowAlert {
                title: "Invite revoked",
                explanation: "Their invite link was revoked, so they can't join until you send a new one. Use Send invite email in the user's menu or their profile.",
            }),
            UserStatus::Invited | UserStatus::Active | UserStatus::Deactivated => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowAlert {
    pub title: &'static str,
    pub explanation: &'static str,
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
    /// When the open invitation (if any) stops working.
    pub invite_expires_at: Option<DateTime<Utc>>,
    /// `invite_expires_at` as the viewer reads it (their zone and clock, named).
    pub invite_expires: Option<String>,
    /// How the open invitation is reaching them, while they are invited.
    pub invite_delivery: Option<crate::invitations::InviteDelivery>,
    pub last_active_at: Option<DateTime<Utc>>,
    /// `last_active_at` as the viewer reads it (their zone and clock, named).
    pub last_active: Option<String>,
    /// Whether the viewer may act on this user (Administrators don't manage the Owner).
    pub manageable: bool,
    /// The photo's version, when there is one.
    pub photo: Option<String>,
    /// They have joined, their role must use two-factor authentication
    /// (Company > Security), and they have not set it up.
    pub lacks_two_factor: bool,
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;

    #[test]
    fn status_follows_deactivation_lock_password_and_invitation() {
        let now = Utc::now();
        let later = Some(now + TimeDelta::days(1));
        assert_eq!(
            UserStatus::of(false, true, true, None, false, now),
            UserStatus::Locked
        );
        assert_eq!(
            UserStatus::of(false, false, true, later, false, now),
            UserStatus::Active
        );
        assert_eq!(
            UserStatus::of(true, true, true, None, false, now),
            UserStatus::Deactivated
        );
        assert_eq!(
            UserStatus::of(true, false, false, later, false, now),
            UserStatus::Deactivated
        );
        assert_eq!(
            UserStatus::of(false, false, false, None, false, now),
            UserStatus::InviteNotYetSent
        );
        assert_eq!(
            UserStatus::of(false, false, false, later, false, now),
            UserStatus::Invited
        );
        assert_eq!(
            UserStatus::of(false, false, false, Some(now), false, now),
            UserStatus::InviteExpired
        );
        assert_eq!(
            UserStatus::of(false, false, false, None, true, now),
            UserStatus::InviteRevoked
        );
        // A newer open link outranks the revoked one.
        assert_eq!(
            UserStatus::of(false, false, false, later, true, now),
            UserStatus::Invited
        );
    }

    #[test]
    fn the_three_alerts_use_the_documented_words() {
        let titles: Vec<_> = [
            UserStatus::InviteExpired,
            UserStatus::InviteNotYetSent,
            UserStatus::Locked,
        ]
        .iter()
        .map(|s| s.alert().unwrap().title)
        .collect();
        assert_eq!(
            titles,
            [
                "Invite expired",
                "Invite email not yet sent",
                "Too many failed login attempts"
            ]
        );
        assert!(UserStatus::Active.alert().is_none());
    }
}
