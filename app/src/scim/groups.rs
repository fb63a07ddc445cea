//! `/Groups`: the account's teams as SCIM groups (RFC 7643 §4.2), on the
//! Plus and Pro plans, which have teams: listed (filtered by displayName or
//! externalId), read, created, replaced, patched (members added and
//! removed) and deleted. See [`super::group_store`].

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
    error::ScimError,
    filter, group_filter,
    group_input::{GroupInput, GROUP_SHAPE},
    group_store::{self, no_teams, not_found, GroupCriteria, GroupRecord},
    list_request::{list_response, query, ListQuery, ListRequest, OneQuery, QueryOf},
    patch::Patch,
    projection::Projection,
    request::{ScimJson, ScimRequest},
    schemas::GROUP_SCHEMA,
    Scim,
};
use crate::state::AppState;

fn require_teams(caller: &ScimCaller) -> Result<(), ScimError> {
    if caller.plan.allows_teams() {
        Ok(())
    } else {
        Err(no_teams())
    }
}

/// `GET /Groups`.
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
    require_teams(caller)?;
    let criteria = match request.filter.as_deref() {
        Some(text) => group_filter::criteria(&filter::parse(text)?)?,
        None => GroupCriteria::default(),
    };
    let (resources, total) = search_page(
        state,
        caller,
        &criteria,
        request.offset(),
        request.limit(),
        &request.projection,
    )
    .await?;
    Ok(list_response(total, request.start_index(), resources))
}

/// One page of the teams matching `criteria`, as resources, and how many
/// match in all.
pub async fn search_page(
    state: &AppState,
    caller: &ScimCaller,
    criteria: &GroupCriteria,
    offset: i64,
    limit: i64,
    projection: &Projection,
) -> Result<(Vec<Value>, i64), ScimError> {
    let (records, total) =
        group_store::list(state, caller.account_id, criteria, offset, limit).await?;
    let base = super::base(state);
    let resources = records
        .iter()
        .map(|record| projection.apply(record.resource(&base)))
        .collect();
    Ok((resources, total))
}

/// Whether a root search (`POST /.search`) includes groups, and which.
pub fn root_criteria(caller: &ScimCaller, request: &ListRequest) -> Option<GroupCriteria> {
    if !caller.plan.allows_teams() {
        return None;
    }
    match request.filter.as_deref() {
        None => Some(GroupCriteria::default()),
        Some(text) => filter::parse(text)
            .ok()
            .and_then(|filter| group_filter::criteria(&filter).ok()),
    }
}

/// `GET /Groups/{id}`.
pub async fn get(
    State(state): State<AppState>,
    caller: ScimCaller,
    Path(id): Path<String>,
    raw: QueryOf<OneQuery>,
) -> Result<Response, ScimError> {
    require_teams(&caller)?;
    let projection = query(raw)?.projection()?;
    let team_id = team_id(&id)?;
    let mut conn = state.pool.acquire().await.context("reading a SCIM group")?;
    let record = group_store::find(&mut conn, caller.account_id, team_id)
        .await?
        .ok_or_else(|| not_found(&id))?;
    Ok(one(&state, &record, StatusCode::OK, &projection))
}

/// `POST /Groups`: 201 with the team.
pub async fn create(
    State(state): State<AppState>,
    caller: ScimCaller,
    request: ScimRequest,
    ScimJson(body): ScimJson,
) -> Result<Response, ScimError> {
    require_teams(&caller)?;
    let input = GroupInput::parse(&group_body(body, None)?)?;
    let record = group_store::create(&state, &caller, &input, &request.info).await?;
    Ok(one(&state, &record, StatusCode::CREATED, &Projection::All))
}

/// `PUT /Groups/{id}`.
pub async fn replace(
    State(state): State<AppState>,
    caller: ScimCaller,
    Path(id): Path<String>,
    request: ScimRequest,
    ScimJson(body): ScimJson,
) -> Result<Response, ScimError> {
    require_teams(&caller)?;
    let team_id = team_id(&id)?;
    let input = GroupInput::parse(&group_body(body, Some(team_id))?)?;
    let record = group_store::replace(
        &state,
        &caller,
        team_id,
        &request.precondition,
        &request.info,
        |_| Ok(input),
    )
    .await?;
    Ok(one(&state, &record, StatusCode::OK, &Projection::All))
}

/// `PATCH /Groups/{id}`: 200 with the whole team.
pub async fn patch(
    State(state): State<AppState>,
    caller: ScimCaller,
    Path(id): Path<String>,
    request: ScimRequest,
    ScimJson(body): ScimJson,
) -> Result<Response, ScimError> {
    require_teams(&caller)?;
    let team_id = team_id(&id)?;
    let patch = Patch::parse(&body, &GROUP_SHAPE)?;
    let base = super::base(&state);
    let record = group_store::replace(
        &state,
        &caller,
        team_id,
        &request.precondition,
        &request.info,
        |before| GroupInput::parse(&patch.apply(before.attributes(&base), &id)?),
    )
    .await?;
    Ok(one(&state, &record, StatusCode::OK, &Projection::All))
}

/// `DELETE /Groups/{id}`: 204.
pub async fn delete(
    State(state): State<AppState>,
    caller: ScimCaller,
    Path(id): Path<String>,
    request: ScimRequest,
) -> Result<StatusCode, ScimError> {
    require_teams(&caller)?;
    let team_id = team_id(&id)?;
    group_store::delete(
        &state,
        &caller,
        team_id,
        &request.precondition,
        &request.info,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

fn one(
    state: &AppState,
    record: &GroupRecord,
    status: StatusCode,
    projection: &Projection,
) -> Response {
    let resource = record.resource(&super::base(state));
    super::resource_answer(status, resource, &record.etag(), projection)
}

/// A POST's or PUT's group, without what the server owns (as for users:
/// see `users::resource_body`).
fn group_body(body: Value, put_id: Option<Uuid>) -> Result<Map<String, Value>, ScimError> {
    super::users::resource_body(body, put_id, GROUP_SCHEMA)
}

fn team_id(id: &str) -> Result<Uuid, ScimError> {
    Uuid::parse_str(id).map_err(|_| not_found(id))
}
