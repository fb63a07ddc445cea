//! `GET /avatars/<user id>?v=<version>`: a profile photo, for signed-in
//! people of the same account. The address changes with every upload, so
//! browsers may keep a photo for good; the ETag answers a revalidation.

use axum::{
    extract::{Path, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Extension,
};
use uuid::Uuid;

use app::{session::Viewer, state::AppState};

pub async fn avatar(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    Path(user_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(Extension(viewer)) = viewer else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let Ok(user_id) = Uuid::parse_str(&user_id) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let photo = match app::profile::photo(&state.pool, &viewer, user_id).await {
        Ok(Some(photo)) => photo,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(error = %format!("{error:#}"), "reading a photo");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let (image, etag) = photo;
    let etag = format!("\"{etag}\"");
    let cache = [
        (
            header::CACHE_CONTROL,
            "private, max-age=31536000, immutable".to_owned(),
        ),
        (header::ETAG, etag.clone()),
    ];
    let revalidating = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    if revalidating {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    (
        cache,
        [(header::CONTENT_TYPE, "image/png".to_owned())],
        image,
    )
        .into_response()
}
