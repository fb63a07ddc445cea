//! Sign-in, lockout and password resets against PostgreSQL.

use anyhow::Context as _;
use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use super::{password_hash, AuthError};
use crate::{
    audit::{self, Action, AuditEvent},
    domain::{typed_password, Email, FieldErrors, Password, PasswordContext, MAX_PASSWORD_CHARS},
    email::{self, templates},
    request::RequestInfo,
    session::{
        store as sessions,
        token::{hash_token, looks_like_token, SecretToken},
    },
    state::AppState,
};

/// Consecutive failures that lock an account until its password is reset.
pub const LOCK_AFTER_FAILURES: i32 = 10;
/// How long a reset link works.
pub const RESET_LINK_MINUTES: i64 = 60;
/// At most one reset email per account in this many minutes.
pub const RESET_EMAIL_INTERVAL_MINUTES: i64 = 5;

struct Credentials {
    id: Uuid,
    account_id: Uuid,
    name: String,
    email: String,
    password_hash: Option<String>,
    locked: bool,
}

/// What a right password leads to.
pub enum SignedIn {
    /// A new session (its token for the cookie).
    Session(SecretToken),
    /// Two-factor is on: a challenge (its token for the cookie) to answer with a code.
    NeedsCode(SecretToken),
}

/// Checks an email and password and starts a session, or a two-factor
/// challenge. Every failure is the same [`AuthError::InvalidCredentials`]
/// after the same work: one Argon2 verification, against a dummy hash when
/// there is no usable account.
pub async fn sign_in(
    state: &AppState,
    email: &str,
    password: &str,
    next: &str,
    request: &RequestInfo,
) -> Result<SignedIn, AuthError> {
    // No password Roster accepts is longer; refuse before any hashing.
    if password.len() > MAX_PASSWORD_CHARS * 4 {
        return Err(AuthError::InvalidCredentials);
    }
    let password = typed_password(password);
    if password.chars().count() > MAX_PASSWORD_CHARS {
        return Err(AuthError::InvalidCredentials);
    }
    let candidate = match Email::parse(email) {
        Ok(email) => find_credentials(state, &email).await?,
        Err(_) => None,
    };
    let usable_hash = candidate
        .as_ref()
        .filter(|c| !c.locked)
        .and_then(|c| c.password_hash.clone());
    let verified =
        password_hash::verify(&state.hashing, password.to_owned(), usable_hash.clone()).await?;
    let Some(user) = candidate else {
        return Err(AuthError::InvalidCredentials);
    };
    if !verified {
        record_failure(state, &user, request, OnLock::KeepSessions).await?;
        return Err(AuthError::InvalidCredentials);
    }

    let now = state.now();
    let mut tx = state.pool.begin().await.context("starting sign-in")?;
    if usable_hash
        .as_deref()
        .is_some_and(password_hash::needs_rehash)
    {
        let rehashed = password_hash::hash_raw(&state.hashing, password.to_owned()).await?;
        sqlx::query!(
            "UPDATE users SET password_hash = $2 WHERE id = $1",
            user.id,
            rehashed.as_str()
        )
        .execute(&mut *tx)
        .await
        .context("rehashing a password")?;
    }
    if crate::two_factor::store::is_enabled(state, user.id).await? {
        tx.commit().await.context("committing sign-in")?;
        let challenge = crate::two_factor::store::start_challenge(state, user.id, next).await?;
        return Ok(SignedIn::NeedsCode(challenge));
    }
    // With two-factor on, the failures are cleared only once a code passes.
    sqlx::query!(
        "UPDATE users SET failed_login_attempts = 0, last_active_at = $2 WHERE id = $1",
        user.id,
        now
    )
    .execute(&mut *tx)
    .await
    .context("clearing failed sign-ins")?;
    let token = sessions::start(&mut tx, user.id, request, now).await?;
    let event = AuditEvent {
        account_id: user.account_id,
        actor: Some(user.id),
        target: Some(user.id),
        action: Action::SignedIn,
        details: serde_json::json!({}),
    };
    audit::record(&mut tx, event, request, now).await?;
    tx.commit().await.context("committing sign-in")?;
    Ok(SignedIn::Session(token))
}

/// Whether `password` is the user's current password (re-authentication
/// before a sensitive change). An implausibly long one is not even hashed.
/// A wrong one counts toward the lock like a failed sign-in; the lock it
/// brings also ends the user's sessions, since whoever is guessing holds one.
pub async fn is_current_password(
    state: &AppState,
    user_id: Uuid,
    password: &str,
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
        record_failure(state, &user, &RequestInfo::current(), OnLock::EndSessions).await?;
    }
    Ok(right)
}

async fn find_credentials(state: &AppState, email: &Email) -> anyhow::Result<Option<Credentials>> {
    let row = sqlx::query!(
        r#"SELECT id, account_id, name, email, password_hash, (locked_at IS NOT NULL) AS "locked!"
           FROM users WHERE lower(email) = lower($1) AND deleted_at IS NULL"#,
        email.as_str()
    )
    .fetch_optional(&state.pool)
    .await
    .context("looking up credentials")?;
    Ok(row.map(|row| Credentials {
        id: row.id,
        account_id: row.account_id,
        name: row.name,
        email: row.email,
        password_hash: row.password_hash,
        locked: row.locked,
    }))
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
    let users_url = format!("{}/manage/users", state.settings.public_url);
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
enum OnLock {
    /// A stranger guessing at the sign-in form must not sign the person out.
    KeepSessions,
    /// Someone guessing inside a session (re-authentication) loses it.
    EndSessions,
}

/// Counts a failure atomically; the tenth in a row locks the account and
/// tells its owner how to get back in.
async fn record_failure(
    state: &AppState,
    user: &Credentials,
    request: &RequestInfo,
    on_lock: OnLock,
) -> anyhow::Result<()> {
    let now = state.now();
    let mut tx = state
        .pool
        .begin()
        .await
        .context("starting to record a failed sign-in")?;
    let failures = sqlx::query_scalar!(
        "UPDATE users SET failed_login_attempts = failed_login_attempts + 1,
             locked_at = CASE WHEN locked_at IS NULL AND failed_login_attempts + 1 >= $2 THEN $3 ELSE locked_at END
         WHERE id = $1
         RETURNING failed_login_attempts",
        user.id,
        LOCK_AFTER_FAILURES,
        now,
    )
    .fetch_one(&mut *tx)
    .await
    .context("counting a failed sign-in")?;
    if failures == LOCK_AFTER_FAILURES {
        if on_lock == OnLock::EndSessions {
            sessions::revoke_all(&mut tx, user.id, now).await?;
        }
        let recover_url = format!("{}/recover", state.settings.public_url);
        let message = templates::account_locked(&user.email, &user.name, &recover_url);
        email::enqueue(&mut tx, &state.settings, Some(user.account_id), message).await?;
        tell_admins_of_lock(&mut tx, state, user, now).await?;
        let event = AuditEvent {
            account_id: user.account_id,
            actor: None,
            target: Some(user.id),
            action: Action::UserLocked,
            details: serde_json::json!({ "failed_login_attempts": failures }),
        };
        audit::record(&mut tx, event, request, now).await?;
        tracing::warn!(user_id = %user.id, "account locked after {failures} failed sign-ins");
    }
    tx.commit().await.context("committing a failed sign-in")?;
    Ok(())
}

/// Emails a reset link if `email` belongs to an account that can sign in,
/// at most once per account every five minutes. Says nothing either way.
pub async fn request_password_reset(
    state: &AppState,
    email: &Email,
    request: &RequestInfo,
) -> anyhow::Result<()> {
    let now = state.now();
    let mut tx = state
        .pool
        .begin()
        .await
        .context("starting a reset request")?;
    // Locking the user row serialises two requests for the same account.
    let user = sqlx::query!(
        "SELECT id, account_id, name, email FROM users
         WHERE lower(email) = lower($1) AND deleted_at IS NULL AND password_hash IS NOT NULL
         FOR UPDATE",
        email.as_str()
    )
    .fetch_optional(&mut *tx)
    .await
    .context("looking up a reset request's account")?;
    let Some(user) = user else { return Ok(()) };
    let recently_sent = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM password_resets WHERE user_id = $1 AND created_at > $2) AS "sent!""#,
        user.id,
        now - TimeDelta::minutes(RESET_EMAIL_INTERVAL_MINUTES),
    )
    .fetch_one(&mut *tx)
    .await
    .context("checking for a recent reset email")?;
    if recently_sent {
        return Ok(());
    }
    issue_reset_link(
        &mut tx,
        state,
        user.id,
        user.account_id,
        &user.name,
        &user.email,
        now,
    )
    .await?;
    let event = AuditEvent {
        account_id: user.account_id,
        actor: Some(user.id),
        target: Some(user.id),
        action: Action::PasswordResetRequested,
        details: serde_json::json!({}),
    };
    audit::record(&mut tx, event, request, now).await?;
    tx.commit().await.context("committing a reset request")?;
    Ok(())
}

/// Stores a new reset link for a user (killing the older ones) and queues
/// the email that carries it, in the caller's transaction.
pub async fn issue_reset_link(
    conn: &mut sqlx::PgConnection,
    state: &AppState,
    user_id: Uuid,
    account_id: Uuid,
    name: &str,
    to: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    revoke_reset_links(&mut *conn, user_id, now).await?;
    let token = SecretToken::generate();
    sqlx::query!(
        "INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        user_id,
        token.hash(),
        now,
        now + TimeDelta::minutes(RESET_LINK_MINUTES),
    )
    .execute(&mut *conn)
    .await
    .context("storing a reset link")?;
    let reset_url = format!("{}/reset/{}", state.settings.public_url, token.expose());
    let message = templates::password_reset(to, name, &reset_url);
    email::enqueue(conn, &state.settings, Some(account_id), message).await
}

/// Kills every unused reset link of `user_id`: a newer link, a new password
/// or a new email address makes the old links worthless.
pub async fn revoke_reset_links(
    conn: &mut sqlx::PgConnection,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query!(
        "UPDATE password_resets SET revoked_at = $2 WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL",
        user_id,
        now
    )
    .execute(conn)
    .await
    .context("revoking reset links")?;
    Ok(())
}

/// What a reset link is good for, for the page it opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkState {
    Usable,
    Expired,
    Used,
    Invalid,
}

pub async fn reset_link_state(state: &AppState, token: &str) -> anyhow::Result<LinkState> {
    if !looks_like_token(token) {
        return Ok(LinkState::Invalid);
    }
    let link = sqlx::query!(
        "SELECT r.expires_at, r.used_at, r.revoked_at FROM password_resets r
         JOIN users u ON u.id = r.user_id
         WHERE r.token_hash = $1 AND u.deleted_at IS NULL",
        hash_token(token)
    )
    .fetch_optional(&state.pool)
    .await
    .context("looking up a reset link")?;
    Ok(match link {
        None => LinkState::Invalid,
        Some(link) => classify(link.expires_at, link.used_at, link.revoked_at, state.now()),
    })
}

fn classify(
    expires_at: DateTime<Utc>,
    used_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> LinkState {
    if used_at.is_some() {
        LinkState::Used
    } else if revoked_at.is_some() {
        LinkState::Invalid
    } else if expires_at <= now {
        LinkState::Expired
    } else {
        LinkState::Usable
    }
}

/// Sets a new password through a reset link: the link is used up, the lock
/// and failure count clear, every session ends, and the owner is told.
pub async fn reset_password(
    state: &AppState,
    token: &str,
    new_password: &str,
    request: &RequestInfo,
) -> Result<(), AuthError> {
    if !looks_like_token(token) {
        return Err(AuthError::ResetLinkInvalid);
    }
    let now = state.now();
    let mut tx = state
        .pool
        .begin()
        .await
        .context("starting a password reset")?;
    let link = sqlx::query!(
        "SELECT r.id, r.user_id, r.expires_at, r.used_at, r.revoked_at,
                u.email, u.name, u.account_id, a.name AS account_name
         FROM password_resets r
         JOIN users u ON u.id = r.user_id
         JOIN accounts a ON a.id = u.account_id
         WHERE r.token_hash = $1 AND u.deleted_at IS NULL
         FOR UPDATE OF r, u",
        hash_token(token)
    )
    .fetch_optional(&mut *tx)
    .await
    .context("looking up a reset link")?
    .ok_or(AuthError::ResetLinkInvalid)?;
    if classify(link.expires_at, link.used_at, link.revoked_at, now) != LinkState::Usable {
        return Err(AuthError::ResetLinkInvalid);
    }
    let context = PasswordContext {
        email: Some(&link.email),
        account_name: Some(&link.account_name),
    };
    let password = Password::parse(new_password, &context)
        .map_err(|error| AuthError::Invalid(FieldErrors::single("password", error.0)))?;
    let hash = password_hash::hash(&state.hashing, password).await?;

    sqlx::query!(
        "UPDATE users SET password_hash = $2, failed_login_attempts = 0, locked_at = NULL,
                          updated_at = $3, version = version + 1
         WHERE id = $1",
        link.user_id,
        hash.as_str(),
        now
    )
    .execute(&mut *tx)
    .await
    .context("setting the new password")?;
    sqlx::query!(
        "UPDATE two_factor SET code_failures = 0, codes_refused_until = NULL WHERE user_id = $1",
        link.user_id
    )
    .execute(&mut *tx)
    .await
    .context("clearing wrong two-factor codes")?;
    sqlx::query!(
        "UPDATE password_resets SET used_at = $2 WHERE id = $1",
        link.id,
        now
    )
    .execute(&mut *tx)
    .await
    .context("using up the reset link")?;
    revoke_reset_links(&mut tx, link.user_id, now).await?;
    sessions::revoke_all(&mut tx, link.user_id, now).await?;
    let recover_url = format!("{}/recover", state.settings.public_url);
    let message = templates::password_changed(&link.email, &link.name, &recover_url);
    email::enqueue(&mut tx, &state.settings, Some(link.account_id), message).await?;
    let event = AuditEvent {
        account_id: link.account_id,
        actor: Some(link.user_id),
        target: Some(link.user_id),
        action: Action::PasswordReset,
        details: serde_json::json!({}),
    };
    audit::record(&mut tx, event, request, now).await?;
    tx.commit().await.context("committing a password reset")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_usable_only_unused_unrevoked_and_unexpired() {
        let now = Utc::now();
        let later = now + TimeDelta::minutes(1);
        assert_eq!(classify(later, None, None, now), LinkState::Usable);
        assert_eq!(classify(now, None, None, now), LinkState::Expired);
        assert_eq!(classify(later, Some(now), None, now), LinkState::Used);
        assert_eq!(classify(later, None, Some(now), now), LinkState::Invalid);
    }
}
