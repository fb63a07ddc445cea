//! The Teams section (Plus and Pro).

use anyhow::Context as _;
use uuid::Uuid;

use crate::profile::access::{begin_admin_save, open};
use crate::profile::ProfileError;
use crate::{
    audit::Action,
    domain::{Feature, Role},
    request::RequestInfo,
    session::Viewer,
    state::AppState,
};

/// Every team of the account, and those the user is on.
pub async fn teams_of(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
) -> Result<crate::profile::UserTeams, ProfileError> {
    let mut conn = state.pool.acquire().await.context("opening teams")?;
    let user_id = open(&mut conn, viewer, target, false).await?;
    let rows = sqlx::query!(
        r#"SELECT t.id, t.name, (m.user_id IS NOT NULL) AS "member!"
           FROM teams t LEFT JOIN team_members m ON m.team_id = t.id AND m.user_id = $2
           WHERE t.account_id = $1 ORDER BY lower(t.name), t.id"#,
        viewer.account_id,
        user_id
    )
    .fetch_all(&mut *conn)
    .await
    .context("listing teams")?;
    Ok(crate::profile::UserTeams {
        member_of: rows.iter().filter(|r| r.member).map(|r| r.id).collect(),
        teams: rows.into_iter().map(|r| (r.id, r.name)).collect(),
    })
}

/// Puts a user on exactly `teams` (Plus and Pro; never a Light User). Only
/// the Owner and Administrators set it.
pub async fn save_teams(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    teams: &[Uuid],
    version: i64,
    request: &RequestInfo,
) -> Result<Uuid, ProfileError> {
    let (mut change, before) = begin_admin_save(
        state,
        viewer,
        target,
        version,
        request,
        "a teams save",
        Some(Feature::Teams),
    )
    .await?;
    let invalid =
        |message: &str| ProfileError::Invalid(crate::domain::FieldErrors::single("teams", message));
    if before.role == Role::LightUser && !teams.is_empty() {
        return Err(invalid("Light Users can't be on teams."));
    }
    let known = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM teams WHERE account_id = $1 AND id = ANY($2)"#,
        viewer.account_id,
        teams
    )
    .fetch_one(change.conn())
    .await
    .context("checking teams")?;
    if known != teams.len() as i64 {
        return Err(invalid("Choose teams from the list."));
    }
    let old = sqlx::query_scalar!(
        "DELETE FROM team_members WHERE user_id = $1 RETURNING team_id",
        before.id
    )
    .fetch_all(change.conn())
    .await
    .context("clearing teams")?;
    sqlx::query!(
        "INSERT INTO team_members (team_id, user_id) SELECT unnest($2::uuid[]), $1",
        before.id,
        teams
    )
    .execute(change.conn())
    .await
    .context("joining teams")?;
    change
        .record(
            Action::TeamsChanged,
            Some(before.id),
            serde_json::json!({ "old": old, "new": teams }),
        )
        .await?;
    change.commit().await?;
    Ok(before.id)
}
