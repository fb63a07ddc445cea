//! How a user's latest invitation is reaching them, as Manage > Users and
//! their profile show it: the invite email's progress through the outbox,
//! or that an admin copied the link to hand over themselves.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InviteDelivery {
    /// The invite email waits in the outbox for its first try.
    Queued,
    /// The mail server took the email, at this time (the viewer's).
    Sent { at: String },
    /// The last try failed, for `reason`; `retries_left` more are due (none:
    /// the outbox gave up).
    Failed { reason: String, retries_left: i32 },
    /// An admin copied the invite link instead, at this time; no email went.
    LinkCopied { at: String },
}

impl InviteDelivery {
    /// The short state: "Queued", "Sent", "Failed", "Link copied".
    pub fn state(&self) -> &'static str {
        match self {
            InviteDelivery::Queued => "Queued",
            InviteDelivery::Sent { .. } => "Sent",
            InviteDelivery::Failed { .. } => "Failed",
            InviteDelivery::LinkCopied { .. } => "Link copied",
        }
    }

    /// The whole sentence, with what to do when it failed for good.
    pub fn describe(&self) -> String {
        match self {
            InviteDelivery::Queued => "Invite email: Queued, to be sent in a moment.".to_owned(),
            InviteDelivery::Sent { at } => format!("Invite email: Sent {at}."),
            InviteDelivery::Failed {
                reason,
                retries_left: 0,
            } => format!(
                "Invite email: Failed. {reason}. No retries left: check the address, then use Resend invite email or Copy invite link."
            ),
            InviteDelivery::Failed {
                reason,
                retries_left: 1,
            } => format!("Invite email: Failed. {reason}. Roster will try once more."),
            InviteDelivery::Failed {
                reason,
                retries_left,
            } => format!(
                "Invite email: Failed. {reason}. Roster will try again ({retries_left} retries left)."
            ),
            InviteDelivery::LinkCopied { at } => {
                format!("Invite link copied {at}: no email was sent.")
            }
        }
    }

    /// Reads the latest invitation (made at `created_at`, its link copied or
    /// emailed) and its email's row in the outbox; `None` for an email the
    /// outbox no longer holds.
    #[cfg(feature = "ssr")]
    pub fn of(
        channel: &str,
        created_at: chrono::DateTime<chrono::Utc>,
        outbox: Option<&OutboxState>,
        local: &crate::local_time::LocalTime,
    ) -> Option<Self> {
        if channel == LINK_CHANNEL {
            return Some(InviteDelivery::LinkCopied {
                at: local.format(created_at),
            });
        }
        let email = outbox?;
        Some(match (email.sent_at, &email.last_error) {
            (Some(at), _) => InviteDelivery::Sent {
                at: local.format(at),
            },
            (None, Some(reason)) => InviteDelivery::Failed {
                reason: reason.trim_end_matches('.').to_owned(),
                retries_left: if email.dead {
                    0
                } else {
                    crate::email::failure::retries_left(email.attempts)
                },
            },
            (None, None) => InviteDelivery::Queued,
        })
    }
}

/// `invitations.channel` of a link an admin copied (the other is `email`).
#[cfg(feature = "ssr")]
pub const LINK_CHANNEL: &str = "link";

/// An invite email's row in the outbox.
#[cfg(feature = "ssr")]
pub struct OutboxState {
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub dead: bool,
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::local_time::LocalTime;

    #[test]
    fn the_outbox_row_decides_the_state() {
        let local = LocalTime::of("Asia/Tokyo", "24h");
        let at = Utc.with_ymd_and_hms(2026, 12, 1, 5, 0, 0).unwrap();
        let row = |sent_at, attempts, last_error: Option<&str>, dead| OutboxState {
            sent_at,
            attempts,
            last_error: last_error.map(str::to_owned),
            dead,
        };
        let of = |row: Option<OutboxState>| InviteDelivery::of("email", at, row.as_ref(), &local);
        assert_eq!(
            of(Some(row(None, 0, None, false))),
            Some(InviteDelivery::Queued)
        );
        assert_eq!(
            of(Some(row(Some(at), 1, None, false))),
            Some(InviteDelivery::Sent {
                at: "1 Dec 2026, 14:00 JST".into()
            })
        );
        let failed = of(Some(row(
            None,
            3,
            Some("The mail server refused it (550)"),
            false,
        )))
        .unwrap();
        assert_eq!(
            failed.describe(),
            "Invite email: Failed. The mail server refused it (550). Roster will try again (7 retries left)."
        );
        let dead = of(Some(row(None, 10, Some("Timed out"), true))).unwrap();
        assert!(dead.describe().contains("No retries left"), "{dead:?}");
        assert_eq!(of(None), None, "an email the outbox purged");
        assert_eq!(
            InviteDelivery::of(LINK_CHANNEL, at, None, &local),
            Some(InviteDelivery::LinkCopied {
                at: "1 Dec 2026, 14:00 JST".into()
            })
        );
    }
}
