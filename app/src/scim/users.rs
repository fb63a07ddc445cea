//! `/Users`: the account's people as SCIM resources (RFC 7643 §4.1). Read
//! so far: one by id, and lists filtered by what identity providers look
//! people up by (see [`super::user_filter`]), paged by `startIndex` and
//! `count`. A user's `userName` is their email address unless the identity
//! provider gave another; deactivated users are listed with `active: false`;
//! deleted ones are gone.

use anyhow::Context as _;
use axum::extract::{Path, Query, State};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};
use uuid::Uuid;

use super::{
    caller::ScimCaller,
    error::{ScimError, ScimType},
    filter,
    schemas::{LIST_RESPONSE, MAX_RESULTS, USER_SCHEMA},
    user_filter::{criteria, UserCriterion},
    Scim,
};
use crate::state::AppState;

/// A user as the queries below read them.
struct UserRow {
    id: Uuid,
    name: String,
    email: String,
    scim_user_name: Option<String>,
    scim_external_id: Option<String>,
    active: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    version: i64,
}

impl UserRow {
    fn resource(&self, base: &str) -> Value {
        let (given, family) = crate::domain::first_and_last(&self.name);
        let mut resource = json!({
            "schemas": [USER_SCHEMA],
            "id": self.id,
            "userName": self.scim_user_name.as_deref().unwrap_or(&self.email),
            "name": { "formatted": self.name, "givenName": given, "familyName": family },
            "displayName": self.name,
            "emails": [{ "value": self.email, "type": "work", "primary": true }],
            "active": self.active,
            "meta": {
                "resourceType": "User",
                "created": self.created_at.to_rfc3339_opts(SecondsFormat::Millis, true),
                "lastModified": self.updated_at.to_rfc3339_opts(SecondsFormat::Millis, true),
                "location": format!("{base}/Users/{}", self.id),
                "version": etag(self.version),
            },
        });
        if let Some(external_id) = &self.scim_external_id {
            resource["externalId"] = external_id.as_str().into();
        }
        resource
    }
}

/// A user's version as an ETag (RFC 7644 §3.14): weak, as the resource's
/// JSON is not kept byte for byte.
pub fn etag(version: i64) -> String {
    format!("W/\"{version}\"")
}

/// What a list request may carry (RFC 7644 §3.4.2).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListQuery {
    filter: Option<String>,
    start_index: Option<String>,
    count: Option<String>,
}

/// `GET /Users`.
pub async fn list(
    State(state): State<AppState>,
    caller: ScimCaller,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Scim, ScimError> {
    let Query(query) =
        query.map_err(|rejection| ScimError::bad(ScimType::InvalidValue, rejection.body_text()))?;
    let wanted = match query.filter.as_deref() {
        Some(text) => criteria(&filter::parse(text)?)?,
        None => Vec::new(),
    };
    // 1-based; anything below 1 is 1 (RFC 7644 §3.4.2.4).
    let start_index = number(query.start_index.as_deref(), "startIndex")?
        .unwrap_or(1)
        .max(1);
    let count = number(query.count.as_deref(), "count")?
        .unwrap_or(i64::from(MAX_RESULTS))
        .clamp(0, i64::from(MAX_RESULTS));
    let mut user_name = None;
    let mut email = None;
    let mut external_id = None;
    let mut active = None;
    for criterion in wanted {
        match criterion {
            UserCriterion::UserName(value) => user_name = Some(value),
            UserCriterion::Email(value) => email = Some(value),
            UserCriterion::ExternalId(value) => external_id = Some(value),
            UserCriterion::Active(value) => active = Some(value),
        }
    }
    let rows = sqlx::query!(
        r#"SELECT u.id, u.name, u.email, u.scim_user_name, u.scim_external_id,
                  (u.deactivated_at IS NULL) AS "active!", u.created_at, u.updated_at, u.version,
                  count(*) OVER () AS "total!"
           FROM users u
           WHERE u.account_id = $1 AND u.deleted_at IS NULL
             AND ($2::text IS NULL OR lower(coalesce(u.scim_user_name, u.email)) = lower($2))
             AND ($3::text IS NULL OR lower(u.email) = lower($3)
                  OR lower($3) = ANY(SELECT lower(a) FROM unnest(u.alternate_emails) a))
             AND ($4::text IS NULL OR u.scim_external_id = $4)
             AND ($5::bool IS NULL OR (u.deactivated_at IS NULL) = $5)
           ORDER BY u.created_at, u.id
           LIMIT $6 OFFSET $7"#,
        caller.account_id,
        user_name,
        email,
        external_id,
        active,
        count,
        start_index - 1,
    )
    .fetch_all(&state.pool)
    .await
    .context("listing users for SCIM")?;
    let total = match rows.first() {
        Some(row) => row.total,
        None => count_matching(&state, &caller, &user_name, &email, &external_id, active).await?,
    };
    let base = super::base(&state);
    let resources: Vec<Value> = rows
        .into_iter()
        .map(|row| {
            UserRow {
                id: row.id,
                name: row.name,
                email: row.email,
                scim_user_name: row.scim_user_name,
                scim_external_id: row.scim_external_id,
                active: row.active,
                created_at: row.created_at,
                updated_at: row.updated_at,
                version: row.version,
            }
            .resource(&base)
        })
        .collect();
    Ok(Scim(json!({
        "schemas": [LIST_RESPONSE],
        "totalResults": total,
        "startIndex": start_index,
        "itemsPerPage": resources.len(),
        "Resources": resources,
    })))
}

/// How many users match when the page asked for is past them all.
async fn count_matching(
    state: &AppState,
    caller: &ScimCaller,
    user_name: &Option<String>,
    email: &Option<String>,
    external_id: &Option<String>,
    active: Option<bool>,
) -> anyhow::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM users u
           WHERE u.account_id = $1 AND u.deleted_at IS NULL
             AND ($2::text IS NULL OR lower(coalesce(u.scim_user_name, u.email)) = lower($2))
             AND ($3::text IS NULL OR lower(u.email) = lower($3)
                  OR lower($3) = ANY(SELECT lower(a) FROM unnest(u.alternate_emails) a))
             AND ($4::text IS NULL OR u.scim_external_id = $4)
             AND ($5::bool IS NULL OR (u.deactivated_at IS NULL) = $5)"#,
        caller.account_id,
        user_name.as_deref(),
        email.as_deref(),
        external_id.as_deref(),
        active,
    )
    .fetch_one(&state.pool)
    .await
    .context("counting users for SCIM")
}

/// `GET /Users/{id}`.
pub async fn get(
    State(state): State<AppState>,
    caller: ScimCaller,
    Path(id): Path<String>,
) -> Result<Scim, ScimError> {
    let not_found = || ScimError::not_found(format!("No user {id} in this account."));
    let user_id = Uuid::parse_str(&id).map_err(|_| not_found())?;
    let row = sqlx::query_as!(
        UserRow,
        r#"SELECT id, name, email, scim_user_name, scim_external_id,
                  (deactivated_at IS NULL) AS "active!", created_at, updated_at, version
           FROM users WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL"#,
        user_id,
        caller.account_id,
    )
    .fetch_optional(&state.pool)
    .await
    .context("reading a user for SCIM")?
    .ok_or_else(not_found)?;
    Ok(Scim(row.resource(&super::base(&state))))
}

/// A whole number parameter, if given.
fn number(raw: Option<&str>, name: &str) -> Result<Option<i64>, ScimError> {
    raw.map(|raw| {
        raw.trim().parse::<i64>().map_err(|_| {
            ScimError::bad(
                ScimType::InvalidValue,
                format!("{name} must be a whole number."),
            )
        })
    })
    .transpose()
}
