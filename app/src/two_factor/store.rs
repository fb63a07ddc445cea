//! Two-factor authentication in PostgreSQL: setting it up, turning it off,
//! and the second step of signing in.

use anyhow::Context as _;
use chrono::{DateTime, TimeDelta, Utc};
use data_encoding::BASE32_NOPAD;
use rand::RngCore as _;
use uuid::Uuid;

use super::{secret_box::EncryptionKey, totp, SecurityStatus, SetupKey};
use crate::{
    audit::{self, Action, AuditEvent},
    auth::{
        password_hash::{self, HashingPool},
        AuthError,
    },
    domain::FieldErrors,
    email::{self, templates},
    request::RequestInfo,
    session::{store as sessions, token::SecretToken, Viewer},
    state::AppState,
};

pub const RECOVERY_CODES: usize = 10;
/// A pending setup's secret is replaced after this long.
const PENDING_SETUP_MINUTES: i64 = 60;
/// How long the browser has to bring a code after the password.
const CHALLENGE_MINUTES: i64 = 5;
/// Wrong codes one challenge tolerates.
const CHALLENGE_FAILURES: i32 = 5;
/// Wrong codes in a row (across challenges) before codes are refused.
pub const CODE_FAILURES_BEFORE_COOL_DOWN: i32 = 10;
/// The first cool-down; each further wrong code doubles it.
const CODE_COOL_DOWN_MINUTES: i64 = 15;
const CODE_COOL_DOWN_MAX_HOURS: i64 = 24;
/// A recovery code's characters, without its dash.
const RECOVERY_CODE_CHARS: usize = 10;

pub async fn is_enabled(state: &AppState, user_id: Uuid) -> anyhow::Result<bool> {
    let enabled = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM two_factor WHERE user_id = $1 AND enabled_at IS NOT NULL) AS "on!""#,
        user_id
    )
    .fetch_one(&state.pool)
    .await
    .context("checking two-factor status")?;
    Ok(enabled)
}

/// The Security section's state for the viewer. Without two-factor it holds
/// a setup key (kept for an hour, so the QR code does not change under the
/// person's phone); right after enabling, the recovery codes, once.
pub async fn status(
    state: &AppState,
    viewer: &Viewer,
    shown: Option<FreshRecoveryCodes>,
) -> anyhow::Result<SecurityStatus> {
    let key = &state.settings.encryption_key;
    let now = state.now();
    let mut tx = state
        .pool
        .begin()
        .await
        .context("starting the security status")?;
    let row = sqlx::query!(
        "SELECT secret_ciphertext, created_at, enabled_at FROM two_factor WHERE user_id = $1 FOR UPDATE",
        viewer.user_id
    )
    .fetch_optional(&mut *tx)
    .await
    .context("reading two-factor state")?;
    let status = match row {
        Some(row) if row.enabled_at.is_some() => {
            // The codes the browser holds, while they are still the set.
            let recovery_codes = match shown {
                Some(fresh) => {
                    let current = sqlx::query_scalar!(
                        r#"SELECT count(*) AS "count!" FROM recovery_codes WHERE user_id = $1 AND id = ANY($2)"#,
                        viewer.user_id,
                        &fresh.ids
                    )
                    .fetch_one(&mut *tx)
                    .await
                    .context("checking the fresh recovery codes")?;
                    (usize::try_from(current).ok() == Some(fresh.ids.len())).then_some(fresh.codes)
                }
                None => None,
            };
            SecurityStatus {
                enabled: true,
                setup: None,
                recovery_codes,
            }
        }
        Some(row) if row.created_at > now - TimeDelta::minutes(PENDING_SETUP_MINUTES) => {
            let secret = key.open(&row.secret_ciphertext)?;
            SecurityStatus {
                enabled: false,
                setup: Some(setup_key(&secret, &viewer.email)?),
                recovery_codes: None,
            }
        }
        _ => {
            let mut secret = [0u8; totp::SECRET_BYTES];
            rand::rngs::OsRng.fill_bytes(&mut secret);
            sqlx::query!(
                "INSERT INTO two_factor (user_id, secret_ciphertext, created_at) VALUES ($1, $2, $3)
                 ON CONFLICT (user_id) DO UPDATE SET secret_ciphertext = $2, created_at = $3, enabled_at = NULL,
                     last_used_step = 0",
                viewer.user_id,
                key.seal(&secret),
                now
            )
            .execute(&mut *tx)
            .await
            .context("storing a new two-factor setup")?;
            SecurityStatus {
                enabled: false,
                setup: Some(setup_key(&secret, &viewer.email)?),
                recovery_codes: None,
            }
        }
    };
    tx.commit()
        .await
        .context("committing the security status")?;
    Ok(status)
}

fn setup_key(secret: &[u8], email: &str) -> anyhow::Result<SetupKey> {
    let base32 = BASE32_NOPAD.encode(secret);
    let url = totp::otpauth_url(&base32, email);
    let svg = qrcode::QrCode::new(url.as_bytes())
        .context("making the QR code")?
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .build();
    use base64::Engine as _;
    Ok(SetupKey {
        secret: base32
            .as_bytes()
            .chunks(4)
            .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
            .collect::<Vec<_>>()
            .join(" "),
        qr_code: format!(
            "data:image/svg+xml;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(svg)
        ),
    })
}

async fn check_password(state: &AppState, user_id: Uuid, password: &str) -> Result<(), AuthError> {
    if crate::auth::store::is_current_password(state, user_id, password).await? {
        Ok(())
    } else {
        Err(AuthError::Invalid(FieldErrors::single(
            "password",
            "That password is not right.",
        )))
    }
}

/// Turns two-factor on: the password again, and a code from the app that
/// scanned the pending setup key. Creates the recovery codes.
pub async fn enable(
    state: &AppState,
    viewer: &Viewer,
    password: &str,
    code: &str,
) -> Result<FreshRecoveryCodes, AuthError> {
    check_password(state, viewer.user_id, password).await?;
    let key = &state.settings.encryption_key;
    let now = state.now();
    let mut tx = state
        .pool
        .begin()
        .await
        .context("starting to enable two-factor")?;
    let pending = sqlx::query!(
        "SELECT secret_ciphertext FROM two_factor WHERE user_id = $1 AND enabled_at IS NULL FOR UPDATE",
        viewer.user_id
    )
    .fetch_optional(&mut *tx)
    .await
    .context("reading the pending setup")?
    .ok_or_else(|| AuthError::Invalid(FieldErrors::single("code", "Two-factor authentication is already on, or the setup expired. Reload the page.")))?;
    let secret = key.open(&pending.secret_ciphertext)?;
    let step = totp::matching_step(&secret, &normalise(code), now).ok_or_else(|| {
        AuthError::Invalid(FieldErrors::single(
            "code",
            "That code is not right. Enter the 6 digits your app shows now.",
        ))
    })?;
    let codes = store_new_recovery_codes(&state.hashing, &mut tx, viewer.user_id).await?;
    sqlx::query!(
        "UPDATE two_factor SET enabled_at = $2, last_used_step = $3 WHERE user_id = $1",
        viewer.user_id,
        now,
        step,
    )
    .execute(&mut *tx)
    .await
    .context("enabling two-factor")?;
    let message = templates::two_factor_changed(&viewer.email, &viewer.name, true);
    email::enqueue(&mut tx, &state.settings, Some(viewer.account_id), message).await?;
    record(&mut tx, viewer, Action::TwoFactorEnabled, now).await?;
    tx.commit().await.context("committing two-factor")?;
    Ok(codes)
}

/// Replaces the recovery codes (the old ones stop working) and returns the
/// new ones, to show once. Needs the password again.
pub async fn regenerate_recovery_codes(
    state: &AppState,
    viewer: &Viewer,
    password: &str,
) -> Result<FreshRecoveryCodes, AuthError> {
    check_password(state, viewer.user_id, password).await?;
    let now = state.now();
    let mut tx = state
        .pool
        .begin()
        .await
        .context("starting to replace recovery codes")?;
    let enabled = sqlx::query_scalar!(
        "SELECT user_id FROM two_factor WHERE user_id = $1 AND enabled_at IS NOT NULL FOR UPDATE",
        viewer.user_id
    )
    .fetch_optional(&mut *tx)
    .await
    .context("checking two-factor")?;
    if enabled.is_none() {
        return Err(AuthError::Invalid(FieldErrors::single(
            "password",
            "Two-factor authentication is off.",
        )));
    }
    sqlx::query!(
        "DELETE FROM recovery_codes WHERE user_id = $1",
        viewer.user_id
    )
    .execute(&mut *tx)
    .await
    .context("deleting old recovery codes")?;
    let codes = store_new_recovery_codes(&state.hashing, &mut tx, viewer.user_id).await?;
    record(&mut tx, viewer, Action::RecoveryCodesReplaced, now).await?;
    tx.commit().await.context("committing new recovery codes")?;
    Ok(codes)
}

/// Creates and stores (hashed) a fresh set of recovery codes.
async fn store_new_recovery_codes(
    hashing: &HashingPool,
    tx: &mut sqlx::PgConnection,
    user_id: Uuid,
) -> anyhow::Result<FreshRecoveryCodes> {
    let codes = new_recovery_codes();
    let mut ids = Vec::with_capacity(codes.len());
    for code in &codes {
        let hash = password_hash::hash_raw(hashing, code.clone()).await?;
        let id = sqlx::query_scalar!(
            "INSERT INTO recovery_codes (user_id, code_hash, lookup) VALUES ($1, $2, $3) RETURNING id",
            user_id,
            hash.as_str(),
            recovery_lookup(code)
        )
        .fetch_one(&mut *tx)
        .await
        .context("storing a recovery code")?;
        ids.push(id);
    }
    Ok(FreshRecoveryCodes { ids, codes })
}

/// A new set of recovery codes on its way to its owner's browser (see
/// `session::shown_once`): the server keeps only their hashes.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct FreshRecoveryCodes {
    ids: Vec<Uuid>,
    codes: Vec<String>,
}

impl FreshRecoveryCodes {
    /// What `session::shown_once` calls them.
    pub const KIND: &'static str = "recovery_codes";
}

/// Turns two-factor off: the password again, and a code (or a recovery code).
pub async fn disable(
    state: &AppState,
    viewer: &Viewer,
    password: &str,
    code: &str,
) -> Result<(), AuthError> {
    check_password(state, viewer.user_id, password).await?;
    let now = state.now();
    let mut tx = state
        .pool
        .begin()
        .await
        .context("starting to disable two-factor")?;
    let wrong = AuthError::Invalid(FieldErrors::single("code", "That code is not right."));
    if let Err(error) = consume_code(state, &mut tx, viewer.user_id, code, now)
        .await?
        .or(wrong)
    {
        // The count of wrong codes stands.
        tx.commit().await.context("committing a wrong code")?;
        return Err(error);
    }
    sqlx::query!(
        "DELETE FROM recovery_codes WHERE user_id = $1",
        viewer.user_id
    )
    .execute(&mut *tx)
    .await
    .context("deleting recovery codes")?;
    sqlx::query!("DELETE FROM two_factor WHERE user_id = $1", viewer.user_id)
        .execute(&mut *tx)
        .await
        .context("disabling two-factor")?;
    let message = templates::two_factor_changed(&viewer.email, &viewer.name, false);
    email::enqueue(&mut tx, &state.settings, Some(viewer.account_id), message).await?;
    record(&mut tx, viewer, Action::TwoFactorDisabled, now).await?;
    tx.commit().await.context("committing two-factor")?;
    Ok(())
}

async fn record(
    conn: &mut sqlx::PgConnection,
    viewer: &Viewer,
    action: Action,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let event = AuditEvent {
        account_id: viewer.account_id,
        actor: Some(viewer.user_id),
        target: Some(viewer.user_id),
        action,
        details: serde_json::json!({}),
    };
    audit::record(conn, event, &RequestInfo::current(), now).await
}

pub(super) fn normalise(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Ten codes like `k3x9q-7mwpd`: each character drawn uniformly (no modulo
/// bias) from 31 that cannot be mistaken for one another, about 49.5 bits.
fn new_recovery_codes() -> Vec<String> {
    use rand::Rng as _;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    (0..RECOVERY_CODES)
        .map(|_| {
            let chars: String = (0..RECOVERY_CODE_CHARS)
                .map(|_| char::from(ALPHABET[rand::rngs::OsRng.gen_range(0..ALPHABET.len())]))
                .collect();
            format!("{}-{}", &chars[..5], &chars[5..])
        })
        .collect()
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
    fn or(self, wrong: AuthError) -> Result<(), AuthError> {
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
/// challenges: the caller commits the transaction whatever the answer.
pub(super) async fn consume_code(
    state: &AppState,
    tx: &mut sqlx::PgConnection,
    user_id: Uuid,
    code: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<CodeCheck> {
    let factor = sqlx::query!(
        "SELECT secret_ciphertext, last_used_step, code_failures, codes_refused_until
         FROM two_factor WHERE user_id = $1 AND enabled_at IS NOT NULL FOR UPDATE",
        user_id
    )
    .fetch_optional(&mut *tx)
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
            .execute(&mut *tx)
            .await
            .context("using up a code")?;
            true
        }
        Some(_) => false,
        None => use_recovery_code(&state.hashing, tx, user_id, &code, now).await?,
    };
    if accepted {
        if factor.code_failures > 0 {
            sqlx::query!(
                "UPDATE two_factor SET code_failures = 0, codes_refused_until = NULL WHERE user_id = $1",
                user_id
            )
            .execute(&mut *tx)
            .await
            .context("clearing wrong codes")?;
        }
        return Ok(CodeCheck::Accepted);
    }
    count_wrong_code(state, tx, user_id, now).await?;
    Ok(CodeCheck::Wrong)
}

/// Counts a wrong code; the tenth in a row starts the cool-down and tells
/// the person, who may not have been the one typing.
async fn count_wrong_code(
    state: &AppState,
    tx: &mut sqlx::PgConnection,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let failures = sqlx::query_scalar!(
        "UPDATE two_factor SET code_failures = code_failures + 1 WHERE user_id = $1 RETURNING code_failures",
        user_id
    )
    .fetch_one(&mut *tx)
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
    .execute(&mut *tx)
    .await
    .context("refusing codes for a while")?;
    if failures != CODE_FAILURES_BEFORE_COOL_DOWN {
        return Ok(());
    }
    let user = sqlx::query!(
        "SELECT account_id, name, email FROM users WHERE id = $1",
        user_id
    )
    .fetch_one(&mut *tx)
    .await
    .context("reading whom to tell of wrong codes")?;
    let recover_url = format!("{}/recover", state.settings.public_url);
    let message = templates::two_factor_codes_refused(&user.email, &user.name, &recover_url);
    email::enqueue(&mut *tx, &state.settings, Some(user.account_id), message).await?;
    let event = AuditEvent {
        account_id: user.account_id,
        actor: None,
        target: Some(user_id),
        action: Action::TwoFactorCodesRefused,
        details: serde_json::json!({ "code_failures": failures }),
    };
    audit::record(tx, event, &RequestInfo::current(), now).await?;
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
fn recovery_lookup(code: &str) -> &str {
    &code[..2]
}

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
    let now = state.now();
    let mut tx = state
        .pool
        .begin()
        .await
        .context("starting a two-factor sign-in")?;
    let challenge = sqlx::query!(
        "SELECT c.id, c.user_id, c.next_path, c.failures, c.expires_at, c.used_at, u.account_id
         FROM two_factor_challenges c JOIN users u ON u.id = c.user_id
         WHERE c.token_hash = $1 AND u.deleted_at IS NULL AND u.locked_at IS NULL
         FOR UPDATE OF c",
        hash_token(challenge_token)
    )
    .fetch_optional(&mut *tx)
    .await
    .context("reading a two-factor challenge")?
    .filter(|c| c.used_at.is_none() && c.expires_at > now && c.failures < CHALLENGE_FAILURES)
    .ok_or(AuthError::ChallengeExpired)?;
    let checked = consume_code(state, &mut tx, challenge.user_id, code, now).await?;
    if let Err(error) = checked.or(AuthError::InvalidCode) {
        if error == AuthError::InvalidCode {
            sqlx::query!(
                "UPDATE two_factor_challenges SET failures = failures + 1 WHERE id = $1",
                challenge.id
            )
            .execute(&mut *tx)
            .await
            .context("counting a wrong code against the challenge")?;
        }
        tx.commit().await.context("committing a wrong code")?;
        return Err(error);
    }
    // Only now, with both factors, do failed passwords stop counting.
    sqlx::query!(
        "UPDATE users SET failed_login_attempts = 0, last_active_at = $2 WHERE id = $1",
        challenge.user_id,
        now
    )
    .execute(&mut *tx)
    .await
    .context("clearing failed sign-ins")?;
    sqlx::query!(
        "UPDATE two_factor_challenges SET used_at = $2 WHERE id = $1",
        challenge.id,
        now
    )
    .execute(&mut *tx)
    .await
    .context("using up a challenge")?;
    let token = sessions::start(&mut tx, challenge.user_id, request, now).await?;
    let event = AuditEvent {
        account_id: challenge.account_id,
        actor: Some(challenge.user_id),
        target: Some(challenge.user_id),
        action: Action::SignedIn,
        details: serde_json::json!({ "two_factor": true }),
    };
    audit::record(&mut tx, event, request, now).await?;
    tx.commit()
        .await
        .context("committing a two-factor sign-in")?;
    Ok((token, challenge.next_path))
}

/// The key that seals TOTP secrets when the operator configured none:
/// generated once and kept in the database.
pub async fn stored_encryption_key(pool: &sqlx::PgPool) -> anyhow::Result<EncryptionKey> {
    let fresh = EncryptionKey::generate();
    sqlx::query!(
        "INSERT INTO server_keys (name, key) VALUES ('two_factor', $1) ON CONFLICT (name) DO NOTHING",
        fresh.as_bytes().as_slice()
    )
    .execute(pool)
    .await
    .context("storing the two-factor key")?;
    let key = sqlx::query_scalar!("SELECT key FROM server_keys WHERE name = 'two_factor'")
        .fetch_one(pool)
        .await
        .context("reading the two-factor key")?;
    EncryptionKey::from_bytes(&key).context("the stored two-factor key is not 32 bytes")
}
