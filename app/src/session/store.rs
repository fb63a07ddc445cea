//! Sessions in PostgreSQL: starting one, and finding the viewer a cookie
//! stands for.

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::AuthError;
use super::{
    last_seen::Recording,
    token::{hash_token, looks_like_token, SecretToken},
    UsersVersion, Viewer,
};
use crate::{
    audit::Action,
    change::Change,
    domain::{Plan, Role},
    request::RequestInfo,
    state::{AppState, Settings},
};

/// How stale `last_seen_at` may get before a request refreshes it: a write
/// per request would be wasted work for a list that shows minutes.
const LAST_SEEN_GRANULARITY_SECS: i64 = 60;

/// Starts a session for `user_id` and returns the token for its cookie.
pub async fn start(
    conn: &mut PgConnection,
    user_id: Uuid,
    request: &RequestInfo,
    now: DateTime<Utc>,
) -> anyhow::Result<SecretToken> {
    let token = SecretToken::generate();
    sqlx::query!(
        "INSERT INTO sessions (token_hash, user_id, user_agent, ip, created_at, last_seen_at)
         VALUES ($1, $2, $3, $4, $5, $5)",
        token.hash(),
        user_id,
        request.user_agent,
        request.stored_ip(),
        now,
    )
    .execute(&mut *conn)
    .await
    .context("starting a session")?;
    Ok(token)
}

/// A live session found from its cookie.
pub struct Found {
    pub viewer: Viewer,
    /// The version of the viewer's account's users table.
    pub users_version: UsersVersion,
    /// The session was due for rotation (the user's role changed): this is
    /// its successor's token, for a new cookie; the old one is revoked.
    pub rotated: Option<SecretToken>,
}

/// The viewer behind `token`, if the session is live: not revoked, not idle
/// past the idle timeout, not older than the absolute timeout, and its user
/// not deleted; with the version of their account's users table.
pub async fn find_viewer(
    pool: &PgPool,
    settings: &Settings,
    token: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<Found>> {
    if !looks_like_token(token) {
        return Ok(None);
    }
    let idle_since = now - to_delta(settings.session_idle_timeout);
    let created_since = now - to_delta(settings.session_absolute_timeout);
    let row = sqlx::query!(
        r#"
        SELECT s.id AS session_id, s.last_seen_at, s.rotate, u.id AS user_id, u.account_id,
               u.name, u.email, u.role AS "role: Role", u.timezone, u.time_format,
               a.name AS account_name, a.users_version,
               (u.role = ANY(a.two_factor_required_roles)
                AND NOT EXISTS (SELECT 1 FROM two_factor t
                                WHERE t.user_id = u.id AND t.enabled_at IS NOT NULL)) AS "two_factor_due!",
               a.plan AS "plan: Plan", u.custom_permissions, rp.permissions AS "role_defaults?"
        FROM sessions s
        JOIN users u ON u.id = s.user_id
        JOIN accounts a ON a.id = u.account_id
        LEFT JOIN role_permissions rp ON rp.account_id = u.account_id AND rp.role = u.role
        WHERE s.token_hash = $1
          AND s.revoked_at IS NULL
          AND u.deleted_at IS NULL
          AND u.deactivated_at IS NULL
          AND s.last_seen_at > $2
          AND s.created_at > $3
        "#,
        hash_token(token),
        idle_since,
        created_since,
    )
    .fetch_optional(pool)
    .await
    .context("looking up a session")?;
    let Some(row) = row else { return Ok(None) };

    let idle = now - row.last_seen_at;
    let near_limit = idle >= to_delta(settings.session_idle_timeout / 2);
    let due = near_limit || idle.num_seconds() >= LAST_SEEN_GRANULARITY_SECS;
    // Unless another request is recording it already.
    if let Some(recording) = due.then(|| Recording::start(row.session_id)).flatten() {
        if near_limit {
            // Near its idle limit, a session is refreshed before the answer,
            // so that the requests right after this one find it refreshed.
            touch(pool, row.session_id, row.user_id, now).await?;
        } else {
            // Otherwise beside the request, not before its answer.
            let (pool, session_id, user_id) = (pool.clone(), row.session_id, row.user_id);
            tokio::spawn(async move {
                let _recording = recording;
                if let Err(error) = touch(&pool, session_id, user_id, now).await {
                    tracing::warn!("could not record a session's last activity: {error:#}");
                }
            });
        }
    }
    let role = row.role;
    let rotated = if row.rotate {
        rotate(pool, row.session_id, now).await?
    } else {
        None
    };
    let viewer = Viewer {
        user_id: row.user_id,
        account_id: row.account_id,
        session_id: rotated.as_ref().map_or(row.session_id, |(id, _)| *id),
        name: row.name,
        email: row.email,
        role,
        account_name: row.account_name,
        timezone: row.timezone,
        time_format: row.time_format,
        two_factor_due: row.two_factor_due,
        permissions: crate::domain::effective_permissions(
            role,
            row.plan,
            row.role_defaults
                .map(|raw| crate::domain::Permission::from_stored_set(&raw)),
            row.custom_permissions
                .map(|raw| crate::domain::Permission::from_stored_set(&raw)),
        ),
    };
    Ok(Some(Found {
        viewer,
        users_version: UsersVersion(row.users_version),
        rotated: rotated.map(|(_, token)| token),
    }))
}

/// Replaces a session due for rotation with a new one (same browser, same
/// creation time, so the same absolute end; no recent confirmation) and
/// returns its id and token. `None` when a concurrent request rotated it
/// first: that request's answer carries the new cookie.
async fn rotate(
    pool: &PgPool,
    session_id: Uuid,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<(Uuid, SecretToken)>> {
    let mut tx = pool.begin().await.context("starting a session rotation")?;
    let ended = sqlx::query_scalar!(
        "UPDATE sessions SET revoked_at = $2, rotate = false
         WHERE id = $1 AND rotate AND revoked_at IS NULL RETURNING id",
        session_id,
        now
    )
    .fetch_optional(&mut *tx)
    .await
    .context("ending a session due for rotation")?;
    if ended.is_none() {
        return Ok(None);
    }
    let token = SecretToken::generate();
    let id = sqlx::query_scalar!(
        "INSERT INTO sessions (token_hash, user_id, user_agent, ip, created_at, last_seen_at)
         SELECT $2, user_id, user_agent, ip, created_at, $3 FROM sessions WHERE id = $1
         RETURNING id",
        session_id,
        token.hash(),
        now
    )
    .fetch_one(&mut *tx)
    .await
    .context("starting the rotated session")?;
    tx.commit().await.context("committing a session rotation")?;
    tracing::info!(old = %session_id, new = %id, "rotated a session after a role change");
    Ok(Some((id, token)))
}

fn to_delta(duration: std::time::Duration) -> chrono::TimeDelta {
    chrono::TimeDelta::from_std(duration).unwrap_or(chrono::TimeDelta::MAX)
}

async fn touch(
    pool: &PgPool,
    session_id: Uuid,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "UPDATE sessions SET last_seen_at = $2 WHERE id = $1",
        session_id,
        now
    )
    .execute(&mut *tx)
    .await
    .context("refreshing a session's last-seen time")?;
    sqlx::query!(
        "UPDATE users SET last_active_at = $2 WHERE id = $1",
        user_id,
        now
    )
    .execute(&mut *tx)
    .await
    .context("refreshing a user's last-active time")?;
    tx.commit().await?;
    Ok(())
}

/// Ends one session; it fails on its next request.
pub async fn revoke(pool: &PgPool, session_id: Uuid, now: DateTime<Utc>) -> anyhow::Result<()> {
    sqlx::query!(
        "UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
        session_id,
        now
    )
    .execute(pool)
    .await
    .context("revoking a session")?;
    Ok(())
}

/// Ends every session of `user_id` (after a password reset, say).
pub async fn revoke_all(
    conn: &mut PgConnection,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query!(
        "UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
        user_id,
        now
    )
    .execute(conn)
    .await
    .context("ending a user's sessions")?;
    Ok(())
}

/// The viewer's live sessions, most recently used first, and whether they
/// confirmed their password recently enough to revoke the others.
pub async fn list_for(state: &AppState, viewer: &Viewer) -> anyhow::Result<super::MySessions> {
    let rows = live_sessions(state, viewer.user_id, viewer).await?;
    let reauth_since = state.now() - chrono::TimeDelta::minutes(super::REAUTH_MINUTES);
    let can_revoke = rows.iter().any(|(row, reauthenticated_at)| {
        row.id == viewer.session_id && reauthenticated_at.is_some_and(|at| at > reauth_since)
    });
    Ok(super::MySessions {
        can_revoke,
        rows: rows
            .into_iter()
            .map(|(mut row, _)| {
                row.current = row.id == viewer.session_id;
                row
            })
            .collect(),
    })
}

/// Someone's live sessions, most recently used first, as an admin (`viewer`)
/// sees them.
pub async fn list_of(
    state: &AppState,
    user_id: Uuid,
    viewer: &Viewer,
) -> anyhow::Result<Vec<super::SessionRow>> {
    Ok(live_sessions(state, user_id, viewer)
        .await?
        .into_iter()
        .map(|(row, _)| row)
        .collect())
}

/// Live sessions with when each last confirmed the password, their times as
/// `viewer` reads them.
async fn live_sessions(
    state: &AppState,
    user_id: Uuid,
    viewer: &Viewer,
) -> anyhow::Result<Vec<(super::SessionRow, Option<DateTime<Utc>>)>> {
    let local = viewer.local_time();
    let now = state.now();
    let settings = &state.settings;
    let rows = sqlx::query!(
        "SELECT id, user_agent, ip, created_at, last_seen_at, reauthenticated_at FROM sessions
         WHERE user_id = $1 AND revoked_at IS NULL AND last_seen_at > $2 AND created_at > $3
         ORDER BY last_seen_at DESC, created_at DESC",
        user_id,
        now - to_delta(settings.session_idle_timeout),
        now - to_delta(settings.session_absolute_timeout),
    )
    .fetch_all(&state.pool)
    .await
    .context("listing sessions")?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let session = super::SessionRow {
                id: row.id,
                device: super::device::describe(&row.user_agent),
                location: state.geoip.locate(&row.ip).unwrap_or_else(|| {
                    if row.ip.is_empty() {
                        "Unknown".into()
                    } else {
                        row.ip
                    }
                }),
                created: local.format(row.created_at),
                last_seen: local.format(row.last_seen_at),
                created_at: row.created_at,
                last_seen_at: row.last_seen_at,
                current: false,
            };
            (session, row.reauthenticated_at)
        })
        .collect())
}

/// Checks the viewer's password and marks this session as recently confirmed.
pub async fn confirm_password(
    state: &AppState,
    viewer: &Viewer,
    password: &str,
    request: &RequestInfo,
) -> Result<(), AuthError> {
    if !super::password_check::is_current_password(state, viewer.user_id, password, request).await?
    {
        return Err(AuthError::WrongPassword);
    }
    sqlx::query!(
        "UPDATE sessions SET reauthenticated_at = $2 WHERE id = $1",
        viewer.session_id,
        state.now()
    )
    .execute(&state.pool)
    .await
    .context("recording a password confirmation")?;
    Ok(())
}

/// Ends one other session of the viewer (`Some`), or all others (`None`).
/// Needs a password confirmation from the last few minutes.
pub async fn revoke_own(
    state: &AppState,
    viewer: &Viewer,
    session_id: Option<Uuid>,
    request: &RequestInfo,
) -> Result<(), AuthError> {
    let mut change = Change::begin(
        state,
        viewer.account_id,
        Some(viewer.user_id),
        request,
        "revoking sessions",
    )
    .await?;
    let now = change.now;
    let confirmed_at = sqlx::query_scalar!(
        "SELECT reauthenticated_at FROM sessions WHERE id = $1",
        viewer.session_id
    )
    .fetch_one(change.conn())
    .await
    .context("checking the password confirmation")?;
    let confirmed_recently =
        confirmed_at.is_some_and(|at| at > now - chrono::TimeDelta::minutes(super::REAUTH_MINUTES));
    if !confirmed_recently {
        return Err(AuthError::ReauthenticationRequired);
    }
    let revoked = sqlx::query_scalar!(
        "UPDATE sessions SET revoked_at = $4
         WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL AND ($3::uuid IS NULL OR id = $3)
         RETURNING id",
        viewer.user_id,
        viewer.session_id,
        session_id,
        now
    )
    .fetch_all(change.conn())
    .await
    .context("revoking sessions")?;
    if session_id.is_some() && revoked.is_empty() {
        return Err(AuthError::NotFound);
    }
    change
        .record(
            if session_id.is_some() {
                Action::SessionRevoked
            } else {
                Action::OtherSessionsRevoked
            },
            Some(viewer.user_id),
            serde_json::json!({ "sessions": revoked }),
        )
        .await?;
    change.commit().await?;
    Ok(())
}

/// Ends one (`Some`) or every (`None`) live session of `user_id`, returning
/// the ids ended.
pub async fn revoke_of(
    conn: &mut PgConnection,
    user_id: Uuid,
    session_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<Uuid>> {
    sqlx::query_scalar!(
        "UPDATE sessions SET revoked_at = $3
         WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR id = $2)
         RETURNING id",
        user_id,
        session_id,
        now
    )
    .fetch_all(conn)
    .await
    .context("revoking sessions")
}
