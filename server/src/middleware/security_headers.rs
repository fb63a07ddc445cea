use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
};

use app::state::Settings;

/// For responses that set no policy of their own (pages set one with a nonce).
const DEFAULT_CSP: &str =
    "default-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// Security headers on every response.
pub async fn add_security_headers(
    State(settings): State<Arc<Settings>>,
    request: Request,
    next: Next,
) -> Response {
    let cacheable = is_static_asset(request.uri().path());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let has_policy = headers.contains_key(header::CONTENT_SECURITY_POLICY);
    let mut set = |name, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::REFERRER_POLICY, "same-origin");
    set(
        header::HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        header::HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=()",
    );
    if settings.secure_cookies() {
        set(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    // Pages and answers may be personal: never stored. The script, style and
    // wasm bundle are the same for everyone and revalidated on each use.
    set(
        header::CACHE_CONTROL,
        if cacheable { "no-cache" } else { "no-store" },
    );
    if !has_policy {
        set(header::CONTENT_SECURITY_POLICY, DEFAULT_CSP);
    }
    response
}

fn is_static_asset(path: &str) -> bool {
    path.starts_with("/pkg/") || path == "/favicon.svg"
}

/// Roster does not announce what it runs on.
pub async fn no_server_header(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response.headers_mut().remove(header::SERVER);
    response
}
