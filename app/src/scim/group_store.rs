//! SCIM groups are Roster's teams, against PostgreSQL: read, listed,
//! created, replaced (PUT, and PATCH once applied) and deleted, each change
//! one transaction made by the token's maker, audited as the Teams page
//! audits. Members are live users of the account, never Light Users (as on
//! the Teams page).

use anyhow::Context as _;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Map, Value};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{
    caller::ScimCaller,
    error::{ScimError, ScimType},
    group_input::GroupInput,
    schemas::GROUP_SCHEMA,
    user_resource::etag,
    user_store::Precondition,
};
use crate::{audit::Action, change::Change, domain::Role, request::RequestInfo, state::AppState};

/// A team as SCIM shows it.
#[derive(Clone, Debug)]
pub struct GroupRecord {
    pub id: Uuid,
    pub name: String,
    pub scim_external_id: Option<String>,
    /// Its live members, oldest user first.
    pub members: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl GroupRecord {
    /// The writable attributes as SCIM shows them.
    pub fn attributes(&self, base: &str) -> Map<String, Value> {
        let mut attributes = Map::new();
        attributes.insert("displayName".into(), self.name.as_str().into());
        if let Some(external_id) = &self.scim_external_id {
            attributes.insert("externalId".into(), external_id.as_str().into());
        }
        if !self.members.is_empty() {
            let members: Vec<Value> = self
                .members
                .iter()
                .map(|id| json!({ "value": id, "$ref": format!("{base}/Users/{id}"), "type": "User" }))
                .collect();
            attributes.insert("members".into(), Value::Array(members));
        }
        attributes
    }

    pub fn resource(&self, base: &str) -> Value {
        let mut resource = Map::new();
        resource.insert("schemas".into(), json!([GROUP_SCHEMA]));
        resource.insert("id".into(), self.id.to_string().into());
        resource.extend(self.attributes(base));
        resource.insert(
            "meta".into(),
            json!({
                "resourceType": "Group",
                "created": self.created_at.to_rfc3339_opts(SecondsFormat::Millis, true),
                "lastModified": self.updated_at.to_rfc3339_opts(SecondsFormat::Millis, true),
                "location": format!("{base}/Groups/{}", self.id),
                "version": self.etag(),
            }),
        );
        Value::Object(resource)
    }

    pub fn etag(&self) -> String {
        etag(self.version)
    }
}

pub fn not_found(id: impl std::fmt::Display) -> ScimError {
    ScimError::not_found(format!("No group {id} in this account."))
}

/// The account's teams `ids`, in that order.
pub async fn find_many(
    conn: &mut PgConnection,
    account_id: Uuid,
    ids: &[Uuid],
) -> anyhow::Result<Vec<GroupRecord>> {
    let mut records = sqlx::query_as!(
        GroupRecord,
        r#"SELECT t.id, t.name, t.scim_external_id, t.created_at, t.updated_at, t.version,
                  coalesce(array_agg(u.id ORDER BY u.created_at, u.id) FILTER (WHERE u.id IS NOT NULL),
                           '{}') AS "members!"
           FROM teams t
           LEFT JOIN team_members m ON m.team_id = t.id
           LEFT JOIN users u ON u.id = m.user_id AND u.deleted_at IS NULL
           WHERE t.id = ANY($1) AND t.account_id = $2
           GROUP BY t.id"#,
        ids,
        account_id,
    )
    .fetch_all(conn)
    .await
    .context("reading teams for SCIM")?;
    records.sort_by_key(|record| ids.iter().position(|id| *id == record.id));
    Ok(records)
}

pub async fn find(
    conn: &mut PgConnection,
    account_id: Uuid,
    id: Uuid,
) -> anyhow::Result<Option<GroupRecord>> {
    Ok(find_many(conn, account_id, &[id]).await?.pop())
}

/// What a list of groups may be narrowed to.
#[derive(Clone, Debug, Default)]
pub struct GroupCriteria {
    pub display_name: Option<String>,
    pub external_id: Option<String>,
}

/// One page of the account's teams matching `criteria` (oldest first), and
/// how many match in all.
pub async fn list(
    state: &AppState,
    account_id: Uuid,
    criteria: &GroupCriteria,
    offset: i64,
    limit: i64,
) -> anyhow::Result<(Vec<GroupRecord>, i64)> {
    let mut conn = state
        .pool
        .acquire()
        .await
        .context("listing teams for SCIM")?;
    let page = sqlx::query!(
        r#"WITH matching AS (
               SELECT id, created_at FROM teams
               WHERE account_id = $1
                 AND ($2::text IS NULL OR lower(name) = lower($2))
                 AND ($3::text IS NULL OR scim_external_id = $3)
           )
           SELECT (SELECT count(*) FROM matching) AS "total!",
                  array(SELECT id FROM matching ORDER BY created_at, id LIMIT $4 OFFSET $5) AS "ids!""#,
        account_id,
        criteria.display_name,
        criteria.external_id,
        limit,
        offset,
    )
    .fetch_one(&mut *conn)
    .await
    .context("listing teams for SCIM")?;
    let records = find_many(&mut conn, account_id, &page.ids).await?;
    Ok((records, page.total))
}

/// Makes the team `input` describes.
pub async fn create(
    state: &AppState,
    caller: &ScimCaller,
    input: &GroupInput,
    request: &RequestInfo,
) -> Result<GroupRecord, ScimError> {
    let mut change = begin(state, caller, request).await?;
    let now = change.now;
    let created = sqlx::query_scalar!(
        "INSERT INTO teams (account_id, name, scim_external_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT (account_id, name) DO NOTHING RETURNING id",
        caller.account_id,
        input.name.as_str(),
        input.external_id,
        now,
    )
    .fetch_optional(change.conn())
    .await
    .context("creating a team for SCIM")?;
    let id = created.ok_or_else(taken)?;
    change
        .record(
            Action::TeamCreated,
            None,
            json!({ "team": id, "name": input.name.as_str(), "via": "scim" }),
        )
        .await?;
    set_members(
        &mut change,
        caller,
        id,
        input.name.as_str(),
        &[],
        &input.members,
    )
    .await?;
    let record = find(change.conn(), caller.account_id, id)
        .await?
        .context("reading a team just made")?;
    change.commit().await?;
    Ok(record)
}

/// Replaces team `id`'s name, externalId and members with what `input`
/// makes of the team as SCIM shows it now. The team's row stays locked
/// from the first read to the commit.
pub async fn replace(
    state: &AppState,
    caller: &ScimCaller,
    id: Uuid,
    precondition: &Precondition,
    request: &RequestInfo,
    input: impl FnOnce(&GroupRecord) -> Result<GroupInput, ScimError>,
) -> Result<GroupRecord, ScimError> {
    let mut change = begin(state, caller, request).await?;
    let now = change.now;
    let before = lock(change.conn(), caller.account_id, id).await?;
    precondition.check(&before.etag())?;
    let input = input(&before)?;
    let renamed = sqlx::query!(
        "UPDATE teams SET name = $2, scim_external_id = $3, updated_at = $4 WHERE id = $1",
        id,
        input.name.as_str(),
        input.external_id,
        now,
    )
    .execute(change.conn())
    .await;
    match renamed {
        Err(error)
            if error
                .as_database_error()
                .is_some_and(|e| e.is_unique_violation()) =>
        {
            return Err(taken())
        }
        other => {
            other.context("changing a team for SCIM")?;
        }
    }
    if input.name.as_str() != before.name {
        change
            .record(
                Action::TeamRenamed,
                None,
                json!({ "team": id, "old": before.name, "name": input.name.as_str(), "via": "scim" }),
            )
            .await?;
    }
    set_members(
        &mut change,
        caller,
        id,
        input.name.as_str(),
        &before.members,
        &input.members,
    )
    .await?;
    let record = find(change.conn(), caller.account_id, id)
        .await?
        .context("reading a team just changed")?;
    change.commit().await?;
    Ok(record)
}

/// Deletes team `id`: its members leave it; the users stay as they are.
pub async fn delete(
    state: &AppState,
    caller: &ScimCaller,
    id: Uuid,
    precondition: &Precondition,
    request: &RequestInfo,
) -> Result<(), ScimError> {
    let mut change = begin(state, caller, request).await?;
    let before = lock(change.conn(), caller.account_id, id).await?;
    precondition.check(&before.etag())?;
    sqlx::query!("DELETE FROM team_members WHERE team_id = $1", id)
        .execute(change.conn())
        .await
        .context("emptying a team")?;
    sqlx::query!("DELETE FROM teams WHERE id = $1", id)
        .execute(change.conn())
        .await
        .context("deleting a team")?;
    change
        .record(
            Action::TeamDeleted,
            None,
            json!({ "team": id, "name": before.name, "members": before.members.len(), "via": "scim" }),
        )
        .await?;
    change.commit().await?;
    Ok(())
}

/// A team change, on a plan with teams (the account row shared-locked, so
/// a plan change cannot slip in between).
async fn begin<'r>(
    state: &AppState,
    caller: &ScimCaller,
    request: &'r RequestInfo,
) -> Result<Change<'r>, ScimError> {
    let mut change = Change::begin(
        state,
        caller.account_id,
        Some(caller.actor.user_id),
        request,
        "a SCIM team change",
    )
    .await?;
    let plan = crate::users::store::plan_for_change(change.conn(), caller.account_id).await?;
    if !plan.allows_teams() {
        return Err(no_teams());
    }
    Ok(change)
}

/// Teams come with Plus and Pro.
pub fn no_teams() -> ScimError {
    ScimError {
        status: axum::http::StatusCode::FORBIDDEN,
        scim_type: None,
        detail: "Groups are Roster's teams, which come with the Plus and Pro plans.".into(),
        retry_after: None,
    }
}

async fn lock(
    conn: &mut PgConnection,
    account_id: Uuid,
    id: Uuid,
) -> Result<GroupRecord, ScimError> {
    sqlx::query_scalar!(
        "SELECT id FROM teams WHERE id = $1 AND account_id = $2 FOR NO KEY UPDATE",
        id,
        account_id
    )
    .fetch_optional(&mut *conn)
    .await
    .context("locking a team for SCIM")?
    .ok_or_else(|| not_found(id))?;
    find(conn, account_id, id)
        .await?
        .ok_or_else(|| not_found(id))
}

/// Makes the team's members `after` (they were `before`), auditing each
/// one who joins or leaves.
async fn set_members(
    change: &mut Change<'_>,
    caller: &ScimCaller,
    team_id: Uuid,
    team_name: &str,
    before: &[Uuid],
    after: &[Uuid],
) -> Result<(), ScimError> {
    let joining: Vec<Uuid> = after
        .iter()
        .filter(|id| !before.contains(id))
        .copied()
        .collect();
    let leaving: Vec<Uuid> = before
        .iter()
        .filter(|id| !after.contains(id))
        .copied()
        .collect();
    if !joining.is_empty() {
        let found = sqlx::query!(
            r#"SELECT id, role AS "role: Role" FROM users
               WHERE id = ANY($1) AND account_id = $2 AND deleted_at IS NULL"#,
            &joining,
            caller.account_id
        )
        .fetch_all(change.conn())
        .await
        .context("finding team members")?;
        if found.len() != joining.len() {
            return Err(ScimError::bad(
                ScimType::InvalidValue,
                "Each member's value is the id of a user of this account.",
            ));
        }
        if found.iter().any(|user| user.role == Role::LightUser) {
            return Err(ScimError::bad(
                ScimType::InvalidValue,
                "Light Users can't be on teams.",
            ));
        }
        sqlx::query!(
            "INSERT INTO team_members (team_id, user_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING",
            team_id,
            &joining
        )
        .execute(change.conn())
        .await
        .context("adding team members")?;
    }
    if !leaving.is_empty() {
        sqlx::query!(
            "DELETE FROM team_members WHERE team_id = $1 AND user_id = ANY($2)",
            team_id,
            &leaving
        )
        .execute(change.conn())
        .await
        .context("removing team members")?;
    }
    let details = json!({ "team": team_id, "name": team_name, "via": "scim" });
    for user in joining {
        change
            .record(Action::TeamMemberAdded, Some(user), details.clone())
            .await?;
    }
    for user in leaving {
        change
            .record(Action::TeamMemberRemoved, Some(user), details.clone())
            .await?;
    }
    Ok(())
}

fn taken() -> ScimError {
    ScimError::conflict(
        ScimType::Uniqueness,
        "There is already a team with this name.",
    )
}
