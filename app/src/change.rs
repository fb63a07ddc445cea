//! One change to an account, made the way every store makes one: a
//! transaction, who makes it, the request it came in and its moment, and
//! the audit events it records, committed whole or not at all.

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Postgres, Transaction};
use uuid::Uuid;

use crate::{
    audit::{self, Action, AuditEvent},
    request::RequestInfo,
    state::AppState,
};

pub struct Change<'r> {
    tx: Transaction<'static, Postgres>,
    account_id: Uuid,
    /// Who makes the change; `None` for Roster itself (a background job).
    actor: Option<Uuid>,
    request: &'r RequestInfo,
    /// The change's moment: every row it writes and its events carry it.
    pub now: DateTime<Utc>,
    /// What the logs call the change ("an Auto Bcc save").
    what: &'static str,
}

impl<'r> Change<'r> {
    /// Begins `what` in `account_id`, made by `actor`.
    pub async fn begin(
        state: &AppState,
        account_id: Uuid,
        actor: Option<Uuid>,
        request: &'r RequestInfo,
        what: &'static str,
    ) -> anyhow::Result<Self> {
        let tx = state
            .pool
            .begin()
            .await
            .with_context(|| format!("starting {what}"))?;
        Ok(Self {
            tx,
            account_id,
            actor,
            request,
            now: state.now(),
            what,
        })
    }

    /// The change's connection, for its queries.
    pub fn conn(&mut self) -> &mut PgConnection {
        &mut self.tx
    }

    /// Records that the change did `action` to `target`, in its transaction.
    pub async fn record(
        &mut self,
        action: Action,
        target: Option<Uuid>,
        details: serde_json::Value,
    ) -> anyhow::Result<()> {
        let event = AuditEvent {
            account_id: self.account_id,
            actor: self.actor,
            target,
            action,
            details,
        };
        audit::record(&mut self.tx, event, self.request, self.now).await
    }

    pub async fn commit(self) -> anyhow::Result<()> {
        self.tx
            .commit()
            .await
            .with_context(|| format!("committing {}", self.what))
    }
}
