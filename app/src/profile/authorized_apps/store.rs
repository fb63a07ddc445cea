//! The Authorized Apps section's change.

use uuid::Uuid;

use crate::{
    credentials::store as credentials,
    profile::{
        credentials::{begin, Who},
        ProfileError,
    },
    request::RequestInfo,
    session::Viewer,
    state::AppState,
};

/// Takes back an app's access to the user's account.
pub async fn revoke_authorized_app(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    authorization_id: Uuid,
    request: &RequestInfo,
) -> Result<Uuid, ProfileError> {
    let (mut change, user_id) =
        begin(state, viewer, target, Who::TheUserOrAnAdmin, request).await?;
    if !credentials::revoke_authorized_app(&mut change, user_id, authorization_id).await? {
        return Err(ProfileError::NotFound);
    }
    change.commit().await?;
    Ok(user_id)
}
