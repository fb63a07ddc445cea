//! The Auto Bcc section.

use anyhow::Context as _;
use uuid::Uuid;

use crate::profile::access::begin_save;
use crate::profile::ProfileError;
use crate::{audit::Action, domain::Email, request::RequestInfo, session::Viewer, state::AppState};

pub async fn save_auto_bcc(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    address: Option<&Email>,
    version: i64,
    request: &RequestInfo,
) -> Result<Uuid, ProfileError> {
    let (mut change, before) =
        begin_save(state, viewer, target, version, request, "an Auto Bcc save").await?;
    let now = change.now;
    // No address is stored as the empty string.
    let address = address.map_or("", Email::as_str);
    sqlx::query!(
        "UPDATE users SET auto_bcc = $2, updated_at = $3 WHERE id = $1",
        before.id,
        address,
        now
    )
    .execute(change.conn())
    .await
    .context("saving Auto Bcc")?;
    change
        .record(
            Action::AutoBccChanged,
            Some(before.id),
            serde_json::json!({ "old": before.auto_bcc, "new": address }),
        )
        .await?;
    change.commit().await?;
    Ok(before.id)
}
