//! Purging rows that have stopped mattering, once an hour: ended sessions,
//! spent reset links and two-factor challenges, delivered email, Add User's
//! idempotency keys, finished rate-limit windows, expired OAuth access
//! tokens, Invite from CSV's files. Each table is cleared in small batches whose rows are
//! locked with `SKIP LOCKED`, so servers sharing the database share the
//! work and never wait on each other or on a request. How long each kind is
//! kept is in [`Retention`] and the README.

use std::time::Duration;

use anyhow::Context as _;
use chrono::{DateTime, TimeDelta, Utc};
use sqlx::PgPool;

use app::state::Settings;

/// Rows deleted per statement.
const BATCH: i64 = 1_000;
const EVERY: Duration = Duration::from_secs(3600);

/// How long each kind of row is kept after it stopped mattering.
pub struct Retention;

impl Retention {
    /// After a session was revoked, went idle, or reached its absolute age.
    pub const ENDED_SESSIONS: TimeDelta = TimeDelta::days(30);
    /// After a reset link expired (used and revoked ones expire too).
    pub const RESET_LINKS: TimeDelta = TimeDelta::days(7);
    /// After a two-factor challenge expired.
    pub const CHALLENGES: TimeDelta = TimeDelta::days(1);
    /// After an email was delivered.
    pub const SENT_EMAIL: TimeDelta = TimeDelta::days(30);
    /// After an email was given up on (kept longer, for an operator to look into).
    pub const DEAD_EMAIL: TimeDelta = TimeDelta::days(90);
    /// After Add User was submitted (a resubmission comes within seconds).
    pub const IDEMPOTENCY_KEYS: TimeDelta = TimeDelta::hours(24);
    /// After a rate-limit window began (it lasts a minute).
    pub const LIMIT_WINDOWS: TimeDelta = TimeDelta::hours(1);
    /// After an OAuth access token expired.
    pub const ACCESS_TOKENS: TimeDelta = TimeDelta::days(1);
    /// After an OAuth code or refresh token expired (a used one is kept
    /// until then, so that showing it again is still caught).
    pub const GRANTS: TimeDelta = TimeDelta::days(1);
    /// After a CSV file of people to invite was uploaded (it holds their
    /// addresses; its check and Create come within minutes).
    pub const CSV_FILES: TimeDelta = TimeDelta::days(7);
}

/// How many rows one run deleted, per kind.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub sessions: u64,
    pub reset_links: u64,
    pub challenges: u64,
    pub emails: u64,
    pub idempotency_keys: u64,
    pub limit_windows: u64,
    pub access_tokens: u64,
    /// OAuth codes and refresh tokens.
    pub grants: u64,
    /// Invite from CSV's uploaded files.
    pub csv_files: u64,
}

/// Purges once an hour until the process ends.
pub fn spawn(pool: PgPool, settings: std::sync::Arc<Settings>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match purge(&pool, &settings, settings.clock.now()).await {
                Ok(purged) if purged != Purged::default() => {
                    tracing::info!(?purged, "purged rows past their retention");
                }
                Ok(_) => {}
                Err(error) => {
                    tracing::error!(error = %format!("{error:#}"), "purge failed");
                }
            }
            tokio::time::sleep(EVERY).await;
        }
    })
}

/// Deletes every row past its retention at `now`.
pub async fn purge(
    pool: &PgPool,
    settings: &Settings,
    now: DateTime<Utc>,
) -> anyhow::Result<Purged> {
    let idle = TimeDelta::from_std(settings.session_idle_timeout).unwrap_or(TimeDelta::MAX);
    let absolute = TimeDelta::from_std(settings.session_absolute_timeout).unwrap_or(TimeDelta::MAX);
    let sessions_before = now - Retention::ENDED_SESSIONS;
    Ok(Purged {
        sessions: in_batches("ended sessions", |batch| {
            sqlx::query!(
                "DELETE FROM sessions WHERE id IN (
                     SELECT id FROM sessions
                     WHERE revoked_at < $1 OR last_seen_at < $2 OR created_at < $3
                     LIMIT $4 FOR UPDATE SKIP LOCKED)",
                sessions_before,
                sessions_before
                    .checked_sub_signed(idle)
                    .unwrap_or(DateTime::<Utc>::MIN_UTC),
                sessions_before
                    .checked_sub_signed(absolute)
                    .unwrap_or(DateTime::<Utc>::MIN_UTC),
                batch
            )
            .execute(pool)
        })
        .await?,
        reset_links: in_batches("spent reset links", |batch| {
            sqlx::query!(
                "DELETE FROM password_resets WHERE id IN (
                     SELECT id FROM password_resets WHERE expires_at < $1
                     LIMIT $2 FOR UPDATE SKIP LOCKED)",
                now - Retention::RESET_LINKS,
                batch
            )
            .execute(pool)
        })
        .await?,
        challenges: in_batches("expired two-factor challenges", |batch| {
            sqlx::query!(
                "DELETE FROM two_factor_challenges WHERE id IN (
                     SELECT id FROM two_factor_challenges WHERE expires_at < $1
                     LIMIT $2 FOR UPDATE SKIP LOCKED)",
                now - Retention::CHALLENGES,
                batch
            )
            .execute(pool)
        })
        .await?,
        emails: in_batches("delivered email", |batch| {
            sqlx::query!(
                "DELETE FROM outbox_emails WHERE id IN (
                     SELECT id FROM outbox_emails e WHERE (sent_at < $1 OR dead_at < $2)
                       -- An open invitation's email stays: its row shows how it went.
                       AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.email_id = e.id
                                       AND i.accepted_at IS NULL AND i.revoked_at IS NULL)
                     LIMIT $3 FOR UPDATE OF e SKIP LOCKED)",
                now - Retention::SENT_EMAIL,
                now - Retention::DEAD_EMAIL,
                batch
            )
            .execute(pool)
        })
        .await?,
        idempotency_keys: in_batches("Add User idempotency keys", |batch| {
            sqlx::query!(
                "DELETE FROM user_creations WHERE (account_id, created_by, idempotency_key) IN (
                     SELECT account_id, created_by, idempotency_key FROM user_creations WHERE created_at < $1
                     LIMIT $2 FOR UPDATE SKIP LOCKED)",
                now - Retention::IDEMPOTENCY_KEYS,
                batch
            )
            .execute(pool)
        })
        .await?,
        limit_windows: in_batches("finished rate-limit windows", |batch| {
            sqlx::query!(
                "DELETE FROM rate_limit_windows WHERE (action, client) IN (
                     SELECT action, client FROM rate_limit_windows WHERE started_at < $1
                     LIMIT $2 FOR UPDATE SKIP LOCKED)",
                now - Retention::LIMIT_WINDOWS,
                batch
            )
            .execute(pool)
        })
        .await?,
        access_tokens: in_batches("expired access tokens", |batch| {
            sqlx::query!(
                "DELETE FROM oauth_tokens WHERE id IN (
                     SELECT id FROM oauth_tokens WHERE expires_at < $1
                     LIMIT $2 FOR UPDATE SKIP LOCKED)",
                now - Retention::ACCESS_TOKENS,
                batch
            )
            .execute(pool)
        })
        .await?,
        grants: in_batches("expired authorization codes", |batch| {
            sqlx::query!(
                "DELETE FROM oauth_codes WHERE id IN (
                     SELECT id FROM oauth_codes WHERE expires_at < $1
                     LIMIT $2 FOR UPDATE SKIP LOCKED)",
                now - Retention::GRANTS,
                batch
            )
            .execute(pool)
        })
        .await?
            + in_batches("expired refresh tokens", |batch| {
                sqlx::query!(
                    "DELETE FROM oauth_refresh_tokens WHERE id IN (
                         SELECT id FROM oauth_refresh_tokens WHERE expires_at < $1
                         LIMIT $2 FOR UPDATE SKIP LOCKED)",
                    now - Retention::GRANTS,
                    batch
                )
                .execute(pool)
            })
            .await?,
        csv_files: in_batches("uploaded CSV files", |batch| {
            sqlx::query!(
                "DELETE FROM csv_invites WHERE id IN (
                     SELECT id FROM csv_invites WHERE uploaded_at < $1
                     LIMIT $2 FOR UPDATE SKIP LOCKED)",
                now - Retention::CSV_FILES,
                batch
            )
            .execute(pool)
        })
        .await?,
    })
}

/// Runs `delete` (one batch) until a batch comes back short.
async fn in_batches<F, Fut>(what: &str, delete: F) -> anyhow::Result<u64>
where
    F: Fn(i64) -> Fut,
    Fut: std::future::Future<Output = Result<sqlx::postgres::PgQueryResult, sqlx::Error>>,
{
    let mut total = 0;
    loop {
        let deleted = delete(BATCH)
            .await
            .with_context(|| format!("purging {what}"))?
            .rows_affected();
        total += deleted;
        if deleted < BATCH as u64 {
            return Ok(total);
        }
    }
}
