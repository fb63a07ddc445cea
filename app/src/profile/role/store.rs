//! The Role section: who may give which role, and changing one (handing over
//! ownership among them).

use anyhow::Context as _;
use uuid::Uuid;

use crate::profile::access::begin_save;
use crate::profile::ProfileError;
use crate::{
    audit::Action,
    domain::{Plan, Role},
    request::RequestInfo,
    session::Viewer,
    state::AppState,
};

/// The roles the viewer may give `target_role` (empty: the role is not
/// theirs to change).
pub fn assignable_roles(
    viewer: &Viewer,
    target_id: Uuid,
    target_role: Role,
    plan: Plan,
) -> Vec<Role> {
    if target_id == viewer.user_id || !viewer.role.manages_users() || target_role == Role::Owner {
        return Vec::new();
    }
    let mut roles = Vec::new();
    if viewer.role == Role::Owner {
        roles.push(Role::Owner);
    }
    roles.extend([Role::Administrator, Role::User]);
    if plan.allows_light_users() || target_role == Role::LightUser {
        roles.push(Role::LightUser);
    }
    roles
}

pub async fn save_role(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    role: Role,
    // `Some` once the box is ticked, with what was typed as the password.
    confirmed: Option<&str>,
    version: i64,
    request: &RequestInfo,
) -> Result<Uuid, ProfileError> {
    if !viewer.role.manages_users() {
        return Err(ProfileError::Forbidden);
    }
    let invalid = |field: &str, message: &str| {
        ProfileError::Invalid(crate::domain::FieldErrors::single(field, message))
    };
    // Handing over ownership needs the Owner's password (or code), checked
    // before the change's transaction, which it must not hold a connection for.
    if let (Role::Owner, Role::Owner, Some(password)) = (role, viewer.role, confirmed) {
        crate::two_factor::confirmation::confirm_identity(state, viewer, password, request)
            .await?
            .or_message()
            .map_err(|message| invalid("password", message))?;
    }
    let plan = crate::users::store::plan(&state.pool, viewer.account_id).await?;
    let (mut change, before) =
        begin_save(state, viewer, target, version, request, "a role change").await?;
    let now = change.now;
    let old = before.role;
    if !assignable_roles(viewer, before.id, old, plan).contains(&role) {
        return Err(if role == Role::LightUser && !plan.allows_light_users() {
            invalid(
                "role",
                "Light Users are available on the Plus and Pro plans.",
            )
        } else {
            ProfileError::Forbidden
        });
    }
    if role == old {
        change
            .commit()
            .await
            .context("committing an unchanged role")?;
        return Ok(before.id);
    }
    if role == Role::Owner {
        if confirmed.is_none() {
            return Err(invalid(
                "confirm",
                "Confirm that you are handing over ownership: you will become an Administrator.",
            ));
        }
        // One live Owner at a time: step down first, then promote.
        sqlx::query!(
            "UPDATE users SET role = 'administrator', version = version + 1, updated_at = $2 WHERE id = $1",
            viewer.user_id,
            now
        )
        .execute(change.conn())
        .await
        .context("stepping down as Owner")?;
    }
    // A Light User is on no team and is assigned no open conversation.
    let mut unassigned = 0;
    if role == Role::LightUser {
        unassigned = open_conversations(change.conn(), before.id).await?;
        if confirmed.is_none() {
            return Err(invalid(
                "confirm",
                &format!(
                    "Confirm that {}.",
                    super::light_user_consequence(unassigned)
                ),
            ));
        }
        sqlx::query!("DELETE FROM team_members WHERE user_id = $1", before.id)
            .execute(change.conn())
            .await
            .context("removing a Light User from teams")?;
        if unassigned > 0 {
            // The deletion job's way, durable and in batches (see `deletion_jobs`).
            sqlx::query!(
                "INSERT INTO user_deletions (account_id, user_id, actor_id, reason, conversations_total, created_at, kind)
                 VALUES ($1, $2, $3, 'Became a Light User', $4, $5, 'light_user')",
                viewer.account_id,
                before.id,
                viewer.user_id,
                unassigned,
                now
            )
            .execute(change.conn())
            .await
            .context("queueing the unassign job")?;
        }
    }
    sqlx::query!(
        "UPDATE users SET role = $2, updated_at = $3 WHERE id = $1",
        before.id,
        role.as_str(),
        now
    )
    .execute(change.conn())
    .await
    .context("changing a role")?;
    change
        .record(
            if role == Role::Owner {
                Action::OwnershipTransferred
            } else {
                Action::RoleChanged
            },
            Some(before.id),
            serde_json::json!({ "old": old.as_str(), "new": role.as_str(), "unassigned": unassigned }),
        )
        .await?;
    change.commit().await?;
    Ok(before.id)
}

/// The user's conversations that are not closed.
async fn open_conversations(conn: &mut sqlx::PgConnection, user_id: Uuid) -> anyhow::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM conversations WHERE assignee_id = $1 AND status <> 'closed'"#,
        user_id
    )
    .fetch_one(conn)
    .await
    .context("counting open conversations")
}
