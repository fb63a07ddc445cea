//! Audit events: who did what to whom, when and from where, written in the
//! same transaction as the change.

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::request::RequestInfo;

pub struct AuditEvent<'a> {
    pub account_id: Uuid,
    pub actor: Option<Uuid>,
    pub target: Option<Uuid>,
    pub action: &'a str,
    pub details: serde_json::Value,
}

pub async fn record(
    conn: &mut PgConnection,
    event: AuditEvent<'_>,
    request: &RequestInfo,
    at: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query!(
        "INSERT INTO audit_events (account_id, actor_user_id, target_user_id, action, details, ip, request_id, occurred_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        event.account_id,
        event.actor,
        event.target,
        event.action,
        event.details,
        request.ip,
        request.request_id,
        at,
    )
    .execute(conn)
    .await
    .with_context(|| format!("recording the audit event {}", event.action))?;
    Ok(())
}
