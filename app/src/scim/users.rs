//! `/Users`: the account's people as SCIM resources (RFC 7643 §4.1): lists
//! filtered as identity providers look people up (see
//! [`super::user_filter`]) and paged by `startIndex` and `count`, one by
//! id, and the writes (POST, PUT, PATCH, DELETE; see [`super::user_store`]).
//! Deactivated users are listed with `active: false`; deleted ones are gone.

use anyhow::Context as _;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::{
    caller::ScimCaller,
    error::{ScimError, ScimType},
    filter,
    list_request::{list_response, query, ListQuery, ListRequest, OneQuery, QueryOf},
    patch::Patch,
    projection::Projection,
    request::{ScimJson, ScimRequest},
    schemas::USER_SCHEMA,
    user_filter::{criteria, UserCriterion},
    user_input::{UserInput, USER_SHAPE},
    user_resource::UserRecord,
    user_store::{self, not_found},
    Scim,
};
use crate::state::AppState;

/// `GET /Users`.
pub async fn list(
    State(state): State<AppState>,
    caller: ScimCaller,
    raw: QueryOf<ListQuery>,
) -> Result<Scim, ScimError> {
    let request = query(raw)?.read()?;
    Ok(Scim(search(&state, &caller, &request).await?))
}

/// The list answer for `request`.
pub async fn search(
    state: &AppState,
    caller: &ScimCaller,
    request: &ListRequest,
) -> Result<Value, ScimError> {
    let wanted = match request.filter.as_deref() {
        Some(text) => criteria(&filter::parse(text)?)?,
        None => Vec::new(),
    };
    search_page(
        state,
        caller,
        &wanted,
        request.offset(),
        request.limit(),
        &request.projection,
    )
    .await
    .map(|(resources, total)| list_response(total, request.start_index(), resources))
}

/// One page of the users matching `wanted`, as resources, and how many
/// match in all.
pub async fn search_page(
    state: &AppState,
    caller: &ScimCaller,
    wanted: &[UserCriterion],
    offset: i64,
    limit: i64,
    projection: &Projection,
) -> Result<(Vec<Value>, i64), ScimError> {
    let mut user_name = None;
    let mut email = None;
    let mut external_id = None;
    let mut active = None;
    for criterion in wanted.iter().cloned() {
        match criterion {
            UserCriterion::UserName(value) => user_name = Some(value),
            UserCriterion::Email(value) => email = Some(value),
            UserCriterion::ExternalId(value) => external_id = Some(value),
            UserCriterion::Active(value) => active = Some(value),
        }
    }
    let rows = sqlx::query!(
        r#"SELECT u.id, u.name, u.email, u.scim_user_name, u.scim_external_id, u.scim_profile,
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
        limit,
        offset,
    )
    .fetch_all(&state.pool)
    .await
    .context("listing users for SCIM")?;
    let total = match rows.first() {
        Some(row) => row.total,
        None => count_matching(state, caller, &user_name, &email, &external_id, active).await?,
    };
    let base = super::base(state);
    let resources: Vec<Value> = rows
        .into_iter()
        .map(|row| {
            let record = UserRecord {
                id: row.id,
                name: row.name,
                email: row.email,
                scim_user_name: row.scim_user_name,
                scim_external_id: row.scim_external_id,
                scim_profile: row.scim_profile,
                active: row.active,
                created_at: row.created_at,
                updated_at: row.updated_at,
                version: row.version,
            };
            projection.apply(record.resource(&base))
        })
        .collect();
    Ok((resources, total))
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
    raw: QueryOf<OneQuery>,
) -> Result<Response, ScimError> {
    let projection = query(raw)?.projection()?;
    let user_id = user_id(&id)?;
    let mut conn = state.pool.acquire().await.context("reading a SCIM user")?;
    let record = user_store::find(&mut conn, caller.account_id, user_id)
        .await?
        .ok_or_else(|| not_found(&id))?;
    Ok(one(&state, &record, StatusCode::OK, &projection))
}

/// `POST /Users`: 201 with the user, invited unless created inactive.
pub async fn create(
    State(state): State<AppState>,
    caller: ScimCaller,
    request: ScimRequest,
    ScimJson(body): ScimJson,
) -> Result<Response, ScimError> {
    let attributes = resource_body(body, None, USER_SCHEMA)?;
    let input = UserInput::parse(&attributes)?;
    let record = user_store::create(&state, &caller, &input, &request.info).await?;
    Ok(one(&state, &record, StatusCode::CREATED, &Projection::All))
}

/// `PUT /Users/{id}`: the attributes given replace all of theirs.
pub async fn replace(
    State(state): State<AppState>,
    caller: ScimCaller,
    Path(id): Path<String>,
    request: ScimRequest,
    ScimJson(body): ScimJson,
) -> Result<Response, ScimError> {
    let user_id = user_id(&id)?;
    let attributes = resource_body(body, Some(user_id), USER_SCHEMA)?;
    let input = UserInput::parse(&attributes)?;
    let record = user_store::replace(
        &state,
        &caller,
        user_id,
        &request.precondition,
        &request.info,
        |_| Ok(input),
    )
    .await?;
    Ok(one(&state, &record, StatusCode::OK, &Projection::All))
}

/// `PATCH /Users/{id}`: 200 with the whole user.
pub async fn patch(
    State(state): State<AppState>,
    caller: ScimCaller,
    Path(id): Path<String>,
    request: ScimRequest,
    ScimJson(body): ScimJson,
) -> Result<Response, ScimError> {
    let user_id = user_id(&id)?;
    let patch = Patch::parse(&body, &USER_SHAPE)?;
    let record = user_store::replace(
        &state,
        &caller,
        user_id,
        &request.precondition,
        &request.info,
        |before| UserInput::parse(&patch.apply(before.attributes(), &id)?),
    )
    .await?;
    Ok(one(&state, &record, StatusCode::OK, &Projection::All))
}

/// `DELETE /Users/{id}`: 204, the user deleted as Roster deletes.
pub async fn delete(
    State(state): State<AppState>,
    caller: ScimCaller,
    Path(id): Path<String>,
    request: ScimRequest,
) -> Result<StatusCode, ScimError> {
    let user_id = user_id(&id)?;
    user_store::delete(
        &state,
        &caller,
        user_id,
        &request.precondition,
        &request.info,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One user as an answer, with its ETag.
fn one(
    state: &AppState,
    record: &UserRecord,
    status: StatusCode,
    projection: &Projection,
) -> Response {
    let resource = record.resource(&super::base(state));
    super::resource_answer(status, resource, &record.etag(), projection)
}

/// A POST's or PUT's resource, without what the server owns: `schemas`
/// must name the resource's `schema` (and nothing else), `id` is the server's to
/// give (a PUT may repeat the one in its address) and `meta` is read-only
/// (ignored in a PUT, as RFC 7644 §3.5.1 says; refused in a POST, which
/// cannot have read it).
pub(super) fn resource_body(
    body: Value,
    put_id: Option<Uuid>,
    schema: &str,
) -> Result<Map<String, Value>, ScimError> {
    let Value::Object(mut body) = body else {
        return Err(ScimError::bad(
            ScimType::InvalidSyntax,
            "A resource is a JSON object.",
        ));
    };
    let mut take = |name: &str| {
        let key = body
            .keys()
            .find(|key| key.eq_ignore_ascii_case(name))
            .cloned();
        key.and_then(|key| body.remove(&key))
    };
    let schemas = take("schemas");
    let id = take("id");
    let meta = take("meta");
    match schemas {
        Some(Value::Array(schemas))
            if !schemas.is_empty()
                && schemas
                    .iter()
                    .all(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(schema))) => {}
        _ => {
            return Err(ScimError::bad(
                ScimType::InvalidSyntax,
                format!("schemas must be [\"{schema}\"]: Roster keeps no extension."),
            ))
        }
    }
    match (put_id, id) {
        (_, None) => {}
        (Some(put_id), Some(Value::String(id))) if id == put_id.to_string() => {}
        _ => {
            return Err(ScimError::bad(
                ScimType::Mutability,
                "id is given by Roster and cannot be set.",
            ))
        }
    }
    if put_id.is_none() && meta.is_some() {
        return Err(ScimError::bad(ScimType::Mutability, "meta is read-only."));
    }
    Ok(body)
}

fn user_id(id: &str) -> Result<Uuid, ScimError> {
    Uuid::parse_str(id).map_err(|_| not_found(id))
}
