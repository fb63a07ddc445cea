//! `GET /v2/teams` and `/v2/teams/{id}/members`, in the shape of Help
//! Scout's Mailbox API 2.0. As Manage > Teams: the Owner and Administrators
//! only, on the plans that have teams.

use anyhow::Context as _;
use axum::extract::{Path, Query, State};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use super::{
    hal::{link, page_number, path_number, read_query, timestamp, ListPage, PAGE_SIZE},
    users::{initials, mention, UserRow},
    ApiError, Caller, Hal,
};
use crate::{domain::Role, state::AppState};

/// A team as the API shows it. Roster's teams have no photo or time zone
/// of their own, so those fields are left out.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Team)]
pub struct TeamResource {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    /// Teams are renamed nowhere yet: when it was made.
    pub updated_at: String,
    pub mention: String,
    pub initials: String,
    /// `members`.
    #[serde(rename = "_links")]
    #[schema(value_type = Object)]
    pub links: Value,
}

struct TeamRow {
    number: i64,
    name: String,
    created_at: DateTime<Utc>,
}

impl TeamRow {
    fn into_resource(self, state: &AppState) -> TeamResource {
        let url = &state.settings.public_url;
        let (first, rest) = self.name.split_once(' ').unwrap_or((&self.name, ""));
        TeamResource {
            id: self.number,
            mention: mention(&self.name.replace(' ', ""), ""),
            initials: initials(first, rest.split_whitespace().last().unwrap_or_default()),
            name: self.name,
            created_at: timestamp(self.created_at),
            updated_at: timestamp(self.created_at),
            links: serde_json::json!({
                "members": link(url, &format!("/v2/teams/{}/members", self.number)),
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

/// The caller may see teams: they manage users, and the plan has teams.
async fn may_see_teams(state: &AppState, caller: &Caller) -> Result<(), ApiError> {
    if !caller.role.manages_users() {
        return Err(ApiError::Forbidden);
    }
    let plan = crate::users::store::plan(&state.pool, caller.account_id).await?;
    if plan.allows_teams() {
        Ok(())
    } else {
        Err(ApiError::NeedsPlan(
            "Teams are available on the Plus and Pro plans",
        ))
    }
}

/// The account's teams.
#[utoipa::path(
    get,
    path = "/v2/teams",
    tag = "Teams",
    params(ListQuery),
    responses(
        (status = 200, description = "A page of teams", body = super::openapi::TeamList, content_type = "application/hal+json"),
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
    may_see_teams(&state, &caller).await?;
    let mut conn = state.pool.acquire().await.context("listing teams")?;
    let total = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM teams WHERE account_id = $1"#,
        caller.account_id,
    )
    .fetch_one(&mut *conn)
    .await
    .context("counting teams")?;
    let rows = sqlx::query_as!(
        TeamRow,
        "SELECT number, name, created_at FROM teams WHERE account_id = $1
         ORDER BY number LIMIT $2 OFFSET $3",
        caller.account_id,
        PAGE_SIZE,
        (page - 1) * PAGE_SIZE,
    )
    .fetch_all(&mut *conn)
    .await
    .context("listing teams")?;
    ListPage {
        name: "teams",
        items: rows
            .into_iter()
            .map(|row| row.into_resource(&state))
            .collect(),
        number: page,
        total,
        path: "/v2/teams".into(),
        query: String::new(),
    }
    .into_hal(&state.settings.public_url)
}

/// The live users of one team, as `GET /v2/users` shows users.
#[utoipa::path(
    get,
    path = "/v2/teams/{id}/members",
    tag = "Teams",
    params(("id" = i64, Path, description = "The team's id"), ListQuery),
    responses(
        (status = 200, description = "A page of the team's users", body = super::openapi::UserList, content_type = "application/hal+json"),
        super::openapi::Refusals,
    ),
    security(("bearer" = []), ("basic" = []))
)]
pub async fn members(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Hal, ApiError> {
    let number = path_number(&id)?;
    let query = read_query(query)?;
    let page = page_number(query.page.as_deref())?;
    may_see_teams(&state, &caller).await?;
    let mut conn = state.pool.acquire().await.context("listing team members")?;
    let total = sqlx::query_scalar!(
        r#"SELECT (SELECT count(*) FROM team_members m JOIN users u ON u.id = m.user_id
                   WHERE m.team_id = t.id AND u.deleted_at IS NULL) AS "count!"
           FROM teams t WHERE t.account_id = $1 AND t.number = $2"#,
        caller.account_id,
        number,
    )
    .fetch_optional(&mut *conn)
    .await
    .context("counting team members")?
    .ok_or(ApiError::NotFound)?;
    let rows = sqlx::query_as!(
        UserRow,
        r#"SELECT u.id, u.number, u.name, u.email, u.role AS "role: Role", u.timezone, u.job_title,
                  u.phone, u.alternate_emails, (p.user_id IS NOT NULL) AS "has_photo!",
                  u.created_at, u.updated_at
           FROM teams t
           JOIN team_members m ON m.team_id = t.id
           JOIN users u ON u.id = m.user_id
           LEFT JOIN user_photos p ON p.user_id = u.id
           WHERE t.account_id = $1 AND t.number = $2 AND u.deleted_at IS NULL
           ORDER BY u.number
           LIMIT $3 OFFSET $4"#,
        caller.account_id,
        number,
        PAGE_SIZE,
        (page - 1) * PAGE_SIZE,
    )
    .fetch_all(&mut *conn)
    .await
    .context("listing team members")?;
    ListPage {
        name: "users",
        items: rows
            .into_iter()
            .map(|row| row.into_resource(&state))
            .collect(),
        number: page,
        total,
        path: format!("/v2/teams/{number}/members"),
        query: String::new(),
    }
    .into_hal(&state.settings.public_url)
}
