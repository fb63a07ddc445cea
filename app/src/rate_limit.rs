//! Per-client limits on the requests an attacker would repeat: signing in,
//! asking for reset emails, using reset and invite links, two-factor codes,
//! first-run setup (per address: an IPv4 address, or an IPv6 /64), and
//! photo uploads (per user). A fixed one-minute window per (action,
//! client), kept in PostgreSQL, so every server sharing the database counts
//! the same requests: one upsert per limited request, on a row only that
//! client's requests touch. Windows are purged an hour after they start.

use anyhow::Context as _;
use chrono::{DateTime, TimeDelta, Utc};
use sqlx::PgPool;

/// Counts the current request against `action`'s limit for its client
/// address. When over, sets `Retry-After` on the response and returns the
/// seconds to wait.
pub async fn check_current_request(action: Limited) -> Result<(), u64> {
    let client = crate::request::RequestInfo::current().limit_key;
    check_current(action, &client).await
}

/// Counts the current request against `action`'s limit for `client` (an
/// address, or a user for per-user limits), as [`check_current_request`].
pub async fn check_current(action: Limited, client: &str) -> Result<(), u64> {
    let state = crate::state::use_state();
    count(&state.pool, action, client, state.now())
        .await
        .unwrap_or_else(|error| {
            // The request goes on: whatever it does next needs the database
            // too, and answers for itself if the database is down.
            tracing::error!("rate limit not checked: {error:#}");
            Ok(())
        })
        .inspect_err(|retry_after| send_retry_after(*retry_after))
}

/// Tells the client, in `Retry-After`, how many seconds to wait.
pub fn send_retry_after(seconds: u64) {
    if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        options.insert_header(http::header::RETRY_AFTER, seconds.into());
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Limited {
    SignIn,
    RecoverPassword,
    ResetPassword,
    AcceptInvite,
    TwoFactorCode,
    /// The first-run form: one Argon2 hash each, before any account exists.
    SetUp,
    /// Photo uploads, counted per user (the acting one) rather than per address.
    PhotoUpload,
}

impl Limited {
    /// Requests allowed per client per minute.
    pub fn per_minute(self) -> i32 {
        match self {
            Limited::SignIn => 30,
            Limited::RecoverPassword => 5,
            Limited::ResetPassword => 10,
            Limited::AcceptInvite => 10,
            Limited::TwoFactorCode => 10,
            Limited::SetUp => 10,
            Limited::PhotoUpload => 10,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Limited::SignIn => "sign_in",
            Limited::RecoverPassword => "recover_password",
            Limited::ResetPassword => "reset_password",
            Limited::AcceptInvite => "accept_invite",
            Limited::TwoFactorCode => "two_factor_code",
            Limited::SetUp => "set_up",
            Limited::PhotoUpload => "photo_upload",
        }
    }
}

const WINDOW: TimeDelta = TimeDelta::seconds(60);

/// Counts one request in the window for (`action`, `client`) at `now`;
/// `Ok(Err(seconds))` tells how long until it may retry.
pub async fn count(
    pool: &PgPool,
    action: Limited,
    client: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Result<(), u64>> {
    let window = sqlx::query!(
        r#"INSERT INTO rate_limit_windows (action, client, started_at, requests)
           VALUES ($1, $2, $3, 1)
           ON CONFLICT (action, client) DO UPDATE SET
               started_at = CASE WHEN rate_limit_windows.started_at <= $4
                                 THEN $3 ELSE rate_limit_windows.started_at END,
               requests = CASE WHEN rate_limit_windows.started_at <= $4
                               THEN 1 ELSE rate_limit_windows.requests + 1 END
           RETURNING started_at, requests"#,
        action.name(),
        client,
        now,
        // A window that began this long ago is over.
        now - WINDOW,
    )
    .fetch_one(pool)
    .await
    .context("counting a request against its limit")?;
    if window.requests <= action.per_minute() {
        return Ok(Ok(()));
    }
    let left = WINDOW - (now - window.started_at);
    Ok(Err(left.num_seconds().clamp(1, WINDOW.num_seconds()) as u64))
}
