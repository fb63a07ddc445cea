//! The Inbox Access section.

use anyhow::Context as _;
use uuid::Uuid;

use super::InboxAccess;
use crate::profile::access::{begin_admin_save, open};
use crate::profile::ProfileError;
use crate::{
    audit::Action, request::RequestInfo, session::Viewer, state::AppState, users::InboxChoice,
};

/// Every inbox of the account, and those the user may access.
pub async fn inbox_access(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
) -> Result<InboxAccess, ProfileError> {
    let mut conn = state.pool.acquire().await.context("opening inbox access")?;
    let id = open(&mut conn, viewer, target, false).await?;
    let inboxes = sqlx::query_as!(
        InboxChoice,
        "SELECT id, name, email FROM inboxes WHERE account_id = $1 ORDER BY lower(name), id",
        viewer.account_id
    )
    .fetch_all(&mut *conn)
    .await
    .context("listing inboxes")?;
    let granted = sqlx::query_scalar!("SELECT inbox_id FROM user_inboxes WHERE user_id = $1", id)
        .fetch_all(&mut *conn)
        .await
        .context("reading inbox access")?;
    Ok(InboxAccess { inboxes, granted })
}

/// Replaces a User's or Light User's inbox access. Only the Owner and
/// Administrators set it, and not for Owners or Administrators (they see all).
pub async fn save_inbox_access(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    inboxes: &[Uuid],
    version: i64,
    request: &RequestInfo,
) -> Result<Uuid, ProfileError> {
    let (mut change, before) = begin_admin_save(
        state,
        viewer,
        target,
        version,
        request,
        "an inbox access save",
        None,
    )
    .await?;
    let invalid = |message: &str| {
        ProfileError::Invalid(crate::domain::FieldErrors::single("inboxes", message))
    };
    if before.role.manages_users() {
        return Err(invalid(
            "Account Owners and Administrators can see every inbox.",
        ));
    }
    let known = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM inboxes WHERE account_id = $1 AND id = ANY($2)"#,
        viewer.account_id,
        inboxes
    )
    .fetch_one(change.conn())
    .await
    .context("checking inboxes")?;
    if known != inboxes.len() as i64 {
        return Err(invalid("Choose inboxes from the list."));
    }
    let old = sqlx::query_scalar!(
        "DELETE FROM user_inboxes WHERE user_id = $1 RETURNING inbox_id",
        before.id
    )
    .fetch_all(change.conn())
    .await
    .context("clearing inbox access")?;
    sqlx::query!(
        "INSERT INTO user_inboxes (user_id, inbox_id) SELECT $1, unnest($2::uuid[])",
        before.id,
        inboxes
    )
    .execute(change.conn())
    .await
    .context("granting inbox access")?;
    change
        .record(
            Action::InboxAccessChanged,
            Some(before.id),
            serde_json::json!({ "old": old, "new": inboxes }),
        )
        .await?;
    change.commit().await?;
    Ok(before.id)
}
