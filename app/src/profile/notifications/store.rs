//! The Notifications section.

use anyhow::Context as _;
use uuid::Uuid;

use crate::profile::access::begin_save;
use crate::profile::ProfileError;
use crate::{
    audit::Action, domain::NotificationSettings, request::RequestInfo, session::Viewer,
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
    let (mut change, before) = begin_save(
        state,
        viewer,
        target,
        version,
        request,
        "a notifications save",
    )
    .await?;
    let now = change.now;
    let keys = settings.keys();
    sqlx::query!(
        "UPDATE users SET notifications = $2, updated_at = $3 WHERE id = $1",
        before.id,
        &keys,
        now
    )
    .execute(change.conn())
    .await
    .context("saving notifications")?;
    change
        .record(
            Action::NotificationsChanged,
            Some(before.id),
            serde_json::json!({ "new": keys }),
        )
        .await?;
    change.commit().await?;
    Ok(before.id)
}
