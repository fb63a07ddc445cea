use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

use app::state::Settings;

/// Refuses any state-changing request that did not come from Roster's own
/// pages: `Sec-Fetch-Site` must say `same-origin`; without it, `Origin` must
/// be the public URL's origin; with neither, the request is refused.
pub async fn refuse_cross_site(
    State(settings): State<Arc<Settings>>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe || is_same_origin(request.headers(), settings.public_origin()) {
        next.run(request).await
    } else {
        tracing::warn!("refused a cross-site {} request", request.method());
        (
            StatusCode::FORBIDDEN,
            "This request did not come from a Roster page, so it was refused.",
        )
            .into_response()
    }
}

pub fn is_same_origin(headers: &HeaderMap, public_origin: &str) -> bool {
    match headers.get("sec-fetch-site") {
        Some(site) => site.as_bytes() == b"same-origin",
        None => headers
            .get(header::ORIGIN)
            .is_some_and(|origin| origin.as_bytes() == public_origin.as_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    const ORIGIN: &str = "https://roster.example";

    #[test]
    fn fetch_metadata_decides_first() {
        assert!(is_same_origin(
            &headers(&[("sec-fetch-site", "same-origin")]),
            ORIGIN
        ));
        assert!(!is_same_origin(
            &headers(&[("sec-fetch-site", "cross-site"), ("origin", ORIGIN)]),
            ORIGIN
        ));
        assert!(!is_same_origin(
            &headers(&[("sec-fetch-site", "same-site")]),
            ORIGIN
        ));
    }

    #[test]
    fn origin_is_the_fallback() {
        assert!(is_same_origin(&headers(&[("origin", ORIGIN)]), ORIGIN));
        assert!(!is_same_origin(
            &headers(&[("origin", "https://evil.example")]),
            ORIGIN
        ));
        assert!(!is_same_origin(&headers(&[("origin", "null")]), ORIGIN));
    }

    #[test]
    fn neither_header_fails_closed() {
        assert!(!is_same_origin(&HeaderMap::new(), ORIGIN));
    }
}
