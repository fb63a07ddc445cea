use std::{net::SocketAddr, sync::Arc};

use axum::{
    extract::{ConnectInfo, Request, State},
    middleware::Next,
    response::Response,
};

use app::{request::ClientAddress, state::Settings};

/// Puts the client's address in the request's extensions: the peer's, or,
/// when the peer is a trusted proxy, the one its forwarding header names.
pub async fn find_client(
    State(settings): State<Arc<Settings>>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>() {
        let client = settings
            .trusted_proxies
            .client(peer.ip(), request.headers());
        request.extensions_mut().insert(ClientAddress(client));
    }
    next.run(request).await
}
