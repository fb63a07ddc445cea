//! The Feature Permissions section (Plus and Pro).

use anyhow::Context as _;
use uuid::Uuid;

use crate::profile::access::{begin_admin_save, open};
use crate::profile::ProfileError;
use crate::{
    audit::Action,
    domain::{Feature, Plan, Role},
    request::RequestInfo,
    session::Viewer,
    state::AppState,
};

/// A user's feature permissions: custom or following the role's defaults.
pub async fn feature_permissions(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
) -> Result<crate::profile::FeaturePermissionsView, ProfileError> {
    let mut conn = state.pool.acquire().await.context("opening permissions")?;
    let user_id = open(&mut conn, viewer, target, false).await?;
    let row = sqlx::query!(
        r#"SELECT u.role AS "role: Role", u.custom_permissions, a.plan AS "plan: Plan" FROM users u JOIN accounts a ON a.id = u.account_id
           WHERE u.id = $1"#,
        user_id
    )
    .fetch_one(&mut *conn)
    .await
    .context("reading permissions")?;
    let role = row.role;
    let account_defaults =
        crate::company::store::account_defaults(&mut conn, viewer.account_id, role).await?;
    let custom = row
        .custom_permissions
        .map(|raw| crate::domain::Permission::from_stored_set(&raw));
    let role_defaults = account_defaults
        .clone()
        .unwrap_or_else(|| crate::domain::built_in_defaults(role));
    Ok(crate::profile::FeaturePermissionsView {
        explained: crate::domain::explain_permissions(
            role,
            row.plan,
            account_defaults.clone(),
            custom.clone(),
        ),
        effective: crate::domain::effective_permissions(
            role,
            row.plan,
            account_defaults,
            custom.clone(),
        ),
        custom,
        role_defaults,
    })
}

/// Sets a user's custom permissions (`None`: back to the role's defaults).
/// Plus and Pro; an admin for someone else, never the Owner.
pub async fn save_feature_permissions(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    custom: Option<Vec<crate::domain::Permission>>,
    version: i64,
    request: &RequestInfo,
) -> Result<Uuid, ProfileError> {
    use crate::domain::Permission;

    let (mut change, before) = begin_admin_save(
        state,
        viewer,
        target,
        version,
        request,
        "a permissions save",
        Some(Feature::FeaturePermissions),
    )
    .await?;
    let now = change.now;
    if before.id == viewer.user_id {
        return Err(ProfileError::Forbidden);
    }
    if before.role == Role::Owner {
        return Err(ProfileError::Invalid(crate::domain::FieldErrors::single(
            "mode",
            "The Account Owner always has every permission.",
        )));
    }
    let stored = custom.as_deref().map(Permission::stored_set);
    let old = sqlx::query_scalar!(
        "SELECT custom_permissions FROM users WHERE id = $1",
        before.id
    )
    .fetch_one(change.conn())
    .await
    .context("reading permissions")?;
    sqlx::query!(
        "UPDATE users SET custom_permissions = $2, updated_at = $3 WHERE id = $1",
        before.id,
        stored.as_deref(),
        now
    )
    .execute(change.conn())
    .await
    .context("saving permissions")?;
    change
        .record(
            Action::PermissionsChanged,
            Some(before.id),
            serde_json::json!({ "old": old, "new": stored }),
        )
        .await?;
    change.commit().await?;
    Ok(before.id)
}
