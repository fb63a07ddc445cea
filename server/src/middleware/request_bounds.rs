//! Bounds on the work in flight: at most so many requests handled at once,
//! none for longer than the timeout. Past either, the answer is 503 with
//! `Retry-After`, at once, rather than a queue that grows until memory or
//! patience runs out.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use tokio::sync::Semaphore;

use app::state::RequestLimits;

/// The bounds, with the permits for requests in flight.
pub struct RequestBounds {
    in_flight: Semaphore,
    limits: RequestLimits,
}

impl RequestBounds {
    pub fn new(limits: RequestLimits) -> Self {
        Self {
            in_flight: Semaphore::new(limits.in_flight),
            limits,
        }
    }
}

const RETRY_AFTER_SECS: &str = "1";

pub async fn bound(
    State(bounds): State<Arc<RequestBounds>>,
    request: Request,
    next: Next,
) -> Response {
    let Ok(_permit) = bounds.in_flight.try_acquire() else {
        tracing::warn!(
            "turned a request away: {} requests are in flight",
            bounds.limits.in_flight
        );
        return unavailable("Roster is busy right now. Try again in a moment.");
    };
    match tokio::time::timeout(bounds.limits.timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(
                "a request took longer than {:?} and was answered 503",
                bounds.limits.timeout
            );
            unavailable("Roster took too long to answer. Try again in a moment.")
        }
    }
}

fn unavailable(message: &'static str) -> Response {
    let mut response = (StatusCode::SERVICE_UNAVAILABLE, message).into_response();
    response.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from_static(RETRY_AFTER_SECS),
    );
    response
}
