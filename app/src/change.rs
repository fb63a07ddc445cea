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
    /// `None` until a change begun by someone not signed in finds whose it is.
    account_id: Option<Uuid>,
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
            account_id: Some(account_id),
            actor,
            request,
            now: state.now(),
            what,
        })
    }

    /// Begins `what` for someone not signed in (accepting an invitation,
    /// resetting a password): [`Change::identify`] says whose it is once the
    /// transaction has found out.
    pub async fn begin_anonymous(
        state: &AppState,
        request: &'r RequestInfo,
        what: &'static str,
    ) -> anyhow::Result<Self> {
        let mut change = Self::begin(state, Uuid::nil(), None, request, what).await?;
        change.account_id = None;
        Ok(change)
    }

    /// The account the change is in, and who makes it.
    pub fn identify(&mut self, account_id: Uuid, actor: Option<Uuid>) {
        self.account_id = Some(account_id);
        self.actor = actor;
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
        let account_id = self.account_id.with_context(|| {
            format!("{} recorded an event before it knew its account", self.what)
        })?;
        let event = AuditEvent {
            account_id,
            actor: self.actor,
            target,
            action,
            details,
        };
        audit::record(&mut self.tx, event, self.request, self.now).await
    }

    /// Records an event Roster itself brings about within this change (codes
    /// refused after too many wrong ones): it has no actor, whoever makes
    /// the change.
    pub async fn record_by_roster(
        &mut self,
        action: Action,
        target: Option<Uuid>,
        details: serde_json::Value,
    ) -> anyhow::Result<()> {
        let actor = self.actor.take();
        let recorded = self.record(action, target, details).await;
        self.actor = actor;
        recorded
    }

    /// Queues `email` in the outbox as part of the change, in its account:
    /// it is sent once the change commits, and never if it does not.
    pub async fn send(
        &mut self,
        settings: &crate::state::Settings,
        email: crate::email::OutgoingEmail,
    ) -> anyhow::Result<()> {
        crate::email::enqueue(&mut self.tx, settings, self.account_id, email)
            .await
            .map(drop)
    }

    pub async fn commit(self) -> anyhow::Result<()> {
        self.tx
            .commit()
            .await
            .with_context(|| format!("committing {}", self.what))
    }
}
