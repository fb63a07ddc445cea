//! Delivers the outbox: leases due emails with `FOR UPDATE SKIP LOCKED` (so
//! several server processes share the work), sends them over SMTP, and
//! retries failures with exponential backoff until a cap, then gives up on
//! the row (dead) and keeps its last error, in plain words (see
//! `app::email::failure`), for Manage > Users to show. Delivery is at least once; the
//! stored Message-ID makes a duplicate recognisable.

use std::time::Duration;

use anyhow::Context as _;
use app::email::failure::{Failure, MAX_ATTEMPTS};
use lettre::{
    message::{header::ContentType, Mailbox, MultiPart, SinglePart},
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use sqlx::PgPool;

const BATCH: i64 = 10;
const IDLE_POLL: Duration = Duration::from_secs(1);
/// How long a worker owns the rows it leased: more than a batch of sends
/// at the SMTP timeout can take.
const LEASE: Duration = Duration::from_secs(BATCH as u64 * SMTP_TIMEOUT.as_secs() + 60);
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    pub fn new(smtp_url: &str, from: &str) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .context("SMTP_URL is not a usable SMTP address")?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        let from = from
            .parse()
            .with_context(|| format!("MAIL_FROM {from:?} is not an email address"))?;
        Ok(Self { transport, from })
    }
}

/// Runs the delivery loop until the process ends.
pub fn spawn(pool: PgPool, mailer: Mailer) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match deliver_due(&pool, &mailer).await {
                Ok(0) => tokio::time::sleep(IDLE_POLL).await,
                Ok(_) => {}
                Err(error) => {
                    tracing::error!(error = %format!("{error:#}"), "outbox delivery failed");
                    tokio::time::sleep(IDLE_POLL * 5).await;
                }
            }
        }
    })
}

/// Sends one batch of due emails; returns how many it tried.
///
/// The batch is leased in a short transaction (`FOR UPDATE SKIP LOCKED`, so
/// two processes never claim the same row), then sent with no transaction
/// open. A process killed mid-send leaves a lease that runs out after
/// [`LEASE`], and the row is sent again: at least once, never twice after a
/// recorded success.
pub async fn deliver_due(pool: &PgPool, mailer: &Mailer) -> anyhow::Result<usize> {
    let due = sqlx::query!(
        "UPDATE outbox_emails SET leased_until = now() + make_interval(secs => $2)
         WHERE id IN (
             SELECT id FROM outbox_emails
             WHERE sent_at IS NULL AND dead_at IS NULL AND next_attempt_at <= now()
               AND (leased_until IS NULL OR leased_until < now())
             ORDER BY next_attempt_at
             LIMIT $1
             FOR UPDATE SKIP LOCKED)
         RETURNING id, message_id, to_address, subject, body_text, body_html, attempts",
        BATCH,
        LEASE.as_secs_f64(),
    )
    .fetch_all(pool)
    .await
    .context("leasing due emails")?;
    for email in &due {
        let sent = match build(
            mailer,
            &email.message_id,
            &email.to_address,
            &email.subject,
            &email.body_text,
            &email.body_html,
        ) {
            Ok(message) => mailer
                .transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| in_plain_words(&e).to_string()),
            Err(error) => Err(Failure::Unsendable {
                detail: format!("{error:#}"),
            }
            .to_string()),
        };
        match sent {
            Ok(()) => {
                sqlx::query!(
                    "UPDATE outbox_emails
                     SET sent_at = now(), attempts = attempts + 1, last_error = NULL, leased_until = NULL
                     WHERE id = $1",
                    email.id
                )
                .execute(pool)
                .await
                .context("marking an email sent")?;
            }
            Err(error) => {
                let attempts = email.attempts + 1;
                tracing::warn!(email_id = %email.id, attempts, error = %error.escape_debug(), "email not delivered");
                sqlx::query!(
                    "UPDATE outbox_emails
                     SET attempts = $2::int, last_error = $3, leased_until = NULL,
                         next_attempt_at = now() + make_interval(secs => $4),
                         dead_at = CASE WHEN $2::int >= $5::int THEN now() END
                     WHERE id = $1",
                    email.id,
                    attempts,
                    error.chars().take(1000).collect::<String>(),
                    backoff_secs(attempts),
                    MAX_ATTEMPTS,
                )
                .execute(pool)
                .await
                .context("scheduling a retry")?;
            }
        }
    }
    Ok(due.len())
}

/// What went wrong, as an admin reads it.
fn in_plain_words(error: &lettre::transport::smtp::Error) -> Failure {
    let detail = std::error::Error::source(error)
        .map(ToString::to_string)
        .unwrap_or_else(|| error.to_string());
    match error.status() {
        Some(code) if error.is_permanent() => Failure::Refused {
            code: code.to_string(),
            reply: detail,
        },
        Some(code) => Failure::Deferred {
            code: code.to_string(),
            reply: detail,
        },
        None if error.is_timeout() => Failure::TimedOut,
        None if error.is_tls() => Failure::Tls { detail },
        None if error.is_client() || error.is_response() => Failure::Other { detail },
        None => Failure::Unreachable { detail },
    }
}

/// 2, 4, 8 … seconds, at most an hour.
pub fn backoff_secs(attempts: i32) -> f64 {
    2f64.powi(attempts.clamp(1, 12)).min(3600.0)
}

fn build(
    mailer: &Mailer,
    message_id: &str,
    to: &str,
    subject: &str,
    text: &str,
    html: &str,
) -> anyhow::Result<Message> {
    Message::builder()
        .message_id(Some(message_id.to_owned()))
        .from(mailer.from.clone())
        .to(to.parse().context("recipient address")?)
        .subject(subject)
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(text.to_owned()),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(html.to_owned()),
                ),
        )
        .context("building an email")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff_secs(1), 2.0);
        assert_eq!(backoff_secs(3), 8.0);
        assert_eq!(backoff_secs(50), 3600.0);
    }
}
