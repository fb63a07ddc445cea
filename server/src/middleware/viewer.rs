use axum::{
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

use app::{
    error::{report_unexpected, unexpected_message},
    session::{cookie, store},
    state::AppState,
    two_factor,
};

/// Finds who is signed in from the session cookie and puts the `Viewer` in
/// the request's extensions, where pages and server functions find it (with
/// the version of the viewer's account's users table).
pub async fn resolve_viewer(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let mut new_cookie = None;
    let mut set_up_first = false;
    if needs_viewer(request.uri().path()) {
        if let Some(token) = cookie::read(&state.settings, request.headers()) {
            match store::find_viewer(&state.pool, &state.settings, &token, state.now()).await {
                Ok(Some(found)) => {
                    set_up_first = found.viewer.two_factor_due
                        && !two_factor::allows_before_set_up(request.uri().path());
                    request.extensions_mut().insert(found.viewer);
                    request.extensions_mut().insert(found.users_version);
                    new_cookie = found
                        .rotated
                        .map(|token| cookie::set(&state.settings, token.expose()));
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
    let mut response = if set_up_first {
        two_factor_first(&request)
    } else {
        next.run(request).await
    };
    // A rotated session's cookie, unless the answer sets the session cookie
    // itself (a sign-out or a new sign-in decides for itself).
    if let Some(value) = new_cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        let prefix = format!("{}=", cookie::name(&state.settings));
        let sets_its_own = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|v| v.as_bytes().starts_with(prefix.as_bytes()));
        if !sets_its_own {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// A session whose role must use two-factor authentication, without it,
/// is sent to set it up: a page (or a form, which asks for one) by a
/// redirect, anything else refused.
fn two_factor_first(request: &Request) -> Response {
    let wants_page = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if wants_page {
        (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, two_factor::SET_UP_PATH)],
        )
            .into_response()
    } else {
        (
            StatusCode::FORBIDDEN,
            format!(
                "Set up two-factor authentication first, at {}: your company requires it for your role.",
                two_factor::SET_UP_PATH
            ),
        )
            .into_response()
    }
}

fn needs_viewer(path: &str) -> bool {
    !(path.starts_with("/pkg/") || path == "/favicon.svg" || path == "/healthz")
}
