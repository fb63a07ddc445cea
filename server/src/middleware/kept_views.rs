use axum::{
    body::{to_bytes, Body},
    extract::{Request, State},
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use uuid::Uuid;

use app::{
    error::{report_unexpected, unexpected_message},
    session::{UsersVersion, Viewer},
    state::AppState,
    users::page_cache::{self, ViewRequestKey},
    CspNonce,
};

/// Largest view kept (a page of 50 rows is about 90 KB).
const MAX_VIEW_BYTES: usize = 4 * 1024 * 1024;

/// Manage > Users seen again by the same session, with nothing on it
/// changed, is answered with the HTML it was sent before (a new nonce and
/// request key in it) instead of being rendered again; any other request
/// passes through, and a view rendered here is kept for next time (see
/// `page_cache`).
pub async fn serve_kept_views(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let uri = request.uri();
    let extensions = request.extensions();
    let (Some(viewer), Some(version), Some(CspNonce(nonce)), Some(path_and_query)) = (
        extensions.get::<Viewer>(),
        extensions.get::<UsersVersion>().copied(),
        extensions.get::<CspNonce>(),
        uri.path_and_query(),
    ) else {
        return next.run(request).await;
    };
    if request.method() != Method::GET || !page_cache::may_keep_view(uri.path(), uri.query()) {
        return next.run(request).await;
    }
    let (viewer, nonce, path_and_query) = (viewer.clone(), nonce.clone(), path_and_query.clone());
    let request_key = Uuid::new_v4();
    let kept = || {
        page_cache::kept_view(
            &state,
            &viewer,
            version,
            &path_and_query,
            &nonce,
            request_key,
        )
    };
    if let Some(html) = kept() {
        return ([(header::CONTENT_TYPE, HTML)], html).into_response();
    }
    // Requests arriving while the view renders (the many that find it
    // expired at once under load) wait for it and are sent it kept.
    let _rendering = page_cache::wait_to_render(&state, &viewer, &path_and_query).await;
    if let Some(html) = kept() {
        return ([(header::CONTENT_TYPE, HTML)], html).into_response();
    }

    request.extensions_mut().insert(ViewRequestKey(request_key));
    let response = next.run(request).await;
    // Only a plain page: nothing else in its headers (no cookie, no status
    // of its own) that the HTML alone would not give again.
    let plain = response.status() == StatusCode::OK
        && response.headers().len() == 1
        && response.headers().get(header::CONTENT_TYPE) == Some(&HeaderValue::from_static(HTML));
    if !plain {
        return response;
    }
    let (parts, body) = response.into_parts();
    let html = match to_bytes(body, MAX_VIEW_BYTES).await {
        Ok(html) => html,
        Err(error) => {
            let reference = report_unexpected(anyhow::anyhow!("rendering a page: {error}"));
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                unexpected_message(&reference),
            )
                .into_response();
        }
    };
    if let Ok(text) = std::str::from_utf8(&html) {
        page_cache::keep_view(
            &state,
            &viewer,
            version,
            &path_and_query,
            text,
            &nonce,
            request_key,
        );
    }
    Response::from_parts(parts, Body::from(html))
}

const HTML: &str = "text/html; charset=utf-8";
