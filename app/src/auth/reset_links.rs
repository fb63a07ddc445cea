//! Password resets against PostgreSQL: asking for a link, an admin sending
//! one, what a link's state is, and setting the new password.

use anyhow::Context as _;
use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use crate::crypto::password_hash;
use crate::session::AuthError;
use crate::{
    audit::Action,
    change::Change,
    domain::{Email, FieldErrors, Password, PasswordContext},
    email::{self, templates},
    request::RequestInfo,
    session::{
        store as sessions,
        token::{hash_token, looks_like_token, SecretToken},
    },
    state::AppState,
};

/// How long a reset link works.
pub const RESET_LINK_MINUTES: i64 = 60;
/// At most one reset email per account in this many minutes.
pub const RESET_EMAIL_INTERVAL_MINUTES: i64 = 5;

/// Emails a reset link if `email` belongs to an account that can sign in,
/// at most once per account every five minutes. Says nothing either way.
pub async fn request_password_reset(
    state: &AppState,
    email: &Email,
    request: &RequestInfo,
) -> anyhow::Result<()> {
    let mut change = Change::begin_anonymous(state, request, "a reset request").await?;
    let now = change.now;
    // Locking the user row serialises two requests for the same account.
    let user = sqlx::query!(
        "SELECT id, account_id, name, email FROM users
         WHERE lower(email) = lower($1) AND deleted_at IS NULL AND deactivated_at IS NULL
           AND password_hash IS NOT NULL
         FOR NO KEY UPDATE",
        email.as_str()
    )
    .fetch_optional(change.conn())
    .await
    .context("looking up a reset request's account")?;
    let Some(user) = user else { return Ok(()) };
    let recently_sent = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM password_resets WHERE user_id = $1 AND created_at > $2) AS "sent!""#,
        user.id,
        now - TimeDelta::minutes(RESET_EMAIL_INTERVAL_MINUTES),
    )
    .fetch_one(change.conn())
    .await
    .context("checking for a recent reset email")?;
    if recently_sent {
        return Ok(());
    }
    issue_reset_link(
        change.conn(),
        state,
        user.id,
        user.account_id,
        &user.name,
        &user.email,
        now,
    )
    .await?;
    change.identify(user.account_id, Some(user.id));
    change
        .record(
            Action::PasswordResetRequested,
            Some(user.id),
            serde_json::json!({}),
        )
        .await?;
    change.commit().await?;
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
    let reset_url = state
        .settings
        .public_url
        .link(&format!("/reset/{}", token.expose()));
    let message = templates::password_reset(to, name, &reset_url);
    email::enqueue(conn, &state.settings, Some(account_id), message)
        .await
        .map(drop)
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
         WHERE r.token_hash = $1 AND u.deleted_at IS NULL AND u.deactivated_at IS NULL",
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
    let mut change = Change::begin_anonymous(state, request, "a password reset").await?;
    let now = change.now;
    let link = sqlx::query!(
        "SELECT r.id, r.user_id, r.expires_at, r.used_at, r.revoked_at,
                u.email, u.name, u.account_id, a.name AS account_name
         FROM password_resets r
         JOIN users u ON u.id = r.user_id
         JOIN accounts a ON a.id = u.account_id
         WHERE r.token_hash = $1 AND u.deleted_at IS NULL AND u.deactivated_at IS NULL
         FOR NO KEY UPDATE OF r, u",
        hash_token(token)
    )
    .fetch_optional(change.conn())
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
    .execute(change.conn())
    .await
    .context("setting the new password")?;
    sqlx::query!(
        "UPDATE two_factor SET code_failures = 0, codes_refused_until = NULL WHERE user_id = $1",
        link.user_id
    )
    .execute(change.conn())
    .await
    .context("clearing wrong two-factor codes")?;
    sqlx::query!(
        "UPDATE password_resets SET used_at = $2 WHERE id = $1",
        link.id,
        now
    )
    .execute(change.conn())
    .await
    .context("using up the reset link")?;
    revoke_reset_links(change.conn(), link.user_id, now).await?;
    sessions::revoke_all(change.conn(), link.user_id, now).await?;
    let recover_url = state.settings.public_url.link("/recover");
    let message = templates::password_changed(&link.email, &link.name, &recover_url);
    change.identify(link.account_id, Some(link.user_id));
    change.send(&state.settings, message).await?;
    change
        .record(
            Action::PasswordReset,
            Some(link.user_id),
            serde_json::json!({}),
        )
        .await?;
    change.commit().await?;
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
