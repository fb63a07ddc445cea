use anyhow::Context as _;
use uuid::Uuid;

use super::{CompanyError, CompanySettings, RoleDefaults, CONFIGURABLE_ROLES};
use crate::domain::{built_in_defaults, Feature, Permission, Plan, Role};
use crate::domain::{InviteValidity, TwoFactorRoles};
use crate::{
    audit::Action, change::Change, request::RequestInfo, session::Viewer, state::AppState,
};

pub async fn settings(state: &AppState, account_id: Uuid) -> anyhow::Result<CompanySettings> {
    let row = sqlx::query!(
        r#"SELECT name, invite_validity_days, plan AS "plan: Plan", two_factor_required_roles
           FROM accounts WHERE id = $1"#,
        account_id
    )
    .fetch_one(&state.pool)
    .await
    .context("reading company settings")?;
    Ok(CompanySettings {
        name: row.name,
        invite_validity_days: row.invite_validity_days,
        plan: row.plan,
        can_change_plan: false,
        two_factor_roles: TwoFactorRoles::from_stored(&row.two_factor_required_roles),
    })
}

/// Company > Security: the roles that must use two-factor authentication.
/// Their sessions without it open only the set-up from their next request.
pub async fn set_two_factor_roles(
    state: &AppState,
    viewer: &Viewer,
    roles: &TwoFactorRoles,
    request: &RequestInfo,
) -> anyhow::Result<()> {
    let mut change = Change::begin(
        state,
        viewer.account_id,
        Some(viewer.user_id),
        request,
        "a two-factor requirement change",
    )
    .await?;
    let old = sqlx::query_scalar!(
        "SELECT two_factor_required_roles FROM accounts WHERE id = $1 FOR NO KEY UPDATE",
        viewer.account_id
    )
    .fetch_one(change.conn())
    .await
    .context("reading the two-factor requirement")?;
    let old = TwoFactorRoles::from_stored(&old);
    if old == *roles {
        return Ok(());
    }
    sqlx::query!(
        "UPDATE accounts SET two_factor_required_roles = $2 WHERE id = $1",
        viewer.account_id,
        &roles.as_stored()
    )
    .execute(change.conn())
    .await
    .context("changing the two-factor requirement")?;
    change
        .record(
            Action::TwoFactorRequirementChanged,
            None,
            serde_json::json!({ "old": old.as_stored(), "new": roles.as_stored() }),
        )
        .await?;
    change.commit().await?;
    Ok(())
}

pub async fn set_invite_validity(
    state: &AppState,
    viewer: &Viewer,
    validity: InviteValidity,
    request: &RequestInfo,
) -> anyhow::Result<()> {
    let mut change = Change::begin(
        state,
        viewer.account_id,
        Some(viewer.user_id),
        request,
        "an invite validity change",
    )
    .await?;
    let old = sqlx::query_scalar!(
        "SELECT invite_validity_days FROM accounts WHERE id = $1 FOR NO KEY UPDATE",
        viewer.account_id
    )
    .fetch_one(change.conn())
    .await
    .context("reading invite validity")?;
    sqlx::query!(
        "UPDATE accounts SET invite_validity_days = $2 WHERE id = $1",
        viewer.account_id,
        validity.days()
    )
    .execute(change.conn())
    .await
    .context("changing invite validity")?;
    change
        .record(
            Action::InviteValidityChanged,
            None,
            serde_json::json!({ "old": old, "new": validity.days() }),
        )
        .await?;
    change.commit().await?;
    Ok(())
}

/// The Owner changes the plan. Light Users exist only on Plus and Pro, so a
/// move to Standard waits until none is left.
pub async fn set_plan(
    state: &AppState,
    viewer: &Viewer,
    plan: Plan,
    request: &RequestInfo,
) -> Result<(), CompanyError> {
    let mut change = Change::begin(
        state,
        viewer.account_id,
        Some(viewer.user_id),
        request,
        "a plan change",
    )
    .await?;
    let old = sqlx::query_scalar!(
        "SELECT plan FROM accounts WHERE id = $1 FOR NO KEY UPDATE",
        viewer.account_id
    )
    .fetch_one(change.conn())
    .await
    .context("reading the plan")?;
    if !plan.allows_light_users() {
        let light_users = sqlx::query_scalar!(
            r#"SELECT count(*) AS "count!" FROM users
               WHERE account_id = $1 AND role = 'light_user' AND deleted_at IS NULL"#,
            viewer.account_id
        )
        .fetch_one(change.conn())
        .await
        .context("counting Light Users")?;
        if light_users > 0 {
            return Err(CompanyError::Conflict {
                message: format!(
                    "{} has Light Users ({light_users}), who need Plus or Pro. Give them another role first.",
                    plan.label()
                ),
            });
        }
    }
    sqlx::query!(
        "UPDATE accounts SET plan = $2 WHERE id = $1",
        viewer.account_id,
        plan.as_str()
    )
    .execute(change.conn())
    .await
    .context("changing the plan")?;
    change
        .record(
            Action::PlanChanged,
            None,
            serde_json::json!({ "old": old, "new": plan.as_str() }),
        )
        .await?;
    change.commit().await?;
    Ok(())
}

/// The account's defaults for one role, if it set its own.
pub async fn account_defaults(
    conn: &mut sqlx::PgConnection,
    account_id: Uuid,
    role: Role,
) -> anyhow::Result<Option<Vec<Permission>>> {
    let stored = sqlx::query_scalar!(
        "SELECT permissions FROM role_permissions WHERE account_id = $1 AND role = $2",
        account_id,
        role.as_str()
    )
    .fetch_optional(conn)
    .await
    .context("reading a role's permissions")?;
    Ok(stored.map(|raw| Permission::from_stored_set(&raw)))
}

pub async fn role_defaults(
    state: &AppState,
    account_id: Uuid,
) -> Result<RoleDefaults, CompanyError> {
    let plan = crate::users::store::plan(&state.pool, account_id).await?;
    let mut conn = state.pool.acquire().await.context("opening permissions")?;
    let mut roles = Vec::new();
    for role in CONFIGURABLE_ROLES {
        let granted = account_defaults(&mut conn, account_id, role)
            .await?
            .unwrap_or_else(|| built_in_defaults(role));
        roles.push((role, granted));
    }
    Ok(RoleDefaults { plan, roles })
}

pub async fn set_role_defaults(
    state: &AppState,
    viewer: &Viewer,
    role: Role,
    permissions: &[Permission],
    request: &RequestInfo,
) -> Result<(), CompanyError> {
    let mut change = Change::begin(
        state,
        viewer.account_id,
        Some(viewer.user_id),
        request,
        "a permissions change",
    )
    .await?;
    let now = change.now;
    crate::users::store::plan_for_change(change.conn(), viewer.account_id)
        .await?
        .require(Feature::FeaturePermissions)?;
    let old = account_defaults(change.conn(), viewer.account_id, role)
        .await?
        .unwrap_or_else(|| built_in_defaults(role));
    sqlx::query!(
        "INSERT INTO role_permissions (account_id, role, permissions, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (account_id, role) DO UPDATE SET permissions = $3, updated_at = $4",
        viewer.account_id,
        role.as_str(),
        &Permission::stored_set(permissions),
        now
    )
    .execute(change.conn())
    .await
    .context("saving a role's permissions")?;
    change
        .record(
            Action::RolePermissionsChanged,
            None,
            serde_json::json!({
                "role": role.as_str(),
                "old": Permission::stored_set(&old),
                "new": Permission::stored_set(permissions),
            }),
        )
        .await?;
    change.commit().await?;
    Ok(())
}
