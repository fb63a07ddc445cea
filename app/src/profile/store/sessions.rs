//! An admin's view of someone's Active Sessions.

use anyhow::Context as _;
use uuid::Uuid;

use super::open;
use crate::profile::ProfileError;
use crate::{
    audit::{self, Action, AuditEvent},
    request::RequestInfo,
    session::Viewer,
    state::AppState,
};

/// The live sessions of a user the viewer manages (not their own: those are
/// on their own Active Sessions).
pub async fn sessions_of(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
) -> Result<Vec<crate::session::SessionRow>, ProfileError> {
    let mut conn = state.pool.acquire().await.context("opening sessions")?;
    let user_id = open(&mut conn, viewer, target, false).await?;
    drop(conn);
    if user_id == viewer.user_id {
        return Err(ProfileError::Forbidden);
    }
    Ok(crate::session::store::list_of(state, user_id).await?)
}

/// An admin ends one (`Some`) or every (`None`) session of a user they
/// manage; the user is signed out on their next request. People end their
/// own sessions from their own Active Sessions, after confirming it's them.
pub async fn revoke_sessions(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    session_id: Option<Uuid>,
) -> Result<Uuid, ProfileError> {
    let now = state.now();
    let mut tx = state
        .pool
        .begin()
        .await
        .context("starting to revoke sessions")?;
    let user_id = open(&mut tx, viewer, target, true).await?;
    if user_id == viewer.user_id {
        return Err(ProfileError::Forbidden);
    }
    let revoked = crate::session::store::revoke_of(&mut tx, user_id, session_id, now).await?;
    if session_id.is_some() && revoked.is_empty() {
        return Err(ProfileError::NotFound);
    }
    let event = AuditEvent {
        account_id: viewer.account_id,
        actor: Some(viewer.user_id),
        target: Some(user_id),
        action: Action::SessionsRevokedByAdmin,
        details: serde_json::json!({ "sessions": revoked }),
    };
    audit::record(&mut tx, event, &RequestInfo::current(), now).await?;
    tx.commit().await.context("committing revoked sessions")?;
    Ok(user_id)
}
