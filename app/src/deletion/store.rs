//! Deleting a user in one transaction, and the batches of the job that
//! follows. Every statement is scoped to the viewer's account.

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{DeletionError, DeletionPreview, WORKFLOW_REFERENCES_DELETED_USER};
use crate::{
    audit::Action,
    change::Change,
    domain::{DeletionReason, FieldErrors, Role},
    request::RequestInfo,
    session::Viewer,
    state::AppState,
    two_factor::confirmation::confirm_identity,
};

/// Most teammates offered to receive conversations.
const MAX_TEAMMATES: i64 = 500;

struct Target {
    id: Uuid,
    name: String,
    email: String,
    role: Role,
}

/// The live user `user_id` of the viewer's account, if the viewer may
/// delete them: not themselves, never the Owner.
async fn target(
    conn: &mut PgConnection,
    viewer: &Viewer,
    user_id: Uuid,
    lock: bool,
) -> Result<Target, DeletionError> {
    if !viewer.role.manages_users() {
        return Err(DeletionError::Forbidden);
    }
    let target = if lock {
        sqlx::query_as!(
            Target,
            r#"SELECT id, name, email, role AS "role: Role" FROM users
               WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL FOR NO KEY UPDATE"#,
            user_id,
            viewer.account_id
        )
        .fetch_optional(&mut *conn)
        .await
    } else {
        sqlx::query_as!(
            Target,
            r#"SELECT id, name, email, role AS "role: Role" FROM users
               WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL"#,
            user_id,
            viewer.account_id
        )
        .fetch_optional(&mut *conn)
        .await
    }
    .context("finding the user to delete")?
    .ok_or(DeletionError::NotFound)?;
    if target.id == viewer.user_id {
        return Err(DeletionError::Conflict {
            message: "You can't delete yourself. Ask another administrator.".into(),
        });
    }
    if target.role == Role::Owner {
        return Err(DeletionError::Conflict {
            message: "The Account Owner can't be deleted. Transfer ownership first.".into(),
        });
    }
    Ok(target)
}

pub async fn preview(
    pool: &PgPool,
    viewer: &Viewer,
    user_id: Uuid,
) -> Result<DeletionPreview, DeletionError> {
    let mut conn = pool.acquire().await.context("opening a deletion preview")?;
    let target = target(&mut conn, viewer, user_id, false).await?;
    let counts = sqlx::query!(
        r#"SELECT count(*) AS "all!", count(*) FILTER (WHERE status <> 'closed') AS "open!"
           FROM conversations WHERE assignee_id = $1"#,
        target.id
    )
    .fetch_one(&mut *conn)
    .await
    .context("counting conversations")?;
    let workflows = sqlx::query_scalar!(
        "SELECT name FROM workflows
         WHERE account_id = $1 AND active AND actions @> jsonb_build_array(jsonb_build_object('user_id', $2::text))
         ORDER BY lower(name)",
        viewer.account_id,
        target.id.to_string()
    )
    .fetch_all(&mut *conn)
    .await
    .context("finding workflows")?;
    let apps = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM oauth_apps WHERE user_id = $1 AND deleted_at IS NULL"#,
        target.id
    )
    .fetch_one(&mut *conn)
    .await
    .context("counting apps")?;
    let teammates = sqlx::query!(
        "SELECT id, name FROM users
         WHERE account_id = $1 AND deleted_at IS NULL AND deactivated_at IS NULL
           AND id <> $2 AND role <> 'light_user'
         ORDER BY lower(name), id LIMIT $3",
        viewer.account_id,
        target.id,
        MAX_TEAMMATES
    )
    .fetch_all(&mut *conn)
    .await
    .context("listing teammates")?;
    Ok(DeletionPreview {
        user_id: target.id,
        name: target.name,
        email: target.email,
        conversations: counts.all,
        open_conversations: counts.open,
        workflows,
        apps,
        teammates: teammates.into_iter().map(|t| (t.id, t.name)).collect(),
    })
}

/// Deletes the user: gone from the table and the bill, every session, key,
/// app and authorization dead at once, workflows acting on them inactive,
/// an audit event, and the job that moves their conversations queued.
pub async fn delete(
    state: &AppState,
    viewer: &Viewer,
    user_id: Uuid,
    reason: &DeletionReason,
    reassign_to: Option<Uuid>,
    confirmation: &str,
    request: &RequestInfo,
) -> Result<String, DeletionError> {
    // Only for a deletion that may go ahead is the acting person asked who
    // they are; their password (or code) is checked outside the deletion's
    // transaction, which it must not hold a connection for.
    {
        let mut conn = state.pool.acquire().await.context("checking a deletion")?;
        target(&mut conn, viewer, user_id, false).await?;
    }
    confirm_identity(state, viewer, confirmation, request)
        .await?
        .or_message()
        .map_err(|message| DeletionError::Invalid(FieldErrors::single("password", message)))?;
    delete_confirmed(state, viewer, user_id, reason, reassign_to, request).await
}

/// [`delete`], once the acting person is known to be who they say (or for
/// SCIM, whose token is the account's own credential for provisioning).
pub async fn delete_confirmed(
    state: &AppState,
    viewer: &Viewer,
    user_id: Uuid,
    reason: &DeletionReason,
    reassign_to: Option<Uuid>,
    request: &RequestInfo,
) -> Result<String, DeletionError> {
    let mut change = Change::begin(
        state,
        viewer.account_id,
        Some(viewer.user_id),
        request,
        "a deletion",
    )
    .await?;
    let now = change.now;
    let target = target(change.conn(), viewer, user_id, true).await?;
    if let Some(teammate) = reassign_to {
        let fits = sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND account_id = $2
                   AND deleted_at IS NULL AND deactivated_at IS NULL
                   AND role <> 'light_user' AND id <> $3) AS "fits!""#,
            teammate,
            viewer.account_id,
            target.id
        )
        .fetch_one(change.conn())
        .await
        .context("checking the teammate")?;
        if !fits {
            return Err(DeletionError::Invalid(FieldErrors::single(
                "reassign_to",
                "Choose a teammate from the list.",
            )));
        }
    }
    sqlx::query!(
        "UPDATE users SET deleted_at = $2, updated_at = $2, version = version + 1 WHERE id = $1",
        target.id,
        now
    )
    .execute(change.conn())
    .await
    .context("deleting the user")?;
    let sessions = crate::session::store::revoke_of(change.conn(), target.id, None, now).await?;
    let credentials = revoke_credentials(change.conn(), target.id, now).await?;
    let workflows = sqlx::query_scalar!(
        "UPDATE workflows SET active = false, inactive_reason = $3
         WHERE account_id = $1 AND active AND actions @> jsonb_build_array(jsonb_build_object('user_id', $2::text))
         RETURNING name",
        viewer.account_id,
        target.id.to_string(),
        WORKFLOW_REFERENCES_DELETED_USER
    )
    .fetch_all(change.conn())
    .await
    .context("deactivating workflows")?;
    let conversations = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM conversations WHERE assignee_id = $1"#,
        target.id
    )
    .fetch_one(change.conn())
    .await
    .context("counting conversations")?;
    sqlx::query!(
        "INSERT INTO user_deletions (account_id, user_id, actor_id, reason, reassign_to, conversations_total, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        viewer.account_id,
        target.id,
        viewer.user_id,
        reason.as_str(),
        reassign_to,
        conversations,
        now
    )
    .execute(change.conn())
    .await
    .context("queueing the conversations job")?;
    change
        .record(
            Action::UserDeleted,
            Some(target.id),
            serde_json::json!({
                "reason": reason.as_str(),
                "email": target.email,
                "sessions": sessions.len(),
                "apps": credentials.apps,
                "api_keys": credentials.api_keys,
                "workflows": workflows,
                "conversations": conversations,
                "reassign_to": reassign_to,
            }),
        )
        .await?;
    change.commit().await?;
    tracing::info!(user_id = %target.id, conversations, "user deleted");
    Ok(target.name)
}

struct Revoked {
    api_keys: u64,
    apps: u64,
}

/// Every credential of the user stops working: API keys, their apps (and
/// what people authorized those apps to do), their own authorizations,
/// reset links and open invitations.
async fn revoke_credentials(
    tx: &mut PgConnection,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> anyhow::Result<Revoked> {
    let api_keys = end_access(&mut *tx, user_id, now).await?;
    let apps = sqlx::query!(
        "UPDATE oauth_apps SET deleted_at = $2 WHERE user_id = $1 AND deleted_at IS NULL",
        user_id,
        now
    )
    .execute(&mut *tx)
    .await
    .context("deleting apps")?
    .rows_affected();
    sqlx::query!(
        "UPDATE authorized_apps SET revoked_at = $2
         WHERE revoked_at IS NULL AND app_id IN (SELECT id FROM oauth_apps WHERE user_id = $1)",
        user_id,
        now
    )
    .execute(&mut *tx)
    .await
    .context("revoking authorizations of the user's apps")?;
    Ok(Revoked { api_keys, apps })
}

/// Every way in the user holds besides a session stops for good: their
/// API keys, the authorizations they gave apps, every access token acting
/// as them, reset links and open invitations. Shared by deleting and deactivating;
/// returns how many API keys were revoked.
pub(crate) async fn end_access(
    tx: &mut PgConnection,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> anyhow::Result<u64> {
    let api_keys = sqlx::query!(
        "UPDATE api_keys SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
        user_id,
        now
    )
    .execute(&mut *tx)
    .await
    .context("revoking API keys")?
    .rows_affected();
    sqlx::query!(
        "UPDATE authorized_apps SET revoked_at = $2 WHERE revoked_at IS NULL AND user_id = $1",
        user_id,
        now
    )
    .execute(&mut *tx)
    .await
    .context("revoking authorizations")?;
    // Access tokens acting as them: their own apps' (client credentials)
    // as well as those of the apps they authorized.
    sqlx::query!("DELETE FROM oauth_tokens WHERE user_id = $1", user_id)
        .execute(&mut *tx)
        .await
        .context("ending access tokens")?;
    crate::auth::reset_links::revoke_reset_links(&mut *tx, user_id, now).await?;
    sqlx::query!(
        "UPDATE invitations SET revoked_at = $2 WHERE user_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL",
        user_id,
        now
    )
    .execute(&mut *tx)
    .await
    .context("revoking invitations")?;
    Ok(api_keys)
}
