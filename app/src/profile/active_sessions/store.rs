//! An admin's view of someone's Active Sessions.

use anyhow::Context as _;
use uuid::Uuid;

use crate::profile::access::{begin_change, open};
use crate::profile::ProfileError;
use crate::{audit::Action, request::RequestInfo, session::Viewer, state::AppState};

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
    Ok(crate::session::store::list_of(state, user_id, viewer).await?)
}

/// An admin ends one (`Some`) or every (`None`) session of a user they
/// manage; the user is signed out on their next request. People end their
/// own sessions from their own Active Sessions, after confirming it's them.
pub async fn revoke_sessions(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    session_id: Option<Uuid>,
    request: &RequestInfo,
) -> Result<Uuid, ProfileError> {
    let (mut change, user_id) =
        begin_change(state, viewer, target, request, "to revoke sessions").await?;
    let now = change.now;
    if user_id == viewer.user_id {
        return Err(ProfileError::Forbidden);
    }
    let revoked = crate::session::store::revoke_of(change.conn(), user_id, session_id, now).await?;
    if session_id.is_some() && revoked.is_empty() {
        return Err(ProfileError::NotFound);
    }
    change
        .record(
            Action::SessionsRevokedByAdmin,
            Some(user_id),
            serde_json::json!({ "sessions": revoked }),
        )
        .await?;
    change.commit().await?;
    Ok(user_id)
}
