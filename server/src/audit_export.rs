//! `GET /manage/audit-log/export?person=&kind=&from=&to=`: the audit log's
//! **Export CSV**, for the account's Owner and Administrators.

use std::collections::HashMap;

use axum::{
    body::Body,
    extract::{Query, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    Extension,
};
use futures_util::TryStreamExt as _;

use app::{
    audit_log::{export, AuditFilter, AuditLogError},
    session::Viewer,
    state::AppState,
};

pub async fn audit_log_csv(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let Some(Extension(viewer)) = viewer else {
        return (StatusCode::UNAUTHORIZED, "Sign in to continue.").into_response();
    };
    if !viewer.role.manages_users() {
        return (StatusCode::FORBIDDEN, AuditLogError::Forbidden.to_string()).into_response();
    }
    let param = |name: &str| params.get(name).map_or("", String::as_str);
    let filter = match AuditFilter::parse(
        param("person"),
        param("kind"),
        param("from"),
        param("to"),
        "",
    ) {
        Ok(filter) => filter,
        Err(errors) => return (StatusCode::BAD_REQUEST, errors.to_string()).into_response(),
    };
    let events = match export::csv(state.pool.clone(), &viewer, &filter).await {
        Ok(events) => events,
        Err(AuditLogError::Invalid(errors)) => {
            return (StatusCode::BAD_REQUEST, errors.to_string()).into_response()
        }
        Err(error) => {
            tracing::error!(error = %error, "starting an audit log export");
            return (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response();
        }
    };
    let events = events.inspect_err(|error| {
        // The download stops short; the person sees it fail and may retry.
        tracing::error!(error = %format!("{error:#}"), "writing an audit log export");
    });
    (
        [
            (
                header::CONTENT_TYPE,
                "text/csv; charset=utf-8; header=present",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"audit-log.csv\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        Body::from_stream(events),
    )
        .into_response()
}
