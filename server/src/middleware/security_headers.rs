use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
};

use app::{session::token::SecretToken, state::Settings, CspNonce};

/// For everything that is not a page.
const DEFAULT_CSP: &str =
    "default-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// For pages: our own files, and inline script only with this response's
/// nonce (Leptos's hydration bootstrap); the wasm may compile.
/// `form_origin` is one more origin the page's forms may lead to.
fn page_csp(nonce: &str, form_origin: Option<&str>) -> String {
    let form_origin = form_origin
        .map(|origin| format!(" {origin}"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self'{form_origin}"
    )
}

/// An origin as a CSP source (`https://app.example:8443`): nothing that
/// could end the directive or add another.
fn is_origin(value: &str) -> bool {
    let Some((scheme, host)) = value.split_once("://") else {
        return false;
    };
    matches!(scheme, "http" | "https")
        && !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
}

/// Security headers on every response. A page's nonce is chosen here and
/// handed to the renderer through the request's extensions.
pub async fn add_security_headers(
    State(settings): State<Arc<Settings>>,
    mut request: Request,
    next: Next,
) -> Response {
    let cacheable = is_static_asset(request.uri().path());
    let nonce = SecretToken::generate().expose()[..22].to_owned();
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let headers = response.headers_mut();
    let form_origin = headers
        .remove(app::EXTRA_FORM_ACTION)
        .and_then(|value| value.to_str().ok().map(str::to_owned))
        .filter(|value| is_origin(value));
    // A policy the handler chose itself stands: private for a photo at a
    // versioned address, public for the bundle's files. Anything else may
    // be personal and is never stored.
    let handler_chose = headers
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("private") || (cacheable && v.starts_with("public")));
    let policy = if is_page {
        page_csp(&nonce, form_origin.as_deref())
    } else {
        DEFAULT_CSP.to_owned()
    };
    if let Ok(policy) = HeaderValue::from_str(&policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    let mut set = |name, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::X_FRAME_OPTIONS, "DENY");
    // No address (a reset or invite page's carries its token) ever leaves
    // for another site. Not `no-referrer`: a form posted without JavaScript
    // comes back with its errors to the page named in its same-origin
    // Referer, and the reset and invite forms need that.
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
    // The favicon (and a bundle without content-hashed names) is the same
    // for everyone and revalidated on each use.
    if !handler_chose {
        set(
            header::CACHE_CONTROL,
            if cacheable { "no-cache" } else { "no-store" },
        );
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_may_add_one_origin_for_its_forms_and_nothing_else() {
        assert!(is_origin("https://app.example:8443"));
        assert!(is_origin("http://[::1]:3000"));
        for bad in [
            "",
            "app.example",
            "javascript://x",
            "https://",
            "https://a.example; script-src *",
            "https://a.example *",
            "https://a.example/path",
        ] {
            assert!(!is_origin(bad), "{bad:?}");
        }
        assert!(page_csp("n", Some("https://a.example"))
            .ends_with("form-action 'self' https://a.example"));
        assert!(page_csp("n", None).ends_with("form-action 'self'"));
    }
}
