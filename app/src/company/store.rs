use anyhow::Context as _;
use uuid::Uuid;

use super::{CompanySettings, InviteValidity};
use crate::{
    audit::{self, AuditEvent},
    request::RequestInfo,
    session::Viewer,
    state::AppState,
};

pub async fn settings(state: &AppState, account_id: Uuid) -> anyhow::Result<CompanySettings> {
    let row = sqlx::query!(
        "SELECT name, invite_validity_days FROM accounts WHERE id = $1",
        account_id
    )
    .fetch_one(&state.pool)
    .await
    .context("reading company settings")?;
    Ok(CompanySettings {
        name: row.name,
        invite_validity_days: row.invite_validity_days,
    })
}

pub async fn set_invite_validity(
    state: &AppState,
    viewer: &Viewer,
    validity: InviteValidity,
) -> anyhow::Result<()> {
    let now = state.now();
    let mut tx = state
        .pool
        .begin()
        .await
        .context("starting to change invite validity")?;
    let old = sqlx::query_scalar!(
        "SELECT invite_validity_days FROM accounts WHERE id = $1 FOR UPDATE",
        viewer.account_id
    )
    .fetch_one(&mut *tx)
    .await
    .context("reading invite validity")?;
    sqlx::query!(
        "UPDATE accounts SET invite_validity_days = $2 WHERE id = $1",
        viewer.account_id,
        validity.days()
    )
    .execute(&mut *tx)
    .await
    .context("changing invite validity")?;
    let event = AuditEvent {
        account_id: viewer.account_id,
        actor: Some(viewer.user_id),
        target: None,
        action: "account.invite_validity_changed",
        details: serde_json::json!({ "old": old, "new": validity.days() }),
    };
    audit::record(&mut tx, event, &RequestInfo::current(), now).await?;
    tx.commit().await.context("committing invite validity")?;
    Ok(())
}
