use serde::{Deserialize, Serialize};

use crate::{
    domain::FieldErrors,
    error::{unexpected_message, HttpError},
};

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

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum InviteError {
    #[error("{}", .0.explain())]
    Link(DeadLink),
    #[error("{0}")]
    Invalid(FieldErrors),
    #[error("Too many attempts from your network. Wait {retry_after} seconds, then try again.")]
    TooManyRequests { retry_after: u64 },
    /// Too much costly work (hashing, decoding photos) at once: the request
    /// is turned away (503) rather than left waiting.
    #[error("Roster is busy right now. Wait {retry_after} seconds, then try again.")]
    Busy { retry_after: u64 },
    #[error("{}", unexpected_message(.reference))]
    Unexpected { reference: String },
    #[error("This request could not be read: {message}")]
    BadRequest { message: String, status: u16 },
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

impl crate::components::FormError for InviteError {
    fn field(&self, name: &str) -> Option<String> {
        match self {
            InviteError::Invalid(errors) => errors.get(name).map(str::to_owned),
            _ => None,
        }
    }
}

impl HttpError for InviteError {
    fn status(&self) -> u16 {
        match self {
            InviteError::Link(DeadLink::Unknown) => 404,
            InviteError::Link(_) => 410,
            InviteError::Invalid(_) => 422,
            InviteError::TooManyRequests { .. } => 429,
            InviteError::Busy { .. } => 503,
            InviteError::Unexpected { .. } => 500,
            InviteError::BadRequest { status, .. } => *status,
        }
    }
}

crate::area_error!(InviteError);
