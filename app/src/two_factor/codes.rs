//! Checking a code a person brings: a TOTP code from their app (each step
//! once) or one of their recovery codes (each once), and counting wrong ones
//! across sign-ins, so that guessing meets a cool-down that doubles.

use anyhow::Context as _;
use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use super::totp;
use crate::{
    audit::Action,
    change::Change,
    crypto::password_hash::{self, HashingPool},
    email::templates,
    session::AuthError,
    state::AppState,
};

/// Wrong codes in a row (across challenges) before codes are refused.
pub const CODE_FAILURES_BEFORE_COOL_DOWN: i32 = 10;
/// The first cool-down; each further wrong code doubles it.
const CODE_COOL_DOWN_MINUTES: i64 = 15;
const CODE_COOL_DOWN_MAX_HOURS: i64 = 24;
/// A recovery code's characters, without its dash.
pub(super) const RECOVERY_CODE_CHARS: usize = 10;

pub(super) fn normalise(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_ascii_lowercase()
}

/// What a code brought for an account with two-factor on came to.
pub(super) enum CodeCheck {
    Accepted,
    Wrong,
    /// Too many wrong codes: none is checked until the cool-down ends.
    Refused {
        retry_after: u64,
    },
}

impl CodeCheck {
    /// `Ok` for an accepted code; `wrong` for a wrong one.
    pub(super) fn or(self, wrong: AuthError) -> Result<(), AuthError> {
        match self {
            CodeCheck::Accepted => Ok(()),
            CodeCheck::Wrong => Err(wrong),
            CodeCheck::Refused { retry_after } => Err(AuthError::CodesRefused { retry_after }),
        }
    }
}

/// How long codes are refused after `failures` wrong ones in a row: nothing
/// before [`CODE_FAILURES_BEFORE_COOL_DOWN`], then 15 minutes, doubling with
/// each further wrong code, at most a day.
pub fn code_cool_down(failures: i32) -> Option<TimeDelta> {
    let beyond = failures.checked_sub(CODE_FAILURES_BEFORE_COOL_DOWN)?;
    let doublings = u32::try_from(beyond).ok()?.min(7);
    Some(
        (TimeDelta::minutes(CODE_COOL_DOWN_MINUTES) * 2_i32.pow(doublings))
            .min(TimeDelta::hours(CODE_COOL_DOWN_MAX_HOURS)),
    )
}

/// Checks a TOTP code (never a step at or before the last one used) or an
/// unused recovery code, using it up, and keeps count of wrong ones across
/// challenges: the caller commits the change whatever the answer.
pub(super) async fn consume_code(
    state: &AppState,
    change: &mut Change<'_>,
    user_id: Uuid,
    code: &str,
) -> anyhow::Result<CodeCheck> {
    let now = change.now;
    let factor = sqlx::query!(
        "SELECT secret_ciphertext, last_used_step, code_failures, codes_refused_until
         FROM two_factor WHERE user_id = $1 AND enabled_at IS NOT NULL FOR UPDATE",
        user_id
    )
    .fetch_optional(change.conn())
    .await
    .context("reading two-factor")?;
    let Some(factor) = factor else {
        return Ok(CodeCheck::Wrong);
    };
    if let Some(until) = factor.codes_refused_until.filter(|until| *until > now) {
        let retry_after = (until - now).num_seconds().max(1).unsigned_abs();
        return Ok(CodeCheck::Refused { retry_after });
    }
    let code = normalise(code);
    let secret = state
        .settings
        .encryption_key
        .open(&factor.secret_ciphertext)?;
    let accepted = match totp::matching_step(&secret, &code, now) {
        Some(step) if step > factor.last_used_step => {
            sqlx::query!(
                "UPDATE two_factor SET last_used_step = $2 WHERE user_id = $1",
                user_id,
                step
            )
            .execute(change.conn())
            .await
            .context("using up a code")?;
            true
        }
        Some(_) => false,
        None => use_recovery_code(&state.hashing, change.conn(), user_id, &code, now).await?,
    };
    if accepted {
        if factor.code_failures > 0 {
            sqlx::query!(
                "UPDATE two_factor SET code_failures = 0, codes_refused_until = NULL WHERE user_id = $1",
                user_id
            )
            .execute(change.conn())
            .await
            .context("clearing wrong codes")?;
        }
        return Ok(CodeCheck::Accepted);
    }
    count_wrong_code(state, change, user_id).await?;
    Ok(CodeCheck::Wrong)
}

/// Counts a wrong code; the tenth in a row starts the cool-down and tells
/// the person, who may not have been the one typing.
async fn count_wrong_code(
    state: &AppState,
    change: &mut Change<'_>,
    user_id: Uuid,
) -> anyhow::Result<()> {
    let now = change.now;
    let failures = sqlx::query_scalar!(
        "UPDATE two_factor SET code_failures = code_failures + 1 WHERE user_id = $1 RETURNING code_failures",
        user_id
    )
    .fetch_one(change.conn())
    .await
    .context("counting a wrong code")?;
    let Some(cool_down) = code_cool_down(failures) else {
        return Ok(());
    };
    sqlx::query!(
        "UPDATE two_factor SET codes_refused_until = $2 WHERE user_id = $1",
        user_id,
        now + cool_down
    )
    .execute(change.conn())
    .await
    .context("refusing codes for a while")?;
    if failures != CODE_FAILURES_BEFORE_COOL_DOWN {
        return Ok(());
    }
    let user = sqlx::query!(
        "SELECT account_id, name, email FROM users WHERE id = $1",
        user_id
    )
    .fetch_one(change.conn())
    .await
    .context("reading whom to tell of wrong codes")?;
    let recover_url = state.settings.public_url.link("/recover");
    let message = templates::two_factor_codes_refused(&user.email, &user.name, &recover_url);
    change.send(&state.settings, message).await?;
    change
        .record_by_roster(
            Action::TwoFactorCodesRefused,
            Some(user_id),
            serde_json::json!({ "code_failures": failures }),
        )
        .await?;
    tracing::warn!(%user_id, "two-factor codes refused after {failures} wrong ones");
    Ok(())
}

/// Uses up the recovery code `code` (normalised) if it is one of the
/// user's unused ones. Costs one Argon2 verification whatever the code:
/// candidates are found by their first two characters.
async fn use_recovery_code(
    hashing: &HashingPool,
    tx: &mut sqlx::PgConnection,
    user_id: Uuid,
    code: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    if code.len() != RECOVERY_CODE_CHARS || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Ok(false);
    }
    let formatted = format!("{}-{}", &code[..5], &code[5..]);
    let candidates = sqlx::query!(
        "SELECT id, code_hash FROM recovery_codes
         WHERE user_id = $1 AND used_at IS NULL AND (lookup = $2 OR lookup IS NULL)
         FOR UPDATE",
        user_id,
        recovery_lookup(code)
    )
    .fetch_all(&mut *tx)
    .await
    .context("reading recovery codes")?;
    if candidates.is_empty() {
        // The same work as a wrong code that had a candidate.
        password_hash::verify(hashing, formatted, None).await?;
        return Ok(false);
    }
    for candidate in candidates {
        if password_hash::verify(hashing, formatted.clone(), Some(candidate.code_hash)).await? {
            sqlx::query!(
                "UPDATE recovery_codes SET used_at = $2 WHERE id = $1",
                candidate.id,
                now
            )
            .execute(&mut *tx)
            .await
            .context("using up a recovery code")?;
            return Ok(true);
        }
    }
    Ok(false)
}

/// The non-secret part of a recovery code by which it is found.
pub(super) fn recovery_lookup(code: &str) -> &str {
    &code[..2]
}
