//! The Notifications section.

use anyhow::Context as _;
use uuid::Uuid;

use super::lock_for_save;
use crate::profile::ProfileError;
use crate::{
    audit::{self, Action, AuditEvent},
    domain::NotificationSettings,
    request::RequestInfo,
    session::Viewer,
    state::AppState,
};

pub async fn save_notifications(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    settings: &NotificationSettings,
    version: i64,
    request: &RequestInfo,
) -> Result<Uuid, ProfileError> {
    let now = state.now();
    let mut tx = state
        .pool
        .begin()
        .await
        .context("starting a notifications save")?;
    let before = lock_for_save(&mut tx, viewer, target, version).await?;
    let keys = settings.keys();
    sqlx::query!(
        "UPDATE users SET notifications = $2, updated_at = $3 WHERE id = $1",
        before.id,
        &keys,
        now
    )
    .execute(&mut *tx)
    .await
    .context("saving notifications")?;
    let event = AuditEvent {
        account_id: viewer.account_id,
        actor: Some(viewer.user_id),
        target: Some(before.id),
        action: Action::NotificationsChanged,
        details: serde_json::json!({ "new": keys }),
    };
    audit::record(&mut tx, event, request, now).await?;
    tx.commit().await.context("committing notifications")?;
    Ok(before.id)
}
