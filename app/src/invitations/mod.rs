//! Invitations: the emailed link with which a new user chooses a password
//! and signs in for the first time.

mod accept_page;
mod delivery;
mod error;

pub use accept_page::{
    accept_invite, get_invitation, AcceptInvite, AcceptInvitePage, GetInvitation,
};
pub use delivery::InviteDelivery;
#[cfg(feature = "ssr")]
pub use delivery::{OutboxState, LINK_CHANNEL};
pub use error::{DeadLink, InviteError};

#[cfg(feature = "ssr")]
pub mod store;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What the accept page tells the invited person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationSummary {
    pub account_name: String,
    /// `None` when the inviter has since been removed.
    pub inviter_name: Option<String>,
    pub name: String,
    pub email: String,
    pub expires_at: DateTime<Utc>,
}
