//! SCIM's changes to users against PostgreSQL, each one transaction made
//! by the token's maker: creating (role User, invited unless created
//! inactive), replacing (PUT, and PATCH once applied) and deleting through
//! Roster's own deletion. Activity changes go through Roster's deactivation,
//! so its rules and effects are the same as on the pages.

use anyhow::Context as _;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{
    caller::ScimCaller,
    error::{ScimError, ScimType},
    user_input::UserInput,
    user_resource::{StoredProfile, UserRecord},
};
use crate::{
    audit::Action,
    change::Change,
    domain::{DeletionReason, PersonName, Role},
    invitations::store::{self as invitations, Invitee, Inviter},
    request::RequestInfo,
    state::AppState,
};

/// The live user `id` of the account, as SCIM shows them.
pub async fn find(
    conn: &mut PgConnection,
    account_id: Uuid,
    id: Uuid,
) -> anyhow::Result<Option<UserRecord>> {
    sqlx::query_as!(
        UserRecord,
        r#"SELECT id, name, email, scim_user_name, scim_external_id, scim_profile,
                  (deactivated_at IS NULL) AS "active!", created_at, updated_at, version
           FROM users WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL"#,
        id,
        account_id,
    )
    .fetch_optional(conn)
    .await
    .context("reading a user for SCIM")
}

/// What `If-Match` asks of the resource's version, if anything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Precondition(pub Option<String>);

impl Precondition {
    /// Whether a resource whose ETag is `current` may be changed.
    pub fn check(&self, current: &str) -> Result<(), ScimError> {
        match &self.0 {
            None => Ok(()),
            Some(wanted) => {
                let strip = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
                let matches = wanted.split(',').any(|tag| {
                    let tag = tag.trim();
                    tag == "*" || strip(tag) == strip(current)
                });
                if matches {
                    Ok(())
                } else {
                    Err(ScimError::stale())
                }
            }
        }
    }
}

const TAKEN_EMAIL: &str = "A user with this email address already exists.";
const TAKEN_USER_NAME: &str = "Another user of this account has this userName.";

/// Creates the user `input` describes: role User, no inboxes; invited by
/// email unless `active` is false (they are then created deactivated).
pub async fn create(
    state: &AppState,
    caller: &ScimCaller,
    input: &UserInput,
    request: &RequestInfo,
) -> Result<UserRecord, ScimError> {
    let actor = &caller.actor;
    let mut change = Change::begin(
        state,
        caller.account_id,
        Some(actor.user_id),
        request,
        "a SCIM creation",
    )
    .await?;
    let now = change.now;
    let name = match &input.person_name {
        Some(name) => name.clone(),
        None => name_from_address(input.email.as_str()),
    };
    let active = input.active != Some(false);
    let profile = StoredProfile::of(input, name.as_str(), input.email.as_str(), active);
    let inserted = sqlx::query_scalar!(
        "INSERT INTO users (account_id, name, email, role, created_at, updated_at, deactivated_at,
                            scim_user_name, scim_external_id, scim_profile)
         VALUES ($1, $2, $3, 'user', $4, $4, CASE WHEN $5 THEN NULL ELSE $4::timestamptz END, $6, $7, $8)
         RETURNING id",
        caller.account_id,
        name.as_str(),
        input.email.as_str(),
        now,
        active,
        own_user_name(input),
        input.external_id,
        serde_json::to_value(&profile).context("writing a SCIM profile")?,
    )
    .fetch_one(change.conn())
    .await;
    let id = inserted.map_err(taken)?;
    change
        .record(
            Action::UserCreated,
            Some(id),
            serde_json::json!({ "role": "user", "inboxes": 0, "invite": active, "via": "scim" }),
        )
        .await?;
    if active {
        let invitee = Invitee {
            id,
            account_id: caller.account_id,
            name: name.as_str(),
            email: input.email.as_str(),
        };
        let inviter = Inviter {
            id: actor.user_id,
            name: &actor.name,
        };
        invitations::issue(&mut change, state, &invitee, &inviter).await?;
    }
    let record = find(change.conn(), caller.account_id, id)
        .await?
        .context("reading a user just created")?;
    change.commit().await?;
    tracing::info!(user_id = %id, "user created by SCIM");
    Ok(record)
}

/// Replaces user `id`'s attributes with `input` (a PUT, or a PATCH
/// applied by `patched` to what SCIM shows now). Their row stays locked
/// from the first read to the commit, so concurrent changes queue.
pub async fn replace(
    state: &AppState,
    caller: &ScimCaller,
    id: Uuid,
    precondition: &Precondition,
    request: &RequestInfo,
    input: impl FnOnce(&UserRecord) -> Result<UserInput, ScimError>,
) -> Result<UserRecord, ScimError> {
    let actor = &caller.actor;
    let mut change = Change::begin(
        state,
        caller.account_id,
        Some(actor.user_id),
        request,
        "a SCIM change",
    )
    .await?;
    let now = change.now;
    let (before, role) = lock(change.conn(), caller.account_id, id).await?;
    precondition.check(&before.etag())?;
    // As on the profile: only the Owner changes the Owner.
    if role == Role::Owner && actor.role != Role::Owner {
        return Err(ScimError {
            status: axum::http::StatusCode::FORBIDDEN,
            scim_type: None,
            detail: "Only the Account Owner changes the Owner's profile, and this SCIM token was made by an Administrator.".into(),
            retry_after: None,
        });
    }
    let input = input(&before)?;
    let name = input
        .person_name
        .clone()
        .map(|name| name.as_str().to_owned())
        .unwrap_or_else(|| before.name.clone());
    let email = input.email.as_str();
    let profile = StoredProfile::of(&input, &name, email, input.active.unwrap_or(before.active));
    sqlx::query!(
        "UPDATE users SET name = $2, email = $3, scim_user_name = $4, scim_external_id = $5,
                          scim_profile = $6, updated_at = $7,
                          alternate_emails = array_remove(alternate_emails, $3)
         WHERE id = $1",
        id,
        name,
        email,
        own_user_name(&input),
        input.external_id,
        serde_json::to_value(&profile).context("writing a SCIM profile")?,
        now,
    )
    .execute(change.conn())
    .await
    .map_err(taken)?;
    if name != before.name {
        change
            .record(
                Action::ProfileUpdated,
                Some(id),
                serde_json::json!({ "name": name, "via": "scim" }),
            )
            .await?;
    }
    if email != before.email {
        email_changed(&mut change, state, caller, &before, &name, email).await?;
    }
    if let Some(active) = input.active {
        if active != before.active {
            crate::deactivation::store::set_active_in(&mut change, actor, id, active)
                .await
                .map_err(ScimError::from_area)?;
        }
    }
    let record = find(change.conn(), caller.account_id, id)
        .await?
        .context("reading a user just changed")?;
    change.commit().await?;
    Ok(record)
}

/// Deletes user `id` as Roster's deletion does, with the reason
/// "Deprovisioned by SCIM": their conversations go to Unassigned.
pub async fn delete(
    state: &AppState,
    caller: &ScimCaller,
    id: Uuid,
    precondition: &Precondition,
    request: &RequestInfo,
) -> Result<(), ScimError> {
    {
        let mut conn = state
            .pool
            .acquire()
            .await
            .context("opening a SCIM deletion")?;
        let record = find(&mut conn, caller.account_id, id)
            .await?
            .ok_or_else(|| not_found(id))?;
        precondition.check(&record.etag())?;
    }
    crate::deletion::store::delete_confirmed(
        state,
        &caller.actor,
        id,
        &DeletionReason::deprovisioned_by_scim(),
        None,
        request,
    )
    .await
    .map_err(ScimError::from_area)?;
    Ok(())
}

pub fn not_found(id: impl std::fmt::Display) -> ScimError {
    ScimError::not_found(format!("No user {id} in this account."))
}

/// Locks user `id`'s row for the change at hand, and reads them and
/// their role.
async fn lock(
    conn: &mut PgConnection,
    account_id: Uuid,
    id: Uuid,
) -> Result<(UserRecord, Role), ScimError> {
    let role = sqlx::query_scalar!(
        r#"SELECT role AS "role: Role" FROM users
           WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL FOR NO KEY UPDATE"#,
        id,
        account_id
    )
    .fetch_optional(&mut *conn)
    .await
    .context("locking a user for SCIM")?
    .ok_or_else(|| not_found(id))?;
    let record = find(conn, account_id, id)
        .await?
        .ok_or_else(|| not_found(id))?;
    Ok((record, role))
}

/// A new address, as the profile's email change does it: the old address
/// is told, reset links die, and an open invitation goes to the new one.
async fn email_changed(
    change: &mut Change<'_>,
    state: &AppState,
    caller: &ScimCaller,
    before: &UserRecord,
    name: &str,
    email: &str,
) -> Result<(), ScimError> {
    let now = change.now;
    let invited = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM invitations
               WHERE user_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $2) AS "open!""#,
        before.id,
        now
    )
    .fetch_one(change.conn())
    .await
    .context("looking for an open invitation")?;
    crate::auth::reset_links::revoke_reset_links(change.conn(), before.id, now).await?;
    invitations::revoke_open(change.conn(), before.id, now).await?;
    let message = crate::email::templates::email_changed(
        &before.email,
        name,
        email,
        Some(&caller.actor.name),
    );
    change.send(&state.settings, message).await?;
    change
        .record(
            Action::EmailChanged,
            Some(before.id),
            serde_json::json!({ "old": before.email, "new": email, "via": "scim" }),
        )
        .await?;
    if invited && before.active {
        let invitee = Invitee {
            id: before.id,
            account_id: caller.account_id,
            name,
            email,
        };
        let inviter = Inviter {
            id: caller.actor.user_id,
            name: &caller.actor.name,
        };
        invitations::issue(change, state, &invitee, &inviter).await?;
    }
    Ok(())
}

/// The `userName` to keep apart from the address: none when it is the
/// address, so it follows a later change of address.
fn own_user_name(input: &UserInput) -> Option<&str> {
    (input.user_name != input.email.as_str()).then_some(input.user_name.as_str())
}

/// A name for a user created without one: their address's local part.
fn name_from_address(email: &str) -> PersonName {
    let local = email.rsplit_once('@').map_or(email, |(local, _)| local);
    PersonName::parse(local)
        .or_else(|_| PersonName::parse(email))
        .unwrap_or_else(|_| PersonName::parse("New user").expect("a plain name parses"))
}

/// A unique address or `userName` already taken: 409 `uniqueness`.
fn taken(error: sqlx::Error) -> ScimError {
    let constraint = error
        .as_database_error()
        .filter(|e| e.is_unique_violation())
        .and_then(|e| e.constraint().map(str::to_owned));
    match constraint.as_deref() {
        Some("users_live_email_key") => ScimError::conflict(ScimType::Uniqueness, TAKEN_EMAIL),
        Some("users_scim_user_name_key") => {
            ScimError::conflict(ScimType::Uniqueness, TAKEN_USER_NAME)
        }
        _ => anyhow::Error::new(error)
            .context("writing a SCIM user")
            .into(),
    }
}
