use serde::{Deserialize, Serialize};

use crate::domain::FieldErrors;

/// Why an invitation link no longer works.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeadLink {
    Expired,
    /// Accepted already.
    Used,
    /// Replaced by a newer invitation.
    Revoked,
    /// Sent to an address that is no longer the user's.
    Readdressed,
    /// The invited user was deleted.
    UserDeleted,
    /// No such link (mistyped, or copied incompletely).
    Unknown,
}

crate::area_error! {
    /// What can go wrong accepting an invitation.
    pub enum InviteError {
        #[error("{0}")]
        Link(DeadLink),
        #[error("{0}")]
        Invalid(FieldErrors),
        #[error("Too many attempts from your network. Wait {retry_after} seconds, then try again.")]
        TooManyRequests { retry_after: u64 },
    }
    status {
        Self::Link(DeadLink::Unknown) => 404,
        Self::Link(_) => 410,
        Self::Invalid(_) => 422,
        Self::TooManyRequests { .. } => 429,
    }
    fields: Invalid;
}

impl std::fmt::Display for DeadLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.explain())
    }
}

impl DeadLink {
    pub fn title(self) -> &'static str {
        match self {
            DeadLink::Expired => "Invite expired",
            DeadLink::Used => "This invite was already accepted",
            DeadLink::Revoked => "This invite link was replaced",
            DeadLink::Readdressed => "This invite was for another email address",
            DeadLink::UserDeleted => "This invite is no longer valid",
            DeadLink::Unknown => "This invite link is not valid",
        }
    }

    pub fn explain(self) -> &'static str {
        match self {
            DeadLink::Expired => "Invitation links work for a limited time, and this one has run out. Ask an administrator of your team to resend your invite email.",
            DeadLink::Used => "Each invitation link works once. If you accepted it, sign in with the password you chose.",
            DeadLink::Revoked => "A newer invite email was sent, and only its link works. Use the most recent invite email, or ask an administrator to resend it.",
            DeadLink::Readdressed => "The user's email address was changed after this invite was sent, so its link no longer works. Ask an administrator to resend the invite to the new address.",
            DeadLink::UserDeleted => "The user this invite was for has been removed from the account. Ask an administrator if you should have access.",
            DeadLink::Unknown => "It may have been copied incompletely. Open the link from your invite email again, or ask an administrator to resend it.",
        }
    }
}
