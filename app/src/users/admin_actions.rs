//! What an Owner or Administrator does to another user from the users
//! table, against PostgreSQL: create them, (re)send their invite, copy or
//! revoke their invite link, send them a password reset. Each change, its email and its audit event share one
//! transaction.

use anyhow::Context as _;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{NewUser, UsersError};
use crate::{
    audit::Action,
    change::Change,
    domain::{FieldErrors, Role},
    invitations::store::{self as invitations, Invitee, Inviter},
    request::RequestInfo,
    session::Viewer,
    state::AppState,
};

/// A user created by Add User, or found again for a repeated submission.
#[derive(Clone, Debug)]
pub struct Created {
    pub id: Uuid,
    pub name: String,
    pub invited: bool,
}

pub const DUPLICATE_EMAIL: &str = "A user with this email address already exists.";

/// Creates `new_user` with their inbox access and, when asked, their
/// invitation. `request_key` makes a repeated submission of the same form
/// return the first result instead of creating a second user.
pub async fn create_user(
    state: &AppState,
    viewer: &Viewer,
    new_user: &NewUser,
    request_key: Uuid,
    request: &RequestInfo,
) -> Result<Created, UsersError> {
    if let Some(created) = earlier_creation(state, viewer, request_key).await? {
        return Ok(created);
    }
    let mut change = Change::begin(
        state,
        viewer.account_id,
        Some(viewer.user_id),
        request,
        "Add User",
    )
    .await?;
    match insert_user(&mut change, state, viewer, new_user, request_key).await {
        Ok(created) => {
            change.commit().await?;
            tracing::info!(user_id = %created.id, "user created");
            Ok(created)
        }
        Err(error) => {
            drop(change);
            // A concurrent submission of the same form won the race: answer as it did.
            if let Some(created) = earlier_creation(state, viewer, request_key).await? {
                return Ok(created);
            }
            Err(error)
        }
    }
}

/// The user `viewer` created with `request_key`, if any (keys are theirs alone).
async fn earlier_creation(
    state: &AppState,
    viewer: &Viewer,
    request_key: Uuid,
) -> anyhow::Result<Option<Created>> {
    let row = sqlx::query!(
        r#"SELECT u.id, u.name,
                  EXISTS (SELECT 1 FROM invitations i WHERE i.user_id = u.id) AS "invited!"
           FROM user_creations c JOIN users u ON u.id = c.user_id
           WHERE c.account_id = $1 AND c.created_by = $2 AND c.idempotency_key = $3"#,
        viewer.account_id,
        viewer.user_id,
        request_key
    )
    .fetch_optional(&state.pool)
    .await
    .context("looking for an earlier Add User")?;
    Ok(row.map(|row| Created {
        id: row.id,
        name: row.name,
        invited: row.invited,
    }))
}

pub(crate) async fn insert_user(
    change: &mut Change<'_>,
    state: &AppState,
    viewer: &Viewer,
    new_user: &NewUser,
    request_key: Uuid,
) -> Result<Created, UsersError> {
    let now = change.now;
    let known_inboxes = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM inboxes WHERE account_id = $1 AND id = ANY($2)"#,
        viewer.account_id,
        &new_user.inboxes
    )
    .fetch_one(change.conn())
    .await
    .context("checking inboxes")?;
    if known_inboxes != new_user.inboxes.len() as i64 {
        return Err(UsersError::Invalid(FieldErrors::single(
            "inboxes",
            "Choose inboxes from the list.",
        )));
    }
    let inserted = sqlx::query_scalar!(
        "INSERT INTO users (account_id, name, email, role, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        viewer.account_id,
        new_user.name.as_str(),
        new_user.email.as_str(),
        new_user.role.as_str(),
        now,
    )
    .fetch_one(change.conn())
    .await;
    let id = match inserted {
        Ok(id) => id,
        // Another user has the address, or goes by it in SCIM (userName).
        Err(error)
            if is_unique_violation(&error, "users_live_email_key")
                || is_unique_violation(&error, "users_scim_user_name_key") =>
        {
            return Err(UsersError::Duplicate(FieldErrors::single(
                "email",
                DUPLICATE_EMAIL,
            )));
        }
        Err(error) => return Err(anyhow::Error::new(error).context("creating a user").into()),
    };
    sqlx::query!(
        "INSERT INTO user_inboxes (user_id, inbox_id) SELECT $1, unnest($2::uuid[])",
        id,
        &new_user.inboxes
    )
    .execute(change.conn())
    .await
    .context("granting inbox access")?;
    sqlx::query!(
        "INSERT INTO user_creations (account_id, created_by, idempotency_key, user_id, created_at) VALUES ($1, $2, $3, $4, $5)",
        viewer.account_id,
        viewer.user_id,
        request_key,
        id,
        now
    )
    .execute(change.conn())
    .await
    .context("remembering the Add User request")?;
    change
        .record(
            Action::UserCreated,
            Some(id),
            serde_json::json!({
                "role": new_user.role.as_str(),
                "inboxes": new_user.inboxes.len(),
                "invite": new_user.send_invite,
            }),
        )
        .await?;
    if new_user.send_invite {
        let invitee = Invitee {
            id,
            account_id: viewer.account_id,
            name: new_user.name.as_str(),
            email: new_user.email.as_str(),
        };
        invitations::issue(change, state, &invitee, &inviter(viewer)).await?;
    }
    Ok(Created {
        id,
        name: new_user.name.as_str().to_owned(),
        invited: new_user.send_invite,
    })
}

fn is_unique_violation(error: &sqlx::Error, constraint: &str) -> bool {
    error
        .as_database_error()
        .is_some_and(|e| e.is_unique_violation() && e.constraint() == Some(constraint))
}

fn inviter(viewer: &Viewer) -> Inviter<'_> {
    Inviter {
        id: viewer.user_id,
        name: &viewer.name,
    }
}

/// A live user of the viewer's account, locked for the change at hand.
pub struct Target {
    pub id: Uuid,
    pub account_id: Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub has_password: bool,
}

/// Finds and locks `user_id` if the viewer may manage them: a live user of
/// the same account, and not the Owner unless the viewer is the Owner.
/// A deactivated user is sent nothing: they are reactivated first.
pub async fn lock_target(
    conn: &mut PgConnection,
    viewer: &Viewer,
    user_id: Uuid,
) -> Result<Target, UsersError> {
    let row = sqlx::query!(
        r#"SELECT id, account_id, name, email, role AS "role: Role", (password_hash IS NOT NULL) AS "has_password!",
                  (deactivated_at IS NOT NULL) AS "deactivated!"
           FROM users WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL
           FOR NO KEY UPDATE"#,
        user_id,
        viewer.account_id
    )
    .fetch_optional(&mut *conn)
    .await
    .context("finding a user to manage")?
    .ok_or(UsersError::NotFound)?;
    let role = row.role;
    if role == Role::Owner && viewer.role != Role::Owner {
        return Err(UsersError::Forbidden);
    }
    if row.deactivated {
        return Err(UsersError::Conflict {
            message: format!("{} is deactivated. Reactivate them first.", row.name),
        });
    }
    Ok(Target {
        id: row.id,
        account_id: row.account_id,
        name: row.name,
        email: row.email,
        role,
        has_password: row.has_password,
    })
}

/// Begins `what`, done by the viewer to `user_id`: the change, and the
/// user, locked (see [`lock_target`]).
async fn begin_on_target<'r>(
    state: &AppState,
    viewer: &Viewer,
    user_id: Uuid,
    request: &'r RequestInfo,
    what: &'static str,
) -> Result<(Change<'r>, Target), UsersError> {
    let mut change = Change::begin(
        state,
        viewer.account_id,
        Some(viewer.user_id),
        request,
        what,
    )
    .await?;
    let target = lock_target(change.conn(), viewer, user_id).await?;
    Ok((change, target))
}

/// Refuses an invitation for someone who already accepted one.
fn still_invited(target: &Target) -> Result<(), UsersError> {
    if target.has_password {
        return Err(UsersError::Conflict {
            message: format!(
                "{} has already accepted their invitation. Send a password reset instead.",
                target.name
            ),
        });
    }
    Ok(())
}

fn invitee(target: &Target) -> Invitee<'_> {
    Invitee {
        id: target.id,
        account_id: target.account_id,
        name: &target.name,
        email: &target.email,
    }
}

/// Sends (or resends) `user_id`'s invite email with a new link; the old
/// link stops working.
pub async fn send_invite(
    state: &AppState,
    viewer: &Viewer,
    user_id: Uuid,
    request: &RequestInfo,
) -> Result<String, UsersError> {
    let (mut change, target) =
        begin_on_target(state, viewer, user_id, request, "sending an invite").await?;
    still_invited(&target)?;
    invitations::issue(&mut change, state, &invitee(&target), &inviter(viewer)).await?;
    change.commit().await?;
    Ok(target.name)
}

/// Mints a new invite link for `user_id` for the viewer to hand over (no
/// email); the old link stops working.
pub async fn copy_invite_link(
    state: &AppState,
    viewer: &Viewer,
    user_id: Uuid,
    request: &RequestInfo,
) -> Result<invitations::CopiedLink, UsersError> {
    let (mut change, target) =
        begin_on_target(state, viewer, user_id, request, "copying an invite link").await?;
    still_invited(&target)?;
    let link =
        invitations::copy_link(&mut change, state, &invitee(&target), &inviter(viewer)).await?;
    change.commit().await?;
    Ok(link)
}

/// Ends `user_id`'s open invite link without sending another, remembering
/// that an admin did (see `invitations.revoked_by`).
pub async fn revoke_invite(
    state: &AppState,
    viewer: &Viewer,
    user_id: Uuid,
    request: &RequestInfo,
) -> Result<String, UsersError> {
    let (mut change, target) =
        begin_on_target(state, viewer, user_id, request, "revoking an invite").await?;
    let now = change.now;
    let revoked = sqlx::query!(
        "UPDATE invitations SET revoked_at = $2, revoked_by = $3
         WHERE user_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL",
        target.id,
        now,
        viewer.user_id,
    )
    .execute(change.conn())
    .await
    .context("revoking an invite")?
    .rows_affected();
    if revoked == 0 {
        return Err(UsersError::Conflict {
            message: format!("{} has no open invite to revoke.", target.name),
        });
    }
    change
        .record(
            Action::InviteRevoked,
            Some(target.id),
            serde_json::json!({}),
        )
        .await?;
    change.commit().await?;
    Ok(target.name)
}

/// Emails `user_id` a password reset link (the sign-in issue's flow); the
/// admin never sees or sets the password.
pub async fn send_password_reset(
    state: &AppState,
    viewer: &Viewer,
    user_id: Uuid,
    request: &RequestInfo,
) -> Result<String, UsersError> {
    let (mut change, target) =
        begin_on_target(state, viewer, user_id, request, "an admin reset").await?;
    let now = change.now;
    if !target.has_password {
        return Err(UsersError::Conflict {
            message: format!(
                "{} hasn't accepted their invitation yet, so there is no password to reset. Send them an invite email instead.",
                target.name
            ),
        });
    }
    crate::auth::reset_links::issue_reset_link(
        change.conn(),
        state,
        target.id,
        target.account_id,
        &target.name,
        &target.email,
        now,
    )
    .await?;
    change
        .record(
            Action::PasswordResetRequestedByAdmin,
            Some(target.id),
            serde_json::json!({}),
        )
        .await?;
    change.commit().await?;
    Ok(target.name)
}
