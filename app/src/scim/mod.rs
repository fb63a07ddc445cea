//! SCIM 2.0 provisioning (RFC 7643, RFC 7644) at `/scim/v2`, to the
//! account's SCIM token (made in Company > Provisioning) only: the
//! discovery documents; users, listed, filtered and searched as identity
//! providers look people up, created (and invited), replaced, patched
//! (deactivating and reactivating them) and deleted; and groups, which are
//! Roster's teams (Plus and Pro), with their members; all with ETags.

mod caller;
pub mod error;
pub mod filter;
mod group_filter;
pub mod group_input;
mod group_store;
mod groups;
mod list_request;
pub mod patch;
pub mod projection;
mod request;
pub mod schemas;
mod search;
pub mod user_filter;
pub mod user_input;
pub mod user_resource;
mod user_store;
mod users;

use axum::{
    extract::{Path, State},
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};
use serde_json::{json, Value};

pub use caller::ScimCaller;
use error::{ScimError, SCIM_JSON};

use crate::state::AppState;

/// Where the service is, under PUBLIC_URL.
pub const BASE_PATH: &str = "/scim/v2";

/// Every path of the service, for the suites that must cover them all.
pub const PATHS: &[&str] = &[
    "/scim/v2/ServiceProviderConfig",
    "/scim/v2/ResourceTypes",
    "/scim/v2/ResourceTypes/{id}",
    "/scim/v2/Schemas",
    "/scim/v2/Schemas/{id}",
    "/scim/v2/Users",
    "/scim/v2/Users/{id}",
    "/scim/v2/Users/.search",
    "/scim/v2/Groups",
    "/scim/v2/Groups/{id}",
    "/scim/v2/Groups/.search",
    "/scim/v2/.search",
];

/// The service's base URL, `…/scim/v2`.
pub fn base(state: &AppState) -> String {
    state.settings.public_url.link(BASE_PATH)
}

/// A SCIM answer: JSON as `application/scim+json`.
pub struct Scim(pub Value);

impl IntoResponse for Scim {
    fn into_response(self) -> Response {
        let mut response = self.0.to_string().into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(SCIM_JSON));
        response
    }
}

/// One resource as an answer, with the attributes `projection` keeps: its
/// ETag, and for a 201 its Location (the resource's `meta.location`).
pub fn resource_answer(
    status: axum::http::StatusCode,
    resource: Value,
    etag: &str,
    projection: &projection::Projection,
) -> Response {
    let location = (status == axum::http::StatusCode::CREATED)
        .then(|| resource["meta"]["location"].as_str().map(str::to_owned))
        .flatten();
    let mut response = (status, Scim(projection.apply(resource))).into_response();
    let headers = response.headers_mut();
    if let Ok(etag) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, etag);
    }
    if let Some(Ok(location)) = location.map(|l| HeaderValue::from_str(&l)) {
        headers.insert(header::LOCATION, location);
    }
    response
}

/// The service's routes, for the server to nest at [`BASE_PATH`]. Any
/// other address under it is SCIM's 404; a method a route does not take,
/// its 405.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/ServiceProviderConfig",
            get(service_provider_config).fallback(not_allowed),
        )
        .route("/ResourceTypes", get(resource_types).fallback(not_allowed))
        .route(
            "/ResourceTypes/{id}",
            get(resource_type).fallback(not_allowed),
        )
        .route("/Schemas", get(schemas_list).fallback(not_allowed))
        .route("/Schemas/{id}", get(schema).fallback(not_allowed))
        .route(
            "/Users",
            get(users::list).post(users::create).fallback(not_allowed),
        )
        .route("/Users/.search", post(search::users).fallback(not_allowed))
        .route(
            "/Users/{id}",
            get(users::get)
                .put(users::replace)
                .patch(users::patch)
                .delete(users::delete)
                .fallback(not_allowed),
        )
        .route(
            "/Groups",
            get(groups::list).post(groups::create).fallback(not_allowed),
        )
        .route(
            "/Groups/.search",
            post(search::groups).fallback(not_allowed),
        )
        .route(
            "/Groups/{id}",
            get(groups::get)
                .put(groups::replace)
                .patch(groups::patch)
                .delete(groups::delete)
                .fallback(not_allowed),
        )
        .route("/.search", post(search::everything).fallback(not_allowed))
        .fallback(|| async { ScimError::not_found("Nothing is at this address.") })
}

async fn not_allowed(_caller: ScimCaller) -> ScimError {
    ScimError {
        status: axum::http::StatusCode::METHOD_NOT_ALLOWED,
        scim_type: None,
        detail: "This address does not take that method.".into(),
        retry_after: None,
    }
}

fn list(resources: Vec<Value>) -> Scim {
    Scim(json!({
        "schemas": [schemas::LIST_RESPONSE],
        "totalResults": resources.len(),
        "startIndex": 1,
        "itemsPerPage": resources.len(),
        "Resources": resources,
    }))
}

async fn service_provider_config(State(state): State<AppState>, _caller: ScimCaller) -> Scim {
    Scim(schemas::service_provider_config(&base(&state)))
}

async fn resource_types(State(state): State<AppState>, caller: ScimCaller) -> Scim {
    list(schemas::resource_types(
        &base(&state),
        caller.plan.allows_teams(),
    ))
}

async fn resource_type(
    State(state): State<AppState>,
    caller: ScimCaller,
    Path(id): Path<String>,
) -> Result<Scim, ScimError> {
    one_of(
        schemas::resource_types(&base(&state), caller.plan.allows_teams()),
        &id,
    )
}

async fn schemas_list(State(state): State<AppState>, caller: ScimCaller) -> Scim {
    list(schemas::schemas(&base(&state), caller.plan.allows_teams()))
}

async fn schema(
    State(state): State<AppState>,
    caller: ScimCaller,
    Path(id): Path<String>,
) -> Result<Scim, ScimError> {
    one_of(
        schemas::schemas(&base(&state), caller.plan.allows_teams()),
        &id,
    )
}

fn one_of(resources: Vec<Value>, id: &str) -> Result<Scim, ScimError> {
    resources
        .into_iter()
        .find(|resource| resource["id"] == id)
        .map(Scim)
        .ok_or_else(|| ScimError::not_found(format!("No {id} here.")))
}
