//! Sign-in against PostgreSQL (the lock: `session::password_check`;
//! password resets: `reset_links`).

use anyhow::Context as _;

use crate::crypto::password_hash;
use crate::{
    audit::Action,
    change::Change,
    domain::{typed_password, Email, MAX_PASSWORD_CHARS},
    request::RequestInfo,
    session::{
        password_check::{record_failure, Credentials, OnLock},
        store as sessions,
        token::SecretToken,
        AuthError,
    },
    state::AppState,
};

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

    let mut change =
        Change::begin(state, user.account_id, Some(user.id), request, "sign-in").await?;
    let now = change.now;
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
        .execute(change.conn())
        .await
        .context("rehashing a password")?;
    }
    if crate::two_factor::store::is_enabled(state, user.id).await? {
        change.commit().await?;
        let challenge = crate::two_factor::challenge::start_challenge(state, user.id, next).await?;
        return Ok(SignedIn::NeedsCode(challenge));
    }
    // With two-factor on, the failures are cleared only once a code passes.
    sqlx::query!(
        "UPDATE users SET failed_login_attempts = 0, last_active_at = $2 WHERE id = $1",
        user.id,
        now
    )
    .execute(change.conn())
    .await
    .context("clearing failed sign-ins")?;
    let token = sessions::start(change.conn(), user.id, request, now).await?;
    change
        .record(Action::SignedIn, Some(user.id), serde_json::json!({}))
        .await?;
    change.commit().await?;
    Ok(SignedIn::Session(token))
}

async fn find_credentials(state: &AppState, email: &Email) -> anyhow::Result<Option<Credentials>> {
    let row = sqlx::query!(
        r#"SELECT id, account_id, name, email, password_hash, (locked_at IS NOT NULL) AS "locked!"
           FROM users WHERE lower(email) = lower($1) AND deleted_at IS NULL AND deactivated_at IS NULL"#,
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
