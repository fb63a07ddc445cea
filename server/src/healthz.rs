use axum::{extract::State, http::StatusCode, response::IntoResponse, Json};
use serde::Serialize;

use app::state::AppState;

#[derive(Serialize)]
struct Health {
    status: &'static str,
}

/// `GET /healthz`: 200 when the database answers, 503 when it does not.
pub async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match sqlx::query_scalar!("SELECT 1 AS one")
        .fetch_one(&state.pool)
        .await
    {
        Ok(_) => (StatusCode::OK, Json(Health { status: "ok" })),
        Err(error) => {
            tracing::warn!(error = %error, "health check: database unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Health {
                    status: "database unavailable",
                }),
            )
        }
    }
}
