//! Two-factor authentication in PostgreSQL: setting it up, turning it off,
//! and new recovery codes (checking codes: `codes`; signing in: `challenge`).

use anyhow::Context as _;
use chrono::TimeDelta;
use data_encoding::BASE32_NOPAD;
use rand::RngCore as _;
use uuid::Uuid;

use super::{
    codes::{consume_code, normalise, recovery_lookup, RECOVERY_CODE_CHARS},
    totp, SecurityStatus, SetupKey,
};
use crate::{
    audit::Action,
    change::Change,
    crypto::password_hash::{self, HashingPool},
    crypto::EncryptionKey,
    domain::{FieldErrors, Role, TwoFactorRoles},
    email::templates,
    request::RequestInfo,
    session::AuthError,
    session::Viewer,
    state::AppState,
};

pub const RECOVERY_CODES: usize = 10;
/// A pending setup's secret is replaced after this long.
const PENDING_SETUP_MINUTES: i64 = 60;

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

/// Whom the company requires two-factor authentication of ("Administrators
/// and Users"), when that includes `user_id`'s role (Company > Security).
pub async fn required_of(
    conn: &mut sqlx::PgConnection,
    user_id: Uuid,
) -> anyhow::Result<Option<String>> {
    let row = sqlx::query!(
        r#"SELECT u.role AS "role: Role", a.two_factor_required_roles
           FROM users u JOIN accounts a ON a.id = u.account_id WHERE u.id = $1"#,
        user_id
    )
    .fetch_one(conn)
    .await
    .context("reading the roles two-factor is required of")?;
    let roles = TwoFactorRoles::from_stored(&row.two_factor_required_roles);
    Ok(roles.includes(row.role).then(|| roles.describe()))
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
    let required = required_of(&mut tx, viewer.user_id).await?;
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
                required,
            }
        }
        Some(row) if row.created_at > now - TimeDelta::minutes(PENDING_SETUP_MINUTES) => {
            let secret = key.open(&row.secret_ciphertext)?;
            SecurityStatus {
                enabled: false,
                setup: Some(setup_key(&secret, &viewer.email)?),
                recovery_codes: None,
                required,
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
                required,
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

async fn check_password(
    state: &AppState,
    user_id: Uuid,
    password: &str,
    request: &RequestInfo,
) -> Result<(), AuthError> {
    if crate::session::password_check::is_current_password(state, user_id, password, request)
        .await?
    {
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
    request: &RequestInfo,
) -> Result<FreshRecoveryCodes, AuthError> {
    check_password(state, viewer.user_id, password, request).await?;
    let key = &state.settings.encryption_key;
    let mut change = Change::begin(
        state,
        viewer.account_id,
        Some(viewer.user_id),
        request,
        "turning two-factor on",
    )
    .await?;
    let now = change.now;
    let pending = sqlx::query!(
        "SELECT secret_ciphertext FROM two_factor WHERE user_id = $1 AND enabled_at IS NULL FOR UPDATE",
        viewer.user_id
    )
    .fetch_optional(change.conn())
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
    let codes = store_new_recovery_codes(&state.hashing, change.conn(), viewer.user_id).await?;
    sqlx::query!(
        "UPDATE two_factor SET enabled_at = $2, last_used_step = $3 WHERE user_id = $1",
        viewer.user_id,
        now,
        step,
    )
    .execute(change.conn())
    .await
    .context("enabling two-factor")?;
    let message = templates::two_factor_changed(&viewer.email, &viewer.name, true);
    change.send(&state.settings, message).await?;
    change
        .record(
            Action::TwoFactorEnabled,
            Some(viewer.user_id),
            serde_json::json!({}),
        )
        .await?;
    change.commit().await?;
    Ok(codes)
}

/// Replaces the recovery codes (the old ones stop working) and returns the
/// new ones, to show once. Needs the password again.
pub async fn regenerate_recovery_codes(
    state: &AppState,
    viewer: &Viewer,
    password: &str,
    request: &RequestInfo,
) -> Result<FreshRecoveryCodes, AuthError> {
    check_password(state, viewer.user_id, password, request).await?;
    let mut change = Change::begin(
        state,
        viewer.account_id,
        Some(viewer.user_id),
        request,
        "replacing recovery codes",
    )
    .await?;
    let enabled = sqlx::query_scalar!(
        "SELECT user_id FROM two_factor WHERE user_id = $1 AND enabled_at IS NOT NULL FOR UPDATE",
        viewer.user_id
    )
    .fetch_optional(change.conn())
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
    .execute(change.conn())
    .await
    .context("deleting old recovery codes")?;
    let codes = store_new_recovery_codes(&state.hashing, change.conn(), viewer.user_id).await?;
    change
        .record(
            Action::RecoveryCodesReplaced,
            Some(viewer.user_id),
            serde_json::json!({}),
        )
        .await?;
    change.commit().await?;
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
    request: &RequestInfo,
) -> Result<(), AuthError> {
    let mut conn = state
        .pool
        .acquire()
        .await
        .context("checking the requirement")?;
    if let Some(people) = required_of(&mut conn, viewer.user_id).await? {
        return Err(AuthError::TwoFactorRequired { people });
    }
    drop(conn);
    check_password(state, viewer.user_id, password, request).await?;
    let mut change = Change::begin(
        state,
        viewer.account_id,
        Some(viewer.user_id),
        request,
        "turning two-factor off",
    )
    .await?;
    let wrong = AuthError::Invalid(FieldErrors::single("code", "That code is not right."));
    if let Err(error) = consume_code(state, &mut change, viewer.user_id, code)
        .await?
        .or(wrong)
    {
        // The count of wrong codes stands.
        change.commit().await?;
        return Err(error);
    }
    sqlx::query!(
        "DELETE FROM recovery_codes WHERE user_id = $1",
        viewer.user_id
    )
    .execute(change.conn())
    .await
    .context("deleting recovery codes")?;
    sqlx::query!("DELETE FROM two_factor WHERE user_id = $1", viewer.user_id)
        .execute(change.conn())
        .await
        .context("disabling two-factor")?;
    let message = templates::two_factor_changed(&viewer.email, &viewer.name, false);
    change.send(&state.settings, message).await?;
    change
        .record(
            Action::TwoFactorDisabled,
            Some(viewer.user_id),
            serde_json::json!({}),
        )
        .await?;
    change.commit().await?;
    Ok(())
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
