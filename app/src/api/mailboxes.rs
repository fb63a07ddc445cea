//! `GET /v2/mailboxes` and `/v2/mailboxes/{id}`: Roster's inboxes, as Help
//! Scout's Mailbox API 2.0 calls them. The Owner and Administrators see
//! every inbox of their account; everyone else the ones they have access to
//! (Inbox Access), as the Inboxes page shows them.

use anyhow::Context as _;
use axum::extract::{Path, Query, State};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use super::{
    hal::{link, page_number, path_number, read_query, timestamp, Hal, ListPage, PAGE_SIZE},
    ApiError, Caller,
};
use crate::state::AppState;

/// An inbox as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Mailbox)]
pub struct MailboxResource {
    pub id: i64,
    pub name: String,
    /// A stable key for the mailbox, as Help Scout gives one.
    pub slug: String,
    pub email: String,
    pub created_at: String,
    /// Inboxes are not edited yet: when it was made.
    pub updated_at: String,
    /// `self`, and `users` (who can see it).
    #[serde(rename = "_links")]
    #[schema(value_type = Object)]
    pub links: Value,
}

struct MailboxRow {
    id: Uuid,
    number: i64,
    name: String,
    email: String,
    created_at: DateTime<Utc>,
}

impl MailboxRow {
    fn into_resource(self, state: &AppState) -> MailboxResource {
        let url = &state.settings.public_url;
        MailboxResource {
            id: self.number,
            name: self.name,
            slug: self.id.simple().to_string()[..16].to_owned(),
            email: self.email,
            created_at: timestamp(self.created_at),
            updated_at: timestamp(self.created_at),
            links: serde_json::json!({
                "self": link(url, &format!("/v2/mailboxes/{}", self.number)),
                "users": link(url, &format!("/v2/users?mailbox={}", self.number)),
            }),
        }
    }
}

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// The page, from 1.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 2147483647)]
    page: Option<String>,
}

/// The mailboxes (inboxes) you see.
#[utoipa::path(
    get,
    path = "/v2/mailboxes",
    tag = "Mailboxes",
    params(ListQuery),
    responses(
        (status = 200, description = "A page of mailboxes", body = super::openapi::MailboxList, content_type = "application/hal+json"),
        super::openapi::Refusals,
    ),
    security(("bearer" = []), ("basic" = []))
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Hal, ApiError> {
    let query = read_query(query)?;
    let page = page_number(query.page.as_deref())?;
    let sees_all = caller.role.manages_users();
    let mut conn = state.pool.acquire().await.context("listing mailboxes")?;
    let total = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM inboxes i
           WHERE i.account_id = $1
             AND ($2 OR EXISTS (SELECT 1 FROM user_inboxes ui WHERE ui.inbox_id = i.id AND ui.user_id = $3))"#,
        caller.account_id,
        sees_all,
        caller.user_id,
    )
    .fetch_one(&mut *conn)
    .await
    .context("counting mailboxes")?;
    let rows = sqlx::query_as!(
        MailboxRow,
        r#"SELECT i.id, i.number, i.name, i.email, i.created_at FROM inboxes i
           WHERE i.account_id = $1
             AND ($2 OR EXISTS (SELECT 1 FROM user_inboxes ui WHERE ui.inbox_id = i.id AND ui.user_id = $3))
           ORDER BY i.number
           LIMIT $4 OFFSET $5"#,
        caller.account_id,
        sees_all,
        caller.user_id,
        PAGE_SIZE,
        (page - 1) * PAGE_SIZE,
    )
    .fetch_all(&mut *conn)
    .await
    .context("listing mailboxes")?;
    ListPage {
        name: "mailboxes",
        items: rows
            .into_iter()
            .map(|row| row.into_resource(&state))
            .collect(),
        number: page,
        total,
        path: "/v2/mailboxes".into(),
        query: String::new(),
    }
    .into_hal(&state.settings.public_url)
}

/// One mailbox you see.
#[utoipa::path(
    get,
    path = "/v2/mailboxes/{id}",
    tag = "Mailboxes",
    params(("id" = i64, Path, description = "The mailbox's id")),
    responses(
        (status = 200, description = "The mailbox", body = MailboxResource, content_type = "application/hal+json"),
        super::openapi::Refusals,
    ),
    security(("bearer" = []), ("basic" = []))
)]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Hal, ApiError> {
    let number = path_number(&id)?;
    let row = sqlx::query_as!(
        MailboxRow,
        r#"SELECT i.id, i.number, i.name, i.email, i.created_at FROM inboxes i
           WHERE i.account_id = $1 AND i.number = $2
             AND ($3 OR EXISTS (SELECT 1 FROM user_inboxes ui WHERE ui.inbox_id = i.id AND ui.user_id = $4))"#,
        caller.account_id,
        number,
        caller.role.manages_users(),
        caller.user_id,
    )
    .fetch_optional(&state.pool)
    .await
    .context("reading a mailbox")?
    .ok_or(ApiError::NotFound)?;
    Hal::of(row.into_resource(&state))
}
