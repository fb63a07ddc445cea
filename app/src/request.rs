//! Facts about the request being served, for sessions and audit events.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use http::request::Parts;
use leptos::prelude::with_context;

/// The client's address, as the middleware found it: the peer's, or behind
/// trusted proxies the one they name (see [`crate::trusted_proxies`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

#[derive(Clone, Debug, Default)]
pub struct RequestInfo {
    /// The client's address, when known, for sessions and audit rows.
    pub client: Option<IpAddr>,
    /// What per-address limits count the request against.
    pub limit_key: String,
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
        let client = parts
            .extensions
            .get::<ClientAddress>()
            .map(|ClientAddress(address)| *address)
            .or_else(|| {
                parts
                    .extensions
                    .get::<ConnectInfo<SocketAddr>>()
                    .map(|ConnectInfo(peer)| peer.ip().to_canonical())
            });
        Self {
            client,
            limit_key: client
                .map(crate::trusted_proxies::limit_key)
                .unwrap_or_default(),
            user_agent: header("user-agent").chars().take(512).collect(),
            request_id: header("x-request-id").chars().take(64).collect(),
        }
    }

    /// The client's address as sessions and audit rows store it (empty
    /// when unknown).
    pub fn stored_ip(&self) -> String {
        self.client
            .map(|address| address.to_string())
            .unwrap_or_default()
    }

    /// The request behind the current page render or server function.
    pub fn current() -> Self {
        with_context::<Parts, _>(Self::from_parts).unwrap_or_default()
    }
}
