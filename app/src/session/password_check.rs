//! The current-password check, and the lock that wrong passwords bring:
//! ten in a row lock the account until its password is reset, and tell its
//! owner and admins. Sign-in counts its failures here too.

use anyhow::Context as _;
use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use crate::{
    audit::Action,
    change::Change,
    crypto::password_hash,
    domain::{typed_password, MAX_PASSWORD_CHARS},
    email::{self, templates},
    request::RequestInfo,
    session::store as sessions,
    state::AppState,
};

/// Consecutive failures that lock an account until its password is reset.
pub const LOCK_AFTER_FAILURES: i32 = 10;

/// A user as a password check reads them.
pub(crate) struct Credentials {
    pub id: Uuid,
    pub account_id: Uuid,
    pub name: String,
    pub email: String,
    pub password_hash: Option<String>,
    pub locked: bool,
}

/// Whether `password` is the user's current password (re-authentication
/// before a sensitive change). An implausibly long one is not even hashed.
/// A wrong one counts toward the lock like a failed sign-in; the lock it
/// brings also ends the user's sessions, since whoever is guessing holds one.
pub async fn is_current_password(
    state: &AppState,
    user_id: Uuid,
    password: &str,
    request: &RequestInfo,
) -> anyhow::Result<bool> {
    let user = sqlx::query!(
        r#"SELECT id, account_id, name, email, password_hash, (locked_at IS NOT NULL) AS "locked!"
           FROM users WHERE id = $1"#,
        user_id
    )
    .fetch_one(&state.pool)
    .await
    .context("reading a password hash")?;
    let user = Credentials {
        id: user.id,
        account_id: user.account_id,
        name: user.name,
        email: user.email,
        password_hash: user.password_hash,
        locked: user.locked,
    };
    let right = password.len() <= MAX_PASSWORD_CHARS * 4
        && password_hash::verify(
            &state.hashing,
            typed_password(password),
            user.password_hash.clone(),
        )
        .await?;
    if !right {
        record_failure(state, &user, request, OnLock::EndSessions).await?;
    }
    Ok(right)
}

/// Emails the account's Owner and Administrators (other than the locked
/// user) that `user` is locked: at most once per user per hour, so a lock,
/// a reset and a lock again do not flood them.
async fn tell_admins_of_lock(
    tx: &mut sqlx::PgConnection,
    state: &AppState,
    user: &Credentials,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let told_lately = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM audit_events
               WHERE target_user_id = $1 AND action = 'user.locked' AND occurred_at > $2) AS "told!""#,
        user.id,
        now - TimeDelta::hours(1)
    )
    .fetch_one(&mut *tx)
    .await
    .context("looking for a recent lock")?;
    if told_lately {
        return Ok(());
    }
    let admins = sqlx::query!(
        "SELECT name, email FROM users
         WHERE account_id = $1 AND role IN ('owner', 'administrator') AND deleted_at IS NULL
           AND password_hash IS NOT NULL AND id <> $2",
        user.account_id,
        user.id
    )
    .fetch_all(&mut *tx)
    .await
    .context("finding whom to tell of a lock")?;
    let users_url = state.settings.public_url.link("/manage/users");
    for admin in admins {
        let message = templates::user_locked_for_admins(
            &admin.email,
            &admin.name,
            &user.name,
            &user.email,
            &users_url,
        );
        email::enqueue(&mut *tx, &state.settings, Some(user.account_id), message).await?;
    }
    Ok(())
}

/// What the lock does to the sessions the user has.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum OnLock {
    /// A stranger guessing at the sign-in form must not sign the person out.
    KeepSessions,
    /// Someone guessing inside a session (re-authentication) loses it.
    EndSessions,
}

/// Counts a failure atomically; the tenth in a row locks the account and
/// tells its owner how to get back in.
pub(crate) async fn record_failure(
    state: &AppState,
    user: &Credentials,
    request: &RequestInfo,
    on_lock: OnLock,
) -> anyhow::Result<()> {
    // Roster itself locks the account: the change has no actor.
    let mut change = Change::begin(
        state,
        user.account_id,
        None,
        request,
        "recording a failed sign-in",
    )
    .await?;
    let now = change.now;
    let failures = sqlx::query_scalar!(
        "UPDATE users SET failed_login_attempts = failed_login_attempts + 1,
             locked_at = CASE WHEN locked_at IS NULL AND failed_login_attempts + 1 >= $2 THEN $3 ELSE locked_at END
         WHERE id = $1
         RETURNING failed_login_attempts",
        user.id,
        LOCK_AFTER_FAILURES,
        now,
    )
    .fetch_one(change.conn())
    .await
    .context("counting a failed sign-in")?;
    if failures == LOCK_AFTER_FAILURES {
        if on_lock == OnLock::EndSessions {
            sessions::revoke_all(change.conn(), user.id, now).await?;
        }
        let recover_url = state.settings.public_url.link("/recover");
        let message = templates::account_locked(&user.email, &user.name, &recover_url);
        change.send(&state.settings, message).await?;
        tell_admins_of_lock(change.conn(), state, user, now).await?;
        change
            .record(
                Action::UserLocked,
                Some(user.id),
                serde_json::json!({ "failed_login_attempts": failures }),
            )
            .await?;
        tracing::warn!(user_id = %user.id, "account locked after {failures} failed sign-ins");
    }
    change.commit().await?;
    Ok(())
}
