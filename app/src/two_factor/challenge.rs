//! The second step of signing in: after the right password, a challenge
//! (a cookie's token) the browser answers with a code.

use anyhow::Context as _;
use chrono::TimeDelta;
use uuid::Uuid;

use super::codes::consume_code;
use crate::{
    audit::Action,
    change::Change,
    request::RequestInfo,
    session::AuthError,
    session::{store as sessions, token::SecretToken},
    state::AppState,
};

/// How long the browser has to bring a code after the password.
const CHALLENGE_MINUTES: i64 = 5;
/// Wrong codes one challenge tolerates.
const CHALLENGE_FAILURES: i32 = 5;

/// After the right password for an account with two-factor: a challenge the
/// browser must answer with a code.
pub async fn start_challenge(
    state: &AppState,
    user_id: Uuid,
    next_path: &str,
) -> anyhow::Result<SecretToken> {
    let now = state.now();
    let token = SecretToken::generate();
    sqlx::query!(
        "INSERT INTO two_factor_challenges (token_hash, user_id, next_path, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        token.hash(),
        user_id,
        next_path,
        now,
        now + TimeDelta::minutes(CHALLENGE_MINUTES),
    )
    .execute(&state.pool)
    .await
    .context("starting a two-factor challenge")?;
    Ok(token)
}

/// Answers a challenge with a code; on success starts the session and
/// returns its token and where to go.
pub async fn complete_challenge(
    state: &AppState,
    challenge_token: &str,
    code: &str,
    request: &RequestInfo,
) -> Result<(SecretToken, String), AuthError> {
    use crate::session::token::{hash_token, looks_like_token};
    if !looks_like_token(challenge_token) {
        return Err(AuthError::ChallengeExpired);
    }
    let mut change = Change::begin_anonymous(state, request, "a two-factor sign-in").await?;
    let now = change.now;
    let challenge = sqlx::query!(
        "SELECT c.id, c.user_id, c.next_path, c.failures, c.expires_at, c.used_at, u.account_id
         FROM two_factor_challenges c JOIN users u ON u.id = c.user_id
         WHERE c.token_hash = $1 AND u.deleted_at IS NULL AND u.deactivated_at IS NULL
           AND u.locked_at IS NULL
         FOR UPDATE OF c",
        hash_token(challenge_token)
    )
    .fetch_optional(change.conn())
    .await
    .context("reading a two-factor challenge")?
    .filter(|c| c.used_at.is_none() && c.expires_at > now && c.failures < CHALLENGE_FAILURES)
    .ok_or(AuthError::ChallengeExpired)?;
    // Whose it is, for what a wrong code may record; the person is its
    // actor only once the code is accepted.
    change.identify(challenge.account_id, None);
    let checked = consume_code(state, &mut change, challenge.user_id, code).await?;
    if let Err(error) = checked.or(AuthError::InvalidCode) {
        if error == AuthError::InvalidCode {
            sqlx::query!(
                "UPDATE two_factor_challenges SET failures = failures + 1 WHERE id = $1",
                challenge.id
            )
            .execute(change.conn())
            .await
            .context("counting a wrong code against the challenge")?;
        }
        change.commit().await?;
        return Err(error);
    }
    // Only now, with both factors, do failed passwords stop counting.
    sqlx::query!(
        "UPDATE users SET failed_login_attempts = 0, last_active_at = $2 WHERE id = $1",
        challenge.user_id,
        now
    )
    .execute(change.conn())
    .await
    .context("clearing failed sign-ins")?;
    sqlx::query!(
        "UPDATE two_factor_challenges SET used_at = $2 WHERE id = $1",
        challenge.id,
        now
    )
    .execute(change.conn())
    .await
    .context("using up a challenge")?;
    let token = sessions::start(change.conn(), challenge.user_id, request, now).await?;
    change.identify(challenge.account_id, Some(challenge.user_id));
    change
        .record(
            Action::SignedIn,
            Some(challenge.user_id),
            serde_json::json!({ "two_factor": true }),
        )
        .await?;
    change.commit().await?;
    Ok((token, challenge.next_path))
}
