//! Manage > Audit log: every event recorded in the account, newest first and
//! in words, for its Owner and Administrators; filtered by person, kind and
//! dates in the address, and exported as CSV.

mod error;
mod filter;
mod list_events;
mod page;

pub use error::AuditLogError;
pub use filter::{AuditFilter, Cursor};
pub use list_events::{list_audit_events, ListAuditEvents};
pub use page::AuditLogPage;

use serde::{Deserialize, Serialize};

use crate::domain::FieldErrors;

/// Events on one page.
pub const PAGE_SIZE: i64 = 50;

/// One page of the log, worded and timed for the viewer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvents {
    pub entries: Vec<AuditEntry>,
    /// Where the next page starts, when there are older events.
    pub older: Option<Cursor>,
    /// Every kind of event, as (stored name, words), for the filter.
    pub kinds: Vec<(String, String)>,
    /// Who the person filter found, in words; `None` when it names nobody
    /// in the account (the page is then empty) or is not set.
    pub person: Option<String>,
    /// The viewer's time zone, which every time on the page is in.
    pub zone: String,
    /// What is wrong with the filter in the address; nothing is listed then.
    pub errors: FieldErrors,
}

/// One event as the log shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    /// "Ada Lovelace changed Grace Hopper's role from User to Administrator."
    pub sentence: String,
    pub actor: String,
    pub target: String,
    /// In the viewer's zone and clock, the zone named.
    pub when: String,
    /// RFC 3339, for the `<time>` element.
    pub when_iso: String,
    pub ip: String,
}

#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
mod wording;
