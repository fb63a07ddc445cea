//! Roster's API, in the shape of Help Scout's Mailbox API 2.0: plain axum
//! routes beside the pages, for scripts and integrations. Every request is
//! authenticated by the credential it carries (see [`caller`]); no cookie
//! is read and no session is made.

mod caller;
mod error;
mod hal;
pub mod kept;
mod mailboxes;
mod openapi;
mod teams;
mod users;

use axum::{
    routing::{get, post},
    Router,
};

pub use caller::Caller;
pub use error::ApiError;
pub use hal::Hal;
pub use openapi::document as openapi_document;

use crate::state::AppState;

/// The API's routes under `/v2`, for the server to serve beside the pages.
/// Any other address under `/v2` is the API's 404.
pub fn router() -> Router<AppState> {
    let v2 = Router::new()
        .route("/users", get(users::list))
        .route("/users/me", get(users::me))
        .route("/users/{id}", get(users::get))
        .route("/mailboxes", get(mailboxes::list))
        .route("/mailboxes/{id}", get(mailboxes::get))
        .route("/teams", get(teams::list))
        .route("/teams/{id}/members", get(teams::members))
        .route("/oauth2/token", post(crate::oauth::token::token))
        .route("/openapi.json", get(openapi::serve))
        .fallback(|| async { ApiError::NotFound });
    Router::new()
        .nest("/v2", v2)
        .nest(crate::scim::BASE_PATH, crate::scim::router())
        .layer(axum::middleware::from_fn(crate::account_limits::report))
        .layer(axum::Extension(std::sync::Arc::new(
            crate::account_limits::AccountLimits::default(),
        )))
}

/// Every API path, for the suites that must cover them all.
pub const PATHS: &[&str] = &[
    "/v2/users",
    "/v2/users/me",
    "/v2/users/{id}",
    "/v2/mailboxes",
    "/v2/mailboxes/{id}",
    "/v2/teams",
    "/v2/teams/{id}/members",
    "/v2/oauth2/token",
    "/v2/openapi.json",
];
