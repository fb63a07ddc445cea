//! Teams against PostgreSQL: Owner and Administrators only, Plus and Pro
//! only, each change audited in its transaction.

use anyhow::Context as _;
use uuid::Uuid;

use super::{TeamMember, TeamView, TeamsError, TeamsOverview};
use crate::{
    audit::Action,
    change::Change,
    domain::{Email, Feature, FieldErrors, Role, TeamName},
    request::RequestInfo,
    session::Viewer,
    state::AppState,
};

pub async fn overview(state: &AppState, viewer: &Viewer) -> Result<TeamsOverview, TeamsError> {
    let plan = crate::users::store::plan(&state.pool, viewer.account_id).await?;
    let rows = sqlx::query!(
        r#"SELECT t.id, t.name, u.id AS "member_id?", u.name AS "member_name?", u.email AS "member_email?"
           FROM teams t
           LEFT JOIN team_members m ON m.team_id = t.id
           LEFT JOIN users u ON u.id = m.user_id AND u.deleted_at IS NULL
           WHERE t.account_id = $1
           ORDER BY lower(t.name), t.id, lower(u.name), u.id"#,
        viewer.account_id
    )
    .fetch_all(&state.pool)
    .await
    .context("listing teams")?;
    let mut teams: Vec<TeamView> = Vec::new();
    for row in rows {
        if teams.last().is_none_or(|team| team.id != row.id) {
            teams.push(TeamView {
                id: row.id,
                name: row.name,
                members: Vec::new(),
            });
        }
        if let (Some(id), Some(name), Some(email), Some(team)) = (
            row.member_id,
            row.member_name,
            row.member_email,
            teams.last_mut(),
        ) {
            team.members.push(TeamMember { id, name, email });
        }
    }
    Ok(TeamsOverview { plan, teams })
}

pub async fn create(
    state: &AppState,
    viewer: &Viewer,
    name: &TeamName,
    request: &RequestInfo,
) -> Result<(), TeamsError> {
    let mut change = begin(state, viewer, request).await?;
    let created = sqlx::query_scalar!(
        "INSERT INTO teams (account_id, name) VALUES ($1, $2)
         ON CONFLICT (account_id, name) DO NOTHING RETURNING id",
        viewer.account_id,
        name.as_str()
    )
    .fetch_optional(change.conn())
    .await
    .context("creating a team")?;
    let Some(team_id) = created else {
        return Err(TeamsError::Duplicate(FieldErrors::single(
            "name",
            "There is already a team with this name.",
        )));
    };
    finish(
        change,
        None,
        Action::TeamCreated,
        serde_json::json!({ "team": team_id, "name": name.as_str() }),
    )
    .await
}

/// Puts the live user with `email` on the team. Light Users never join one.
pub async fn add_member(
    state: &AppState,
    viewer: &Viewer,
    team_id: Uuid,
    email: &Email,
    request: &RequestInfo,
) -> Result<(), TeamsError> {
    let mut change = begin(state, viewer, request).await?;
    let team = team_name(change.conn(), viewer, team_id).await?;
    let user = sqlx::query!(
        r#"SELECT id, role AS "role: Role" FROM users
           WHERE account_id = $1 AND lower(email) = lower($2) AND deleted_at IS NULL"#,
        viewer.account_id,
        email.as_str()
    )
    .fetch_optional(change.conn())
    .await
    .context("finding a team member")?
    .ok_or_else(|| {
        TeamsError::Invalid(FieldErrors::single(
            "email",
            "No user in this account has that email address.",
        ))
    })?;
    if user.role == Role::LightUser {
        return Err(TeamsError::Invalid(FieldErrors::single(
            "email",
            "Light Users can't be on teams.",
        )));
    }
    sqlx::query!(
        "INSERT INTO team_members (team_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        team_id,
        user.id
    )
    .execute(change.conn())
    .await
    .context("adding a team member")?;
    finish(
        change,
        Some(user.id),
        Action::TeamMemberAdded,
        serde_json::json!({ "team": team_id, "name": team }),
    )
    .await
}

pub async fn remove_member(
    state: &AppState,
    viewer: &Viewer,
    team_id: Uuid,
    user_id: Uuid,
    request: &RequestInfo,
) -> Result<(), TeamsError> {
    let mut change = begin(state, viewer, request).await?;
    let team = team_name(change.conn(), viewer, team_id).await?;
    let removed = sqlx::query!(
        "DELETE FROM team_members WHERE team_id = $1 AND user_id = $2",
        team_id,
        user_id
    )
    .execute(change.conn())
    .await
    .context("removing a team member")?;
    if removed.rows_affected() == 0 {
        return Err(TeamsError::NotFound);
    }
    finish(
        change,
        Some(user_id),
        Action::TeamMemberRemoved,
        serde_json::json!({ "team": team_id, "name": team }),
    )
    .await
}

/// Starts a team change: the viewer manages users and the plan has teams.
/// The account row is locked, so a plan change cannot slip in between.
async fn begin<'r>(
    state: &AppState,
    viewer: &Viewer,
    request: &'r RequestInfo,
) -> Result<Change<'r>, TeamsError> {
    if !viewer.role.manages_users() {
        return Err(TeamsError::Forbidden);
    }
    let mut change = Change::begin(
        state,
        viewer.account_id,
        Some(viewer.user_id),
        request,
        "a team change",
    )
    .await?;
    crate::users::store::plan_for_change(change.conn(), viewer.account_id)
        .await?
        .require(Feature::Teams)?;
    Ok(change)
}

async fn team_name(
    tx: &mut sqlx::PgConnection,
    viewer: &Viewer,
    team_id: Uuid,
) -> Result<String, TeamsError> {
    sqlx::query_scalar!(
        "SELECT name FROM teams WHERE id = $1 AND account_id = $2",
        team_id,
        viewer.account_id
    )
    .fetch_optional(tx)
    .await
    .context("finding a team")?
    .ok_or(TeamsError::NotFound)
}

async fn finish(
    mut change: Change<'_>,
    target: Option<Uuid>,
    action: Action,
    details: serde_json::Value,
) -> Result<(), TeamsError> {
    change.record(action, target, details).await?;
    change.commit().await?;
    Ok(())
}
