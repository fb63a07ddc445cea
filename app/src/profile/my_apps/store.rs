//! The My Apps section's changes.

use uuid::Uuid;

use crate::{
    credentials::{secret::ShownSecret, store as credentials},
    domain::NewOAuthApp,
    profile::{
        credentials::{begin, Who},
        ProfileError,
    },
    request::RequestInfo,
    session::Viewer,
    state::AppState,
};

/// Creates an OAuth app for the viewer, with a fresh App ID and App Secret.
pub async fn create_app(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    app: NewOAuthApp,
    request: &RequestInfo,
) -> Result<(Uuid, ShownSecret), ProfileError> {
    let (mut change, user_id) = begin(state, viewer, target, Who::TheUser, request).await?;
    let secret = credentials::create_app(&mut change, user_id, app).await?;
    change.commit().await?;
    Ok((user_id, secret))
}

/// Deletes one of the user's apps; its credentials, and every authorization
/// people gave it, stop working at once.
pub async fn delete_app(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    app_id: Uuid,
    request: &RequestInfo,
) -> Result<Uuid, ProfileError> {
    let (mut change, user_id) =
        begin(state, viewer, target, Who::TheUserOrAnAdmin, request).await?;
    if !credentials::delete_app(&mut change, user_id, app_id).await? {
        return Err(ProfileError::NotFound);
    }
    change.commit().await?;
    Ok(user_id)
}
