//! Who may open whose profile, reading one, and locking one for a save:
//! what every section's store starts with. Each section's saves live in its
//! own folder, every one with a version check and an audit event.

use anyhow::Context as _;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{role::store::assignable_roles, ProfileError, ProfileView};
use crate::{
    change::Change,
    domain::{Feature, NotificationSettings, Role, TimeFormat},
    request::RequestInfo,
    session::Viewer,
    state::AppState,
};

/// A user's row, as the profile reads it.
pub(super) struct Row {
    pub id: Uuid,
    pub photo: Option<String>,
    pub alternate_emails: Vec<String>,
    pub auto_bcc: String,
    pub notifications: Option<Vec<String>>,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub job_title: String,
    pub phone: String,
    pub pronouns: String,
    pub timezone: String,
    pub time_format: TimeFormat,
    pub has_password: bool,
    /// An invite email was sent at some time (so the next is a resend).
    pub invited: bool,
    /// Their invite link is open (neither accepted nor ended).
    pub open_invite: bool,
    pub open_conversations: i64,
    pub deactivated: bool,
    pub version: i64,
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
        sqlx::query!("SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE", id)
            .fetch_optional(&mut *conn)
            .await
            .context("locking a profile")?;
    }
    let row = sqlx::query_as!(
        Row,
        r#"SELECT id, (SELECT etag FROM user_photos p WHERE p.user_id = users.id) AS photo, alternate_emails, auto_bcc, notifications, name, email, role AS "role: Role", job_title, phone, pronouns, timezone, time_format AS "time_format: TimeFormat",
                  (password_hash IS NOT NULL) AS "has_password!",
                  EXISTS (SELECT 1 FROM invitations i WHERE i.user_id = users.id) AS "invited!",
                  EXISTS (SELECT 1 FROM invitations i WHERE i.user_id = users.id
                          AND i.accepted_at IS NULL AND i.revoked_at IS NULL) AS "open_invite!",
                  (SELECT count(*) FROM conversations c WHERE c.assignee_id = users.id
                   AND c.status <> 'closed') AS "open_conversations!",
                  (deactivated_at IS NOT NULL) AS "deactivated!", version
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
    let plan = crate::users::store::plan(&state.pool, viewer.account_id).await?;
    let invite_delivery = if row.open_invite && !row.has_password {
        crate::invitations::store::delivery(&mut conn, row.id, &viewer.local_time()).await?
    } else {
        None
    };
    Ok(ProfileView {
        assignable_roles: assignable_roles(viewer, row.id, role, plan),
        auto_bcc: row.auto_bcc,
        alternate_emails: row.alternate_emails,
        photo: row.photo,
        two_factor_enabled: crate::two_factor::store::is_enabled(state, row.id).await?,
        notifications: NotificationSettings::from_stored(row.notifications),
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
        invited: row.invited,
        open_invite: row.open_invite,
        invite_delivery,
        open_conversations: row.open_conversations,
        deactivated: row.deactivated,
        version: row.version,
        plan,
    })
}

/// Begins `what`, a save of the target's profile by the viewer: the change,
/// and the target's row, locked and checked against `version`.
pub(super) async fn begin_save<'r>(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    version: i64,
    request: &'r RequestInfo,
    what: &'static str,
) -> Result<(Change<'r>, Row), ProfileError> {
    begin_gated_save(state, viewer, target, version, request, what, None).await
}

/// [`begin_gated_save`] for a section only the Owner and Administrators
/// change (whose inboxes, teams and permissions someone has).
pub(super) async fn begin_admin_save<'r>(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    version: i64,
    request: &'r RequestInfo,
    what: &'static str,
    feature: Option<Feature>,
) -> Result<(Change<'r>, Row), ProfileError> {
    if !viewer.role.manages_users() {
        return Err(ProfileError::Forbidden);
    }
    begin_gated_save(state, viewer, target, version, request, what, feature).await
}

/// [`begin_save`] for a section that needs a plan with `feature`: refused
/// on any other before the target is locked.
pub(super) async fn begin_gated_save<'r>(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    version: i64,
    request: &'r RequestInfo,
    what: &'static str,
    feature: Option<Feature>,
) -> Result<(Change<'r>, Row), ProfileError> {
    let mut change = begin(state, viewer, request, what).await?;
    if let Some(feature) = feature {
        crate::users::store::plan_for_change(change.conn(), viewer.account_id)
            .await?
            .require(feature)?;
    }
    let row = lock_for_save(change.conn(), viewer, target, version).await?;
    Ok((change, row))
}

/// Begins `what`, a change to the target by the viewer without a version
/// check: the change, and the target's id, its row locked.
pub async fn begin_change<'r>(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    request: &'r RequestInfo,
    what: &'static str,
) -> Result<(Change<'r>, Uuid), ProfileError> {
    let mut change = begin(state, viewer, request, what).await?;
    let id = open(change.conn(), viewer, target, true).await?;
    Ok((change, id))
}

/// Begins `what`, made by the viewer in their account.
async fn begin<'r>(
    state: &AppState,
    viewer: &Viewer,
    request: &'r RequestInfo,
    what: &'static str,
) -> anyhow::Result<Change<'r>> {
    Change::begin(
        state,
        viewer.account_id,
        Some(viewer.user_id),
        request,
        what,
    )
    .await
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
