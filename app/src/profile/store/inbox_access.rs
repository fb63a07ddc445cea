//! The Inbox Access section.

use anyhow::Context as _;
use uuid::Uuid;

use super::lock_for_save;
use crate::profile::ProfileError;
use crate::{
    audit::{self, Action, AuditEvent},
    request::RequestInfo,
    session::Viewer,
    state::AppState,
};

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
    if !viewer.role.manages_users() {
        return Err(ProfileError::Forbidden);
    }
    let now = state.now();
    let mut tx = state
        .pool
        .begin()
        .await
        .context("starting an inbox access save")?;
    let before = lock_for_save(&mut tx, viewer, target, version).await?;
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
    .fetch_one(&mut *tx)
    .await
    .context("checking inboxes")?;
    if known != inboxes.len() as i64 {
        return Err(invalid("Choose inboxes from the list."));
    }
    let old = sqlx::query_scalar!(
        "DELETE FROM user_inboxes WHERE user_id = $1 RETURNING inbox_id",
        before.id
    )
    .fetch_all(&mut *tx)
    .await
    .context("clearing inbox access")?;
    sqlx::query!(
        "INSERT INTO user_inboxes (user_id, inbox_id) SELECT $1, unnest($2::uuid[])",
        before.id,
        inboxes
    )
    .execute(&mut *tx)
    .await
    .context("granting inbox access")?;
    let event = AuditEvent {
        account_id: viewer.account_id,
        actor: Some(viewer.user_id),
        target: Some(before.id),
        action: Action::InboxAccessChanged,
        details: serde_json::json!({ "old": old, "new": inboxes }),
    };
    audit::record(&mut tx, event, request, now).await?;
    tx.commit().await.context("committing inbox access")?;
    Ok(before.id)
}
