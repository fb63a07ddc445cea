//! `GET /v2/users`, `/v2/users/{id}` and `/v2/users/me`, in the shape of
//! Help Scout's Mailbox API 2.0. The Owner and Administrators see every
//! user of their account (invited ones included; deactivated and deleted
//! ones never), as Manage > Users shows them by default; everyone sees
//! themselves.

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
use crate::{domain::Role, state::AppState};

/// A user as the API shows them.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = User)]
pub struct UserResource {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// `owner`, `admin` or `user` (Light Users are users).
    pub role: &'static str,
    pub timezone: String,
    /// The photo, for a browser signed in to Roster; absent without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub photo_url: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub mention: String,
    pub initials: String,
    pub job_title: String,
    pub phone: String,
    pub alternate_emails: Vec<String>,
    /// `self`.
    #[serde(rename = "_links")]
    #[schema(value_type = Object)]
    pub links: Value,
}

/// A user's row, as the queries below (and the team members') read it.
pub(super) struct UserRow {
    pub(super) id: Uuid,
    pub(super) number: i64,
    pub(super) name: String,
    pub(super) email: String,
    pub(super) role: Role,
    pub(super) timezone: String,
    pub(super) job_title: String,
    pub(super) phone: String,
    pub(super) alternate_emails: Vec<String>,
    pub(super) has_photo: bool,
    pub(super) created_at: DateTime<Utc>,
    pub(super) updated_at: DateTime<Utc>,
}

impl UserRow {
    pub(super) fn into_resource(self, state: &AppState) -> UserResource {
        let url = &state.settings.public_url;
        let (first_name, last_name) = crate::domain::first_and_last(&self.name);
        UserResource {
            id: self.number,
            mention: mention(&first_name, &self.email),
            initials: initials(&first_name, &last_name),
            first_name,
            last_name,
            email: self.email,
            role: match self.role {
                Role::Owner => "owner",
                Role::Administrator => "admin",
                Role::User | Role::LightUser => "user",
            },
            timezone: self.timezone,
            photo_url: self
                .has_photo
                .then(|| url.link(&format!("/avatars/{}", self.id))),
            created_at: timestamp(self.created_at),
            updated_at: timestamp(self.updated_at),
            kind: "user",
            job_title: self.job_title,
            phone: self.phone,
            alternate_emails: self.alternate_emails,
            links: serde_json::json!({ "self": link(url, &format!("/v2/users/{}", self.number)) }),
        }
    }
}

/// What a list request may filter by.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only the user with this email address (exact, any case).
    #[param(format = Email)]
    email: Option<String>,
    /// Only the users who can see this mailbox.
    #[param(value_type = Option<i64>, minimum = 1)]
    mailbox: Option<String>,
    /// The page, from 1.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 2147483647)]
    page: Option<String>,
}

/// Every user of the account, invited ones included: the Owner and
/// Administrators only.
#[utoipa::path(
    get,
    path = "/v2/users",
    tag = "Users",
    params(ListQuery),
    responses(
        (status = 200, description = "A page of users", body = super::openapi::UserList, content_type = "application/hal+json"),
        super::openapi::Refusals,
    ),
    security(("bearer" = []), ("basic" = []))
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Hal, ApiError> {
    if !caller.role.manages_users() {
        return Err(ApiError::Forbidden);
    }
    let query = read_query(query)?;
    let page = page_number(query.page.as_deref())?;
    let email = match query.email.as_deref() {
        Some(raw) => Some(
            crate::domain::Email::parse(raw)
                .map_err(|_| ApiError::invalid("email", "Not a well-formed email address", raw))?,
        ),
        None => None,
    };
    let mailbox = match query.mailbox.as_deref() {
        Some(raw) => Some(
            raw.trim()
                .parse::<i64>()
                .ok()
                .filter(|number| *number > 0)
                .ok_or_else(|| ApiError::invalid("mailbox", "must be a mailbox id", raw))?,
        ),
        None => None,
    };
    let email = email.as_ref().map(crate::domain::Email::as_str);
    let filters = {
        let mut filters = url::form_urlencoded::Serializer::new(String::new());
        if let Some(email) = email {
            filters.append_pair("email", email);
        }
        if let Some(mailbox) = mailbox {
            filters.append_pair("mailbox", &mailbox.to_string());
        }
        filters.finish()
    };
    let read = async {
        let mut conn = state.pool.acquire().await.context("listing users")?;
        let (rows, total) = match (email, mailbox) {
            (None, None) => everyone(&mut conn, caller.account_id, page).await?,
            _ => filtered(&mut conn, caller.account_id, email, mailbox, page).await?,
        };
        ListPage {
            name: "users",
            items: rows
                .into_iter()
                .map(|row| row.into_resource(&state))
                .collect(),
            number: page,
            total,
            path: "/v2/users".into(),
            query: filters.clone(),
        }
        .into_hal(&state.settings.public_url)
    };
    super::kept::users_page(&state, &caller, page, filters.clone(), read).await
}

/// A page of every user of the account, and how many there are, in one
/// statement: the count is the one the database keeps for billing, and the
/// page's numbers are walked from whichever end of the list is nearer, so
/// the last page costs what the first does.
async fn everyone(
    conn: &mut sqlx::PgConnection,
    account_id: Uuid,
    page: i64,
) -> anyhow::Result<(Vec<UserRow>, i64)> {
    let found = sqlx::query!(
        r#"WITH total AS (SELECT live_users::bigint AS n FROM accounts WHERE id = $1),
           page AS (
               (SELECT number FROM users
                WHERE account_id = $1 AND deleted_at IS NULL AND deactivated_at IS NULL
                  AND $2::bigint * 2 < (SELECT n FROM total)
                ORDER BY account_id, number LIMIT $3::bigint OFFSET $2::bigint)
               UNION ALL
               (SELECT number FROM users
                WHERE account_id = $1 AND deleted_at IS NULL AND deactivated_at IS NULL
                  AND $2 * 2 >= (SELECT n FROM total)
                ORDER BY account_id DESC, number DESC
                LIMIT greatest(least($2 + $3, (SELECT n FROM total)) - $2, 0)
                OFFSET greatest((SELECT n FROM total) - $2 - $3, 0))
           )
           SELECT u.id, u.number, u.name, u.email, u.role AS "role: Role", u.timezone, u.job_title,
                  u.phone, u.alternate_emails, (p.user_id IS NOT NULL) AS "has_photo!",
                  u.created_at, u.updated_at, (SELECT n FROM total) AS "account_users!"
           FROM users u LEFT JOIN user_photos p ON p.user_id = u.id
           -- An array: the planner then fetches exactly the page's rows.
           WHERE u.number = ANY(ARRAY(SELECT number FROM page))
           ORDER BY u.number"#,
        account_id,
        (page - 1) * PAGE_SIZE,
        PAGE_SIZE,
    )
    .fetch_all(&mut *conn)
    .await
    .context("listing users")?;
    let total = match found.first() {
        Some(row) => row.account_users,
        // Past the last page.
        None => sqlx::query_scalar!("SELECT live_users FROM accounts WHERE id = $1", account_id)
            .fetch_one(&mut *conn)
            .await
            .context("counting users")?
            .into(),
    };
    let rows = found
        .into_iter()
        .map(|row| UserRow {
            id: row.id,
            number: row.number,
            name: row.name,
            email: row.email,
            role: row.role,
            timezone: row.timezone,
            job_title: row.job_title,
            phone: row.phone,
            alternate_emails: row.alternate_emails,
            has_photo: row.has_photo,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
        .collect();
    Ok((rows, total))
}

/// A page of the users with this email address or who can see this
/// mailbox, and how many match.
async fn filtered(
    conn: &mut sqlx::PgConnection,
    account_id: Uuid,
    email: Option<&str>,
    mailbox: Option<i64>,
    page: i64,
) -> anyhow::Result<(Vec<UserRow>, i64)> {
    let total = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM users u
           WHERE u.account_id = $1 AND u.deleted_at IS NULL AND u.deactivated_at IS NULL
             AND ($2::text IS NULL OR lower(u.email) = lower($2))
             AND ($3::bigint IS NULL OR EXISTS (
                 SELECT 1 FROM inboxes i WHERE i.account_id = $1 AND i.number = $3
                   AND (u.role IN ('owner', 'administrator')
                        OR EXISTS (SELECT 1 FROM user_inboxes ui WHERE ui.user_id = u.id AND ui.inbox_id = i.id))))"#,
        account_id,
        email,
        mailbox,
    )
    .fetch_one(&mut *conn)
    .await
    .context("counting users")?;
    let rows = sqlx::query_as!(
        UserRow,
        r#"SELECT u.id, u.number, u.name, u.email, u.role AS "role: Role", u.timezone, u.job_title,
                  u.phone, u.alternate_emails, (p.user_id IS NOT NULL) AS "has_photo!",
                  u.created_at, u.updated_at
           FROM users u LEFT JOIN user_photos p ON p.user_id = u.id
           WHERE u.account_id = $1 AND u.deleted_at IS NULL AND u.deactivated_at IS NULL
             AND ($2::text IS NULL OR lower(u.email) = lower($2))
             AND ($3::bigint IS NULL OR EXISTS (
                 SELECT 1 FROM inboxes i WHERE i.account_id = $1 AND i.number = $3
                   AND (u.role IN ('owner', 'administrator')
                        OR EXISTS (SELECT 1 FROM user_inboxes ui WHERE ui.user_id = u.id AND ui.inbox_id = i.id))))
           ORDER BY u.number
           LIMIT $4 OFFSET $5"#,
        account_id,
        email,
        mailbox,
        PAGE_SIZE,
        (page - 1) * PAGE_SIZE,
    )
    .fetch_all(&mut *conn)
    .await
    .context("listing users")?;
    Ok((rows, total))
}

/// One user of the account: yourself, or anyone for the Owner and
/// Administrators.
#[utoipa::path(
    get,
    path = "/v2/users/{id}",
    tag = "Users",
    params(("id" = i64, Path, description = "The user's id")),
    responses(
        (status = 200, description = "The user", body = UserResource, content_type = "application/hal+json"),
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
    let row = one(&state, &caller, Some(number), None).await?;
    if row.id != caller.user_id && !caller.role.manages_users() {
        return Err(ApiError::Forbidden);
    }
    Hal::of(row.into_resource(&state))
}

/// The user the credential acts as (Help Scout's "Get Resource Owner").
#[utoipa::path(
    get,
    path = "/v2/users/me",
    tag = "Users",
    responses(
        (status = 200, description = "The user the credential acts as", body = UserResource, content_type = "application/hal+json"),
        super::openapi::Refusals,
    ),
    security(("bearer" = []), ("basic" = []))
)]
pub async fn me(State(state): State<AppState>, caller: Caller) -> Result<Hal, ApiError> {
    let row = one(&state, &caller, None, Some(caller.user_id)).await?;
    Hal::of(row.into_resource(&state))
}

/// The live user of the caller's account with this number or id.
async fn one(
    state: &AppState,
    caller: &Caller,
    number: Option<i64>,
    id: Option<Uuid>,
) -> Result<UserRow, ApiError> {
    sqlx::query_as!(
        UserRow,
        r#"SELECT u.id, u.number, u.name, u.email, u.role AS "role: Role", u.timezone, u.job_title,
                  u.phone, u.alternate_emails, (p.user_id IS NOT NULL) AS "has_photo!",
                  u.created_at, u.updated_at
           FROM users u LEFT JOIN user_photos p ON p.user_id = u.id
           WHERE u.account_id = $1 AND u.deleted_at IS NULL AND u.deactivated_at IS NULL
             AND (u.number = $2 OR u.id = $3)"#,
        caller.account_id,
        number,
        id,
    )
    .fetch_optional(&state.pool)
    .await
    .context("reading a user")?
    .ok_or(ApiError::NotFound)
}

/// How colleagues @mention the user: their first name's letters and digits,
/// lower-cased (the email's local part when it has none).
pub(super) fn mention(first_name: &str, email: &str) -> String {
    let from_name: String = first_name
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    if from_name.is_empty() {
        email.split('@').next().unwrap_or_default().to_lowercase()
    } else {
        from_name
    }
}

pub(super) fn initials(first_name: &str, last_name: &str) -> String {
    [first_name, last_name]
        .iter()
        .filter_map(|part| part.chars().next())
        .flat_map(char::to_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_and_initials_come_from_the_name() {
        assert_eq!(mention("Vernon", "bear@acme.com"), "vernon");
        assert_eq!(mention("Zoë-Ann", "z@acme.com"), "zoëann");
        assert_eq!(mention("👩‍💻", "ada@acme.com"), "ada");
        assert_eq!(initials("Vernon", "Bear"), "VB");
        assert_eq!(initials("Cher", ""), "C");
    }
}
