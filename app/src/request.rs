//! Facts about the request being served, for sessions and audit events.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use http::request::Parts;
use leptos::prelude::use_context;

#[derive(Clone, Debug, Default)]
pub struct RequestInfo {
    /// The peer's address. Roster takes no forwarded-for header on trust.
    pub ip: String,
    pub user_agent: String,
    /// The `x-request-id` the server gave this request (also in its log lines).
    pub request_id: String,
}

impl RequestInfo {
    pub fn from_parts(parts: &Parts) -> Self {
        let header = |name: &str| {
            parts
                .headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .unwrap_or_default()
        };
        Self {
            ip: parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip().to_string())
                .unwrap_or_default(),
            user_agent: header("user-agent").chars().take(512).collect(),
            request_id: header("x-request-id").chars().take(64).collect(),
        }
    }

    /// The request behind the current page render or server function.
    pub fn current() -> Self {
        use_context::<Parts>()
            .map(|parts| Self::from_parts(&parts))
            .unwrap_or_default()
    }
}
