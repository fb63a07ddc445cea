//! Profiles against PostgreSQL: who may open whose and reading one here;
//! each section's saves in a module of its own, every save with a version
//! check and an audit event.

mod auto_bcc;
mod feature_permissions;
mod inbox_access;
mod notifications;
mod photo;
mod profile_fields;
mod role;
mod sessions;
mod teams;

pub use auto_bcc::*;
pub use feature_permissions::*;
pub use inbox_access::*;
pub use notifications::*;
pub use photo::*;
pub use profile_fields::*;
pub use role::*;
pub use sessions::*;
pub use teams::*;

use anyhow::Context as _;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{ProfileError, ProfileView};
use crate::users::InboxChoice;
use crate::{
    domain::{NotificationSettings, Role, TimeFormat},
    session::Viewer,
    state::AppState,
};

/// Every IANA time zone name, for the Profile section's list and its check.
pub fn timezones() -> Vec<String> {
    chrono_tz::TZ_VARIANTS
        .iter()
        .map(|zone| zone.name().to_owned())
        .collect()
}

pub(super) struct Row {
    id: Uuid,
    photo: Option<String>,
    alternate_emails: Vec<String>,
    auto_bcc: String,
    notifications: Option<Vec<String>>,
    name: String,
    email: String,
    role: Role,
    job_title: String,
    phone: String,
    pronouns: String,
    timezone: String,
    time_format: TimeFormat,
    has_password: bool,
    version: i64,
}

/// The profile `target` names (`None`: the viewer's own), if the viewer may
/// open it: their own always; another's when they manage users, in the same
/// account, and it is not the Owner's unless they are the Owner.
pub(super) async fn find(
    conn: &mut PgConnection,
    viewer: &Viewer,
    target: Option<Uuid>,
    lock: bool,
) -> Result<Row, ProfileError> {
    let id = target.unwrap_or(viewer.user_id);
    if id != viewer.user_id && !viewer.role.manages_users() {
        return Err(ProfileError::Forbidden);
    }
    if lock {
        sqlx::query!("SELECT id FROM users WHERE id = $1 FOR UPDATE", id)
            .fetch_optional(&mut *conn)
            .await
            .context("locking a profile")?;
    }
    let row = sqlx::query_as!(
        Row,
        r#"SELECT id, (SELECT etag FROM user_photos p WHERE p.user_id = users.id) AS photo, alternate_emails, auto_bcc, notifications, name, email, role AS "role: Role", job_title, phone, pronouns, timezone, time_format AS "time_format: TimeFormat",
                  (password_hash IS NOT NULL) AS "has_password!", version
           FROM users WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL"#,
        id,
        viewer.account_id
    )
    .fetch_optional(&mut *conn)
    .await
    .context("reading a profile")?
    .ok_or(ProfileError::NotFound)?;
    if row.role == Role::Owner && id != viewer.user_id && viewer.role != Role::Owner {
        return Err(ProfileError::Forbidden);
    }
    Ok(row)
}

/// The id of the user whose profile `target` names (`None`: the viewer's
/// own), if the viewer may open it; with `lock`, the user's row is locked
/// until the transaction ends.
pub async fn open(
    conn: &mut PgConnection,
    viewer: &Viewer,
    target: Option<Uuid>,
    lock: bool,
) -> Result<Uuid, ProfileError> {
    find(conn, viewer, target, lock).await.map(|row| row.id)
}

pub async fn load(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
) -> Result<ProfileView, ProfileError> {
    let mut conn = state.pool.acquire().await.context("opening a profile")?;
    let row = find(&mut conn, viewer, target, false).await?;
    let role = row.role;
    let inboxes = sqlx::query_as!(
        InboxChoice,
        "SELECT id, name, email FROM inboxes WHERE account_id = $1 ORDER BY lower(name), id",
        viewer.account_id
    )
    .fetch_all(&mut *conn)
    .await
    .context("listing inboxes")?;
    let inbox_ids = sqlx::query_scalar!(
        "SELECT inbox_id FROM user_inboxes WHERE user_id = $1",
        row.id
    )
    .fetch_all(&mut *conn)
    .await
    .context("reading inbox access")?;
    let plan = crate::users::store::plan(&state.pool, viewer.account_id).await?;
    Ok(ProfileView {
        assignable_roles: assignable_roles(viewer, row.id, role, plan),
        auto_bcc: row.auto_bcc,
        alternate_emails: row.alternate_emails,
        photo: row.photo,
        two_factor_enabled: crate::two_factor::store::is_enabled(state, row.id).await?,
        notifications: NotificationSettings::from_stored(row.notifications),
        inboxes,
        inbox_ids,
        user_id: row.id,
        is_self: row.id == viewer.user_id,
        name: row.name,
        email: row.email,
        role,
        job_title: row.job_title,
        phone: row.phone,
        pronouns: row.pronouns,
        timezone: row.timezone,
        time_format: row.time_format,
        has_password: row.has_password,
        version: row.version,
        timezones: timezones(),
        plan,
    })
}

/// Locks the target's row for a save and checks nobody saved since `version`.
pub(super) async fn lock_for_save(
    conn: &mut PgConnection,
    viewer: &Viewer,
    target: Option<Uuid>,
    version: i64,
) -> Result<Row, ProfileError> {
    let row = find(conn, viewer, target, true).await?;
    if row.version != version {
        return Err(ProfileError::Stale);
    }
    sqlx::query!(
        "UPDATE users SET version = version + 1 WHERE id = $1",
        row.id
    )
    .execute(&mut *conn)
    .await
    .context("bumping a profile's version")?;
    Ok(row)
}
