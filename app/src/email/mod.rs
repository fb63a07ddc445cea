//! Email: every message is written to the outbox in the same transaction as
//! the change that caused it; the server's outbox worker delivers it.

pub mod failure;
pub mod templates;

use anyhow::Context as _;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::state::Settings;

/// A message ready for the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutgoingEmail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Queues `email` inside the caller's transaction; returns its id in the
/// outbox, for a change that follows its delivery (an invitation).
pub async fn enqueue(
    conn: &mut PgConnection,
    settings: &Settings,
    account_id: Option<Uuid>,
    email: OutgoingEmail,
) -> anyhow::Result<Uuid> {
    // Stable across retries, so a duplicate delivery is recognisable.
    let message_id = format!(
        "<{}@{}>",
        Uuid::new_v4().simple(),
        settings.public_url.host()
    );
    sqlx::query_scalar!(
        "INSERT INTO outbox_emails (message_id, account_id, to_address, subject, body_text, body_html)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        message_id,
        account_id,
        email.to,
        email.subject,
        email.text,
        email.html,
    )
    .fetch_one(conn)
    .await
    .context("queueing an email")
}
