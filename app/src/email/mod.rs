//! Email: every message is written to the outbox in the same transaction as
//! the change that caused it; the server's outbox worker delivers it.

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

/// Queues `email` inside the caller's transaction.
pub async fn enqueue(
    conn: &mut PgConnection,
    settings: &Settings,
    account_id: Option<Uuid>,
    email: OutgoingEmail,
) -> anyhow::Result<()> {
    // Stable across retries, so a duplicate delivery is recognisable.
    let message_id = format!(
        "<{}@{}>",
        Uuid::new_v4().simple(),
        message_id_host(&settings.public_url)
    );
    sqlx::query!(
        "INSERT INTO outbox_emails (message_id, account_id, to_address, subject, body_text, body_html)
         VALUES ($1, $2, $3, $4, $5, $6)",
        message_id,
        account_id,
        email.to,
        email.subject,
        email.text,
        email.html,
    )
    .execute(conn)
    .await
    .context("queueing an email")?;
    Ok(())
}

fn message_id_host(public_url: &str) -> &str {
    let after_scheme = public_url
        .split_once("://")
        .map_or(public_url, |(_, rest)| rest);
    let host_port = after_scheme.split('/').next().unwrap_or("roster.invalid");
    host_port
        .split(':')
        .next()
        .filter(|h| !h.is_empty())
        .unwrap_or("roster.invalid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_use_the_public_host() {
        assert_eq!(
            message_id_host("https://help.example.com/roster"),
            "help.example.com"
        );
        assert_eq!(message_id_host("http://127.0.0.1:3000"), "127.0.0.1");
    }
}
