//! The account's SCIM token against PostgreSQL: read, made (revoking the
//! one before), revoked; each change with its audit event.

use anyhow::Context as _;
use uuid::Uuid;

use super::{Provisioning, ScimTokenView};
use crate::{
    audit::Action,
    change::Change,
    credentials::secret::{NewSecret, ShownFor, ShownSecret, SCIM_TOKEN_PREFIX},
    request::RequestInfo,
    session::Viewer,
    state::AppState,
};

/// What the page shows; `shown` is the fresh token the browser holds, shown
/// while it is still the live token's own.
pub async fn load(
    state: &AppState,
    viewer: &Viewer,
    shown: Option<&ShownSecret>,
) -> anyhow::Result<Provisioning> {
    let token = sqlx::query!(
        "SELECT t.id, t.prefix, t.token_hash, t.created_at, t.last_used_at, u.name AS created_by
         FROM scim_tokens t JOIN users u ON u.id = t.created_by
         WHERE t.account_id = $1 AND t.revoked_at IS NULL",
        viewer.account_id
    )
    .fetch_optional(&state.pool)
    .await
    .context("reading the SCIM token")?
    .map(|row| ScimTokenView {
        new_token: shown
            .and_then(|shown| shown.value_for(ShownFor::ScimToken(row.id), &row.token_hash)),
        prefix: row.prefix,
        created: viewer.local_time().date(row.created_at),
        last_used: row.last_used_at.map(|at| viewer.local_time().date(at)),
        created_at: row.created_at,
        created_by: row.created_by,
        last_used_at: row.last_used_at,
    });
    Ok(Provisioning {
        base_url: crate::scim::base(state),
        token,
    })
}

/// Makes the account's SCIM token, revoking the one it had; the token
/// itself is in the answer and nowhere else.
pub async fn create(
    state: &AppState,
    viewer: &Viewer,
    request: &RequestInfo,
) -> anyhow::Result<ShownSecret> {
    let mut change = Change::begin(
        state,
        viewer.account_id,
        Some(viewer.user_id),
        request,
        "a SCIM token",
    )
    .await?;
    let now = change.now;
    revoke_live(&mut change, viewer.account_id).await?;
    let token = NewSecret::generate(SCIM_TOKEN_PREFIX);
    let id = sqlx::query_scalar!(
        "INSERT INTO scim_tokens (account_id, token_hash, prefix, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
        viewer.account_id,
        token.hash,
        token.shown_part(),
        viewer.user_id,
        now
    )
    .fetch_one(change.conn())
    .await
    .context("storing a SCIM token")?;
    change
        .record(
            Action::ScimTokenCreated,
            None,
            serde_json::json!({ "token_id": id }),
        )
        .await?;
    change.commit().await?;
    Ok(ShownSecret {
        of: ShownFor::ScimToken(id),
        value: token.value,
    })
}

/// Revokes the account's SCIM token; it fails the next request. `false`
/// when there was none.
pub async fn revoke(
    state: &AppState,
    viewer: &Viewer,
    request: &RequestInfo,
) -> anyhow::Result<bool> {
    let mut change = Change::begin(
        state,
        viewer.account_id,
        Some(viewer.user_id),
        request,
        "revoking a SCIM token",
    )
    .await?;
    let revoked = revoke_live(&mut change, viewer.account_id).await?;
    change.commit().await?;
    Ok(revoked)
}

/// Revokes the live token, after locking the account's row: two admins
/// making tokens at once take turns, and one token stays live.
async fn revoke_live(change: &mut Change<'_>, account_id: Uuid) -> anyhow::Result<bool> {
    let now = change.now;
    sqlx::query!(
        "SELECT id FROM accounts WHERE id = $1 FOR NO KEY UPDATE",
        account_id
    )
    .fetch_one(change.conn())
    .await
    .context("locking the account")?;
    let revoked = sqlx::query_scalar!(
        "UPDATE scim_tokens SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL RETURNING id",
        account_id,
        now
    )
    .fetch_optional(change.conn())
    .await
    .context("revoking the SCIM token")?;
    if let Some(id) = revoked {
        change
            .record(
                Action::ScimTokenRevoked,
                None,
                serde_json::json!({ "token_id": id }),
            )
            .await?;
    }
    Ok(revoked.is_some())
}
