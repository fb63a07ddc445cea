//! The API Keys section's changes.

use uuid::Uuid;

use crate::{
    credentials::{secret::ShownSecret, store as credentials},
    profile::{
        credentials::{begin, Who},
        ProfileError,
    },
    request::RequestInfo,
    session::Viewer,
    state::AppState,
};

/// Makes a new Docs API key for the viewer, revoking the one they had.
pub async fn create_api_key(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    request: &RequestInfo,
) -> Result<(Uuid, ShownSecret), ProfileError> {
    let (mut change, user_id) = begin(state, viewer, target, Who::TheUser, request).await?;
    let key = credentials::create_api_key(&mut change, user_id).await?;
    change.commit().await?;
    Ok((user_id, key))
}

/// Revokes the user's Docs API key; it stops working at once.
pub async fn revoke_api_key(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    request: &RequestInfo,
) -> Result<Uuid, ProfileError> {
    let (mut change, user_id) =
        begin(state, viewer, target, Who::TheUserOrAnAdmin, request).await?;
    if !credentials::revoke_api_key(&mut change, user_id).await? {
        return Err(ProfileError::NotFound);
    }
    change.commit().await?;
    Ok(user_id)
}
