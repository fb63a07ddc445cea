//! The profile photo: saving, removing and serving it.

use anyhow::Context as _;
use uuid::Uuid;

use crate::profile::access::begin_change;
use crate::profile::ProfileError;
use crate::{audit::Action, request::RequestInfo, session::Viewer, state::AppState};

/// Stores a new avatar (already made by [`super::avatar::make`]).
pub async fn save_photo(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    image: Vec<u8>,
    request: &RequestInfo,
) -> Result<Uuid, ProfileError> {
    let (mut change, user_id) =
        begin_change(state, viewer, target, request, "a photo save").await?;
    let now = change.now;
    let etag = crate::session::token::SecretToken::generate().expose()[..16].to_owned();
    sqlx::query!(
        "INSERT INTO user_photos (user_id, image, etag, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id) DO UPDATE SET image = $2, etag = $3, updated_at = $4",
        user_id,
        image,
        etag,
        now
    )
    .execute(change.conn())
    .await
    .context("saving a photo")?;
    change
        .record(
            Action::PhotoChanged,
            Some(user_id),
            serde_json::json!({ "bytes": image.len() }),
        )
        .await?;
    change.commit().await?;
    Ok(user_id)
}

pub async fn remove_photo(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    request: &RequestInfo,
) -> Result<Uuid, ProfileError> {
    let (mut change, user_id) =
        begin_change(state, viewer, target, request, "a photo removal").await?;
    let removed = sqlx::query!("DELETE FROM user_photos WHERE user_id = $1", user_id)
        .execute(change.conn())
        .await
        .context("removing a photo")?;
    if removed.rows_affected() == 0 {
        return Err(ProfileError::NotFound);
    }
    change
        .record(Action::PhotoRemoved, Some(user_id), serde_json::json!({}))
        .await?;
    change.commit().await?;
    Ok(user_id)
}

/// A photo to serve: the avatar of a user in the viewer's account.
pub async fn photo(
    pool: &sqlx::PgPool,
    viewer: &Viewer,
    user_id: Uuid,
) -> anyhow::Result<Option<(Vec<u8>, String)>> {
    let row = sqlx::query!(
        "SELECT p.image, p.etag FROM user_photos p JOIN users u ON u.id = p.user_id
         WHERE p.user_id = $1 AND u.account_id = $2",
        user_id,
        viewer.account_id
    )
    .fetch_optional(pool)
    .await
    .context("reading a photo")?;
    Ok(row.map(|row| (row.image, row.etag)))
}
