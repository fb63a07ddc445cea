use axum::{
    extract::{Request, State},
    http::StatusCode,
    middleware::Next,
    response::{IntoResponse, Response},
};

use app::{
    error::{report_unexpected, unexpected_message},
    session::{cookie, store},
    state::AppState,
};

/// Finds who is signed in from the session cookie and puts the `Viewer` in
/// the request's extensions, where pages and server functions find it (with
/// the version of the viewer's account's users table).
pub async fn resolve_viewer(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if needs_viewer(request.uri().path()) {
        if let Some(token) = cookie::read(&state.settings, request.headers()) {
            match store::find_viewer(&state.pool, &state.settings, &token, state.now()).await {
                Ok(Some((viewer, users_version))) => {
                    request.extensions_mut().insert(viewer);
                    request.extensions_mut().insert(users_version);
                }
                Ok(None) => {}
                Err(error) => {
                    let reference = report_unexpected(error);
                    return (
                        StatusCode::SERVICE_UNAVAILABLE,
                        unexpected_message(&reference),
                    )
                        .into_response();
                }
            }
        }
    }
    next.run(request).await
}

fn needs_viewer(path: &str) -> bool {
    !(path.starts_with("/pkg/") || path == "/favicon.svg" || path == "/healthz")
}
