//! The Auto Bcc section.

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

pub async fn save_auto_bcc(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    address: &str,
    version: i64,
    request: &RequestInfo,
) -> Result<Uuid, ProfileError> {
    let now = state.now();
    let mut tx = state
        .pool
        .begin()
        .await
        .context("starting an Auto Bcc save")?;
    let before = lock_for_save(&mut tx, viewer, target, version).await?;
    sqlx::query!(
        "UPDATE users SET auto_bcc = $2, updated_at = $3 WHERE id = $1",
        before.id,
        address,
        now
    )
    .execute(&mut *tx)
    .await
    .context("saving Auto Bcc")?;
    let event = AuditEvent {
        account_id: viewer.account_id,
        actor: Some(viewer.user_id),
        target: Some(before.id),
        action: Action::AutoBccChanged,
        details: serde_json::json!({ "old": before.auto_bcc, "new": address }),
    };
    audit::record(&mut tx, event, request, now).await?;
    tx.commit().await.context("committing Auto Bcc")?;
    Ok(before.id)
}
