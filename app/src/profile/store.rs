//! Profiles against PostgreSQL: who may open whose, reading one, saving the
//! Profile section with a version check and an audit event per save.

use anyhow::Context as _;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{ProfileError, ProfileUpdate, ProfileView};
use crate::users::InboxChoice;
use crate::{
    audit::{self, Action, AuditEvent},
    domain::{Feature, NotificationSettings, Plan, Role, TimeFormat},
    request::RequestInfo,
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

struct Row {
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
    time_format: String,
    has_password: bool,
    version: i64,
}

/// The profile `target` names (`None`: the viewer's own), if the viewer may
/// open it: their own always; another's when they manage users, in the same
/// account, and it is not the Owner's unless they are the Owner.
async fn find(
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
        r#"SELECT id, (SELECT etag FROM user_photos p WHERE p.user_id = users.id) AS photo, alternate_emails, auto_bcc, notifications, name, email, role AS "role: Role", job_title, phone, pronouns, timezone, time_format,
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
        time_format: TimeFormat::parse(&row.time_format).unwrap_or_default(),
        has_password: row.has_password,
        version: row.version,
        timezones: timezones(),
        plan,
    })
}

/// Saves the Profile section if nobody changed the profile since `version`.
pub async fn save(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    update: &ProfileUpdate,
    version: i64,
    request: &RequestInfo,
) -> Result<Uuid, ProfileError> {
    if !chrono_tz::TZ_VARIANTS
        .iter()
        .any(|zone| zone.name() == update.timezone)
    {
        return Err(ProfileError::Invalid(crate::domain::FieldErrors::single(
            "timezone",
            "Choose a time zone from the list.",
        )));
    }
    let now = state.now();
    let mut tx = state
        .pool
        .begin()
        .await
        .context("starting a profile save")?;
    let before = lock_for_save(&mut tx, viewer, target, version).await?;
    let mut changes = serde_json::Map::new();
    if let Some(repeated) = update
        .alternate_emails
        .iter()
        .find(|alternate| alternate.eq_ignore_ascii_case(&before.email))
    {
        return Err(ProfileError::Invalid(crate::domain::FieldErrors::single(
            "alternate_emails",
            format!("{repeated} is already the main email address."),
        )));
    }
    sqlx::query!(
        "UPDATE users SET name = $2, job_title = $3, phone = $4, pronouns = $5, timezone = $6,
                          time_format = $7, updated_at = $8, alternate_emails = $9
         WHERE id = $1",
        before.id,
        update.name.as_str(),
        update.job_title,
        update.phone,
        update.pronouns,
        update.timezone,
        update.time_format.as_str(),
        now,
        &update.alternate_emails
    )
    .execute(&mut *tx)
    .await
    .context("saving a profile")?;
    if before.alternate_emails != update.alternate_emails {
        changes.insert(
            "alternate_emails".to_owned(),
            serde_json::json!({ "old": before.alternate_emails, "new": update.alternate_emails }),
        );
    }
    let pairs = [
        ("name", before.name.as_str(), update.name.as_str()),
        (
            "job_title",
            before.job_title.as_str(),
            update.job_title.as_str(),
        ),
        ("phone", before.phone.as_str(), update.phone.as_str()),
        (
            "pronouns",
            before.pronouns.as_str(),
            update.pronouns.as_str(),
        ),
        (
            "timezone",
            before.timezone.as_str(),
            update.timezone.as_str(),
        ),
        (
            "time_format",
            before.time_format.as_str(),
            update.time_format.as_str(),
        ),
    ];
    for (field, old, new) in pairs {
        if old != new {
            changes.insert(
                field.to_owned(),
                serde_json::json!({ "old": old, "new": new }),
            );
        }
    }
    let event = AuditEvent {
        account_id: viewer.account_id,
        actor: Some(viewer.user_id),
        target: Some(before.id),
        action: Action::ProfileUpdated,
        details: serde_json::Value::Object(changes),
    };
    audit::record(&mut tx, event, request, now).await?;
    tx.commit().await.context("committing a profile save")?;
    Ok(before.id)
}

/// Locks the target's row for a save and checks nobody saved since `version`.
async fn lock_for_save(
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

pub async fn save_auto_bcc(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    address: &str,
    version: i64,
    request: &RequestInfo,
) -> Result<Uuid, ProfileError> {
    let now = state.now();
    let mut tx = state
        .pool
        .begin()
        .await
        .context("starting an Auto Bcc save")?;
    let before = lock_for_save(&mut tx, viewer, target, version).await?;
    sqlx::query!(
        "UPDATE users SET auto_bcc = $2, updated_at = $3 WHERE id = $1",
        before.id,
        address,
        now
    )
    .execute(&mut *tx)
    .await
    .context("saving Auto Bcc")?;
    let event = AuditEvent {
        account_id: viewer.account_id,
        actor: Some(viewer.user_id),
        target: Some(before.id),
        action: Action::AutoBccChanged,
        details: serde_json::json!({ "old": before.auto_bcc, "new": address }),
    };
    audit::record(&mut tx, event, request, now).await?;
    tx.commit().await.context("committing Auto Bcc")?;
    Ok(before.id)
}

/// Replaces a User's or Light User's inbox access. Only the Owner and
/// Administrators set it, and not for Owners or Administrators (they see all).
pub async fn save_inbox_access(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    inboxes: &[Uuid],
    version: i64,
    request: &RequestInfo,
) -> Result<Uuid, ProfileError> {
    if !viewer.role.manages_users() {
        return Err(ProfileError::Forbidden);
    }
    let now = state.now();
    let mut tx = state
        .pool
        .begin()
        .await
        .context("starting an inbox access save")?;
    let before = lock_for_save(&mut tx, viewer, target, version).await?;
    let invalid = |message: &str| {
        ProfileError::Invalid(crate::domain::FieldErrors::single("inboxes", message))
    };
    if before.role.manages_users() {
        return Err(invalid(
            "Account Owners and Administrators can see every inbox.",
        ));
    }
    let known = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM inboxes WHERE account_id = $1 AND id = ANY($2)"#,
        viewer.account_id,
        inboxes
    )
    .fetch_one(&mut *tx)
    .await
    .context("checking inboxes")?;
    if known != inboxes.len() as i64 {
        return Err(invalid("Choose inboxes from the list."));
    }
    let old = sqlx::query_scalar!(
        "DELETE FROM user_inboxes WHERE user_id = $1 RETURNING inbox_id",
        before.id
    )
    .fetch_all(&mut *tx)
    .await
    .context("clearing inbox access")?;
    sqlx::query!(
        "INSERT INTO user_inboxes (user_id, inbox_id) SELECT $1, unnest($2::uuid[])",
        before.id,
        inboxes
    )
    .execute(&mut *tx)
    .await
    .context("granting inbox access")?;
    let event = AuditEvent {
        account_id: viewer.account_id,
        actor: Some(viewer.user_id),
        target: Some(before.id),
        action: Action::InboxAccessChanged,
        details: serde_json::json!({ "old": old, "new": inboxes }),
    };
    audit::record(&mut tx, event, request, now).await?;
    tx.commit().await.context("committing inbox access")?;
    Ok(before.id)
}

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
        crate::two_factor::confirmation::confirm_identity(state, viewer.user_id, password)
            .await?
            .or_message()
            .map_err(|message| invalid("password", message))?;
    }
    let now = state.now();
    let plan = crate::users::store::plan(&state.pool, viewer.account_id).await?;
    let mut tx = state.pool.begin().await.context("starting a role change")?;
    let before = lock_for_save(&mut tx, viewer, target, version).await?;
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
        tx.commit().await.context("committing an unchanged role")?;
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
        .execute(&mut *tx)
        .await
        .context("stepping down as Owner")?;
    }
    if role == Role::LightUser {
        if confirmed.is_none() {
            return Err(invalid(
                "confirm",
                "Confirm that they will be removed from their teams.",
            ));
        }
        sqlx::query!("DELETE FROM team_members WHERE user_id = $1", before.id)
            .execute(&mut *tx)
            .await
            .context("removing a Light User from teams")?;
    }
    sqlx::query!(
        "UPDATE users SET role = $2, updated_at = $3 WHERE id = $1",
        before.id,
        role.as_str(),
        now
    )
    .execute(&mut *tx)
    .await
    .context("changing a role")?;
    let event = AuditEvent {
        account_id: viewer.account_id,
        actor: Some(viewer.user_id),
        target: Some(before.id),
        action: if role == Role::Owner {
            Action::OwnershipTransferred
        } else {
            Action::RoleChanged
        },
        details: serde_json::json!({ "old": old.as_str(), "new": role.as_str() }),
    };
    audit::record(&mut tx, event, request, now).await?;
    tx.commit().await.context("committing a role change")?;
    Ok(before.id)
}

pub async fn save_notifications(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    settings: &NotificationSettings,
    version: i64,
    request: &RequestInfo,
) -> Result<Uuid, ProfileError> {
    let now = state.now();
    let mut tx = state
        .pool
        .begin()
        .await
        .context("starting a notifications save")?;
    let before = lock_for_save(&mut tx, viewer, target, version).await?;
    let keys = settings.keys();
    sqlx::query!(
        "UPDATE users SET notifications = $2, updated_at = $3 WHERE id = $1",
        before.id,
        &keys,
        now
    )
    .execute(&mut *tx)
    .await
    .context("saving notifications")?;
    let event = AuditEvent {
        account_id: viewer.account_id,
        actor: Some(viewer.user_id),
        target: Some(before.id),
        action: Action::NotificationsChanged,
        details: serde_json::json!({ "new": keys }),
    };
    audit::record(&mut tx, event, request, now).await?;
    tx.commit().await.context("committing notifications")?;
    Ok(before.id)
}

/// The live sessions of a user the viewer manages (not their own: those are
/// on their own Active Sessions).
pub async fn sessions_of(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
) -> Result<Vec<crate::session::SessionRow>, ProfileError> {
    let mut conn = state.pool.acquire().await.context("opening sessions")?;
    let user_id = open(&mut conn, viewer, target, false).await?;
    drop(conn);
    if user_id == viewer.user_id {
        return Err(ProfileError::Forbidden);
    }
    Ok(crate::session::store::list_of(state, user_id).await?)
}

/// An admin ends one (`Some`) or every (`None`) session of a user they
/// manage; the user is signed out on their next request. People end their
/// own sessions from their own Active Sessions, after confirming it's them.
pub async fn revoke_sessions(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    session_id: Option<Uuid>,
) -> Result<Uuid, ProfileError> {
    let now = state.now();
    let mut tx = state
        .pool
        .begin()
        .await
        .context("starting to revoke sessions")?;
    let user_id = open(&mut tx, viewer, target, true).await?;
    if user_id == viewer.user_id {
        return Err(ProfileError::Forbidden);
    }
    let revoked = crate::session::store::revoke_of(&mut tx, user_id, session_id, now).await?;
    if session_id.is_some() && revoked.is_empty() {
        return Err(ProfileError::NotFound);
    }
    let event = AuditEvent {
        account_id: viewer.account_id,
        actor: Some(viewer.user_id),
        target: Some(user_id),
        action: Action::SessionsRevokedByAdmin,
        details: serde_json::json!({ "sessions": revoked }),
    };
    audit::record(&mut tx, event, &RequestInfo::current(), now).await?;
    tx.commit().await.context("committing revoked sessions")?;
    Ok(user_id)
}

/// Every team of the account, and those the user is on.
pub async fn teams_of(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
) -> Result<super::UserTeams, ProfileError> {
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
    Ok(super::UserTeams {
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
) -> Result<Uuid, ProfileError> {
    if !viewer.role.manages_users() {
        return Err(ProfileError::Forbidden);
    }
    let now = state.now();
    let mut tx = state.pool.begin().await.context("starting a teams save")?;
    crate::users::store::plan_for_change(&mut tx, viewer.account_id)
        .await?
        .require(Feature::Teams)?;
    let before = lock_for_save(&mut tx, viewer, target, version).await?;
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
    .fetch_one(&mut *tx)
    .await
    .context("checking teams")?;
    if known != teams.len() as i64 {
        return Err(invalid("Choose teams from the list."));
    }
    let old = sqlx::query_scalar!(
        "DELETE FROM team_members WHERE user_id = $1 RETURNING team_id",
        before.id
    )
    .fetch_all(&mut *tx)
    .await
    .context("clearing teams")?;
    sqlx::query!(
        "INSERT INTO team_members (team_id, user_id) SELECT unnest($2::uuid[]), $1",
        before.id,
        teams
    )
    .execute(&mut *tx)
    .await
    .context("joining teams")?;
    let event = AuditEvent {
        account_id: viewer.account_id,
        actor: Some(viewer.user_id),
        target: Some(before.id),
        action: Action::TeamsChanged,
        details: serde_json::json!({ "old": old, "new": teams }),
    };
    audit::record(&mut tx, event, &RequestInfo::current(), now).await?;
    tx.commit().await.context("committing teams")?;
    Ok(before.id)
}

/// A user's feature permissions: custom or following the role's defaults.
pub async fn feature_permissions(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
) -> Result<super::FeaturePermissionsView, ProfileError> {
    let mut conn = state.pool.acquire().await.context("opening permissions")?;
    let user_id = open(&mut conn, viewer, target, false).await?;
    let row = sqlx::query!(
        r#"SELECT u.role AS "role: Role", u.custom_permissions, a.plan FROM users u JOIN accounts a ON a.id = u.account_id
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
    Ok(super::FeaturePermissionsView {
        effective: crate::domain::effective_permissions(
            role,
            Plan::from_stored(&row.plan),
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
) -> Result<Uuid, ProfileError> {
    use crate::domain::Permission;

    if !viewer.role.manages_users() {
        return Err(ProfileError::Forbidden);
    }
    let now = state.now();
    let mut tx = state
        .pool
        .begin()
        .await
        .context("starting a permissions save")?;
    crate::users::store::plan_for_change(&mut tx, viewer.account_id)
        .await?
        .require(Feature::FeaturePermissions)?;
    let before = lock_for_save(&mut tx, viewer, target, version).await?;
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
    .fetch_one(&mut *tx)
    .await
    .context("reading permissions")?;
    sqlx::query!(
        "UPDATE users SET custom_permissions = $2, updated_at = $3 WHERE id = $1",
        before.id,
        stored.as_deref(),
        now
    )
    .execute(&mut *tx)
    .await
    .context("saving permissions")?;
    let event = AuditEvent {
        account_id: viewer.account_id,
        actor: Some(viewer.user_id),
        target: Some(before.id),
        action: Action::PermissionsChanged,
        details: serde_json::json!({ "old": old, "new": stored }),
    };
    audit::record(&mut tx, event, &RequestInfo::current(), now).await?;
    tx.commit().await.context("committing permissions")?;
    Ok(before.id)
}

/// Changes a user's email address. People changing their own confirm their
/// password first; the old address is told, and unused reset and invite
/// links die.
pub async fn change_email(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    email: &crate::domain::Email,
    current_password: &str,
    version: i64,
) -> Result<Uuid, ProfileError> {
    let invalid = |field: &str, message: &str| {
        ProfileError::Invalid(crate::domain::FieldErrors::single(field, message))
    };
    let own = target.is_none_or(|id| id == viewer.user_id);
    if own
        && !crate::auth::store::is_current_password(state, viewer.user_id, current_password).await?
    {
        return Err(invalid(
            "current_password",
            "That is not your current password.",
        ));
    }
    let now = state.now();
    let mut tx = state
        .pool
        .begin()
        .await
        .context("starting an email change")?;
    let before = lock_for_save(&mut tx, viewer, target, version).await?;
    if before.email == email.as_str() {
        tx.commit().await.context("committing an unchanged email")?;
        return Ok(before.id);
    }
    let taken = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM users
               WHERE lower(email) = lower($1) AND deleted_at IS NULL AND id <> $2) AS "taken!""#,
        email.as_str(),
        before.id
    )
    .fetch_one(&mut *tx)
    .await
    .context("checking an email address")?;
    if taken {
        return Err(invalid("email", "That email address is already in use."));
    }
    let updated = sqlx::query!(
        "UPDATE users SET email = $2, updated_at = $3,
                alternate_emails = array_remove(alternate_emails, $2)
         WHERE id = $1",
        before.id,
        email.as_str(),
        now
    )
    .execute(&mut *tx)
    .await;
    match updated {
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            return Err(invalid("email", "That email address is already in use."));
        }
        other => {
            other.context("changing an email address")?;
        }
    }
    crate::auth::reset_links::revoke_reset_links(&mut tx, before.id, now).await?;
    crate::invitations::store::revoke_open(&mut tx, before.id, now).await?;
    let message = crate::email::templates::email_changed(
        &before.email,
        &before.name,
        email.as_str(),
        (!own).then_some(viewer.name.as_str()),
    );
    crate::email::enqueue(&mut tx, &state.settings, Some(viewer.account_id), message).await?;
    let event = AuditEvent {
        account_id: viewer.account_id,
        actor: Some(viewer.user_id),
        target: Some(before.id),
        action: Action::EmailChanged,
        details: serde_json::json!({ "old": before.email, "new": email.as_str() }),
    };
    audit::record(&mut tx, event, &RequestInfo::current(), now).await?;
    tx.commit().await.context("committing an email change")?;
    Ok(before.id)
}

/// Stores a new avatar (already made by [`super::avatar::make`]).
pub async fn save_photo(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    image: Vec<u8>,
) -> Result<Uuid, ProfileError> {
    let now = state.now();
    let mut tx = state.pool.begin().await.context("starting a photo save")?;
    let user_id = open(&mut tx, viewer, target, true).await?;
    let etag = crate::session::token::SecretToken::generate().expose()[..16].to_owned();
    sqlx::query!(
        "INSERT INTO user_photos (user_id, image, etag, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id) DO UPDATE SET image = $2, etag = $3, updated_at = $4",
        user_id,
        image,
        etag,
        now
    )
    .execute(&mut *tx)
    .await
    .context("saving a photo")?;
    let event = AuditEvent {
        account_id: viewer.account_id,
        actor: Some(viewer.user_id),
        target: Some(user_id),
        action: Action::PhotoChanged,
        details: serde_json::json!({ "bytes": image.len() }),
    };
    audit::record(&mut tx, event, &RequestInfo::current(), now).await?;
    tx.commit().await.context("committing a photo")?;
    Ok(user_id)
}

pub async fn remove_photo(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
) -> Result<Uuid, ProfileError> {
    let now = state.now();
    let mut tx = state
        .pool
        .begin()
        .await
        .context("starting a photo removal")?;
    let user_id = open(&mut tx, viewer, target, true).await?;
    let removed = sqlx::query!("DELETE FROM user_photos WHERE user_id = $1", user_id)
        .execute(&mut *tx)
        .await
        .context("removing a photo")?;
    if removed.rows_affected() == 0 {
        return Err(ProfileError::NotFound);
    }
    let event = AuditEvent {
        account_id: viewer.account_id,
        actor: Some(viewer.user_id),
        target: Some(user_id),
        action: Action::PhotoRemoved,
        details: serde_json::json!({}),
    };
    audit::record(&mut tx, event, &RequestInfo::current(), now).await?;
    tx.commit().await.context("committing a photo removal")?;
    Ok(user_id)
}

/// A photo to serve: the avatar of a user in the viewer's account.
pub async fn photo(
    pool: &sqlx::PgPool,
    viewer: &Viewer,
    user_id: Uuid,
) -> anyhow::Result<Option<(Vec<u8>, String)>> {
    let row = sqlx::query!(
        "SELECT p.image, p.etag FROM user_photos p JOIN users u ON u.id = p.user_id
         WHERE p.user_id = $1 AND u.account_id = $2",
        user_id,
        viewer.account_id
    )
    .fetch_optional(pool)
    .await
    .context("reading a photo")?;
    Ok(row.map(|row| (row.image, row.etag)))
}
