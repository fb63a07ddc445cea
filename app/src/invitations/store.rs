//! Invitation links against PostgreSQL: issuing (and re-issuing) them in
//! the caller's transaction, reading one for the accept page, accepting.

use anyhow::Context as _;
use chrono::{DateTime, TimeDelta, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{DeadLink, InvitationSummary, InviteError};
use crate::{
    audit::Action,
    change::Change,
    crypto::password_hash,
    domain::{FieldErrors, Password, PasswordContext, PersonName},
    email::{self, templates},
    request::RequestInfo,
    session::{
        store as sessions,
        token::{hash_token, looks_like_token, SecretToken},
    },
    state::AppState,
};

/// The person an invitation is for.
pub struct Invitee<'a> {
    pub id: Uuid,
    pub account_id: Uuid,
    pub name: &'a str,
    pub email: &'a str,
}

/// The Owner or Administrator sending it.
pub struct Inviter<'a> {
    pub id: Uuid,
    pub name: &'a str,
}

/// A new link, before it is stored: the old one is already revoked.
struct NewLink {
    token: SecretToken,
    url: String,
    expires_at: DateTime<Utc>,
    account_name: String,
    /// The user had been invited before (so an email is a resend).
    earlier: bool,
}

/// Revokes `invitee`'s open link, if any, and makes the next one.
async fn replace_link(
    change: &mut Change<'_>,
    state: &AppState,
    invitee: &Invitee<'_>,
) -> anyhow::Result<NewLink> {
    let now = change.now;
    let conn = change.conn();
    let account = sqlx::query!(
        "SELECT name, invite_validity_days FROM accounts WHERE id = $1",
        invitee.account_id
    )
    .fetch_one(&mut *conn)
    .await
    .context("reading the account for an invitation")?;
    let earlier = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM invitations WHERE user_id = $1) AS "exists!""#,
        invitee.id
    )
    .fetch_one(&mut *conn)
    .await
    .context("looking for earlier invitations")?;
    revoke_open(conn, invitee.id, now).await?;
    let token = SecretToken::generate();
    let url = state
        .settings
        .public_url
        .link(&format!("/invite/{}", token.expose()));
    Ok(NewLink {
        token,
        url,
        expires_at: now + TimeDelta::days(i64::from(account.invite_validity_days)),
        account_name: account.name,
        earlier,
    })
}

/// Stores `link`, sent by `channel` (its email's outbox row, if emailed).
async fn store_link(
    change: &mut Change<'_>,
    invitee: &Invitee<'_>,
    inviter: &Inviter<'_>,
    link: &NewLink,
    channel: &str,
    email_id: Option<Uuid>,
) -> anyhow::Result<()> {
    let now = change.now;
    sqlx::query!(
        "INSERT INTO invitations (user_id, invited_by, token_hash, created_at, expires_at, sent_to, channel, email_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        invitee.id,
        inviter.id,
        link.token.hash(),
        now,
        link.expires_at,
        invitee.email,
        channel,
        email_id,
    )
    .execute(change.conn())
    .await
    .context("storing an invitation")?;
    Ok(())
}

/// Issues a new link for `invitee`, killing any open one, and queues the
/// invite email and the audit event, all in the inviter's change.
pub async fn issue(
    change: &mut Change<'_>,
    state: &AppState,
    invitee: &Invitee<'_>,
    inviter: &Inviter<'_>,
) -> anyhow::Result<()> {
    let link = replace_link(change, state, invitee).await?;
    let expires = link.expires_at.format("%-d %B %Y at %H:%M UTC").to_string();
    let message = templates::invitation(&templates::Invitation {
        to: invitee.email,
        name: invitee.name,
        account_name: &link.account_name,
        inviter_name: inviter.name,
        accept_url: &link.url,
        expires: &expires,
    });
    let email_id = email::enqueue(
        change.conn(),
        &state.settings,
        Some(invitee.account_id),
        message,
    )
    .await?;
    store_link(change, invitee, inviter, &link, "email", Some(email_id)).await?;
    let action = if link.earlier {
        Action::InviteResent
    } else {
        Action::InviteSent
    };
    change
        .record(
            action,
            Some(invitee.id),
            serde_json::json!({ "expires_at": link.expires_at }),
        )
        .await
}

/// A link an admin copied to hand over themselves.
pub struct CopiedLink {
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

/// Issues a new link for `invitee` without an email, killing any open
/// one, for the inviter to hand over; audited in the inviter's change.
pub async fn copy_link(
    change: &mut Change<'_>,
    state: &AppState,
    invitee: &Invitee<'_>,
    inviter: &Inviter<'_>,
) -> anyhow::Result<CopiedLink> {
    let link = replace_link(change, state, invitee).await?;
    store_link(change, invitee, inviter, &link, super::LINK_CHANNEL, None).await?;
    change
        .record(
            Action::InviteLinkCopied,
            Some(invitee.id),
            serde_json::json!({ "expires_at": link.expires_at }),
        )
        .await?;
    Ok(CopiedLink {
        url: link.url,
        expires_at: link.expires_at,
    })
}

/// Whose open invite link `url` is in `account_id` (their id and name), if
/// it still is: a newer link, an acceptance or a revocation ends it.
pub async fn open_link_holder(
    conn: &mut PgConnection,
    account_id: Uuid,
    url: &str,
) -> anyhow::Result<Option<(Uuid, String)>> {
    let Some((_, token)) = url.rsplit_once("/invite/") else {
        return Ok(None);
    };
    let holder = sqlx::query!(
        "SELECT u.id, u.name FROM invitations i JOIN users u ON u.id = i.user_id
         WHERE i.token_hash = $1 AND u.account_id = $2 AND u.deleted_at IS NULL
           AND i.accepted_at IS NULL AND i.revoked_at IS NULL",
        hash_token(token),
        account_id
    )
    .fetch_optional(conn)
    .await
    .context("checking a copied invite link")?;
    Ok(holder.map(|row| (row.id, row.name)))
}

/// How `user_id`'s latest invitation is reaching them, in the viewer's
/// time; `None` when they have none, or it was accepted or revoked.
pub async fn delivery(
    conn: &mut PgConnection,
    user_id: Uuid,
    local: &crate::local_time::LocalTime,
) -> anyhow::Result<Option<super::InviteDelivery>> {
    let row = sqlx::query!(
        r#"SELECT i.channel, i.created_at, e.sent_at, e.attempts AS "attempts?", e.last_error,
                  (e.dead_at IS NOT NULL) AS "dead?"
           FROM invitations i LEFT JOIN outbox_emails e ON e.id = i.email_id
           WHERE i.user_id = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL"#,
        user_id
    )
    .fetch_optional(conn)
    .await
    .context("reading an invitation's delivery")?;
    Ok(row.and_then(|row| {
        let outbox = row.attempts.map(|attempts| super::OutboxState {
            sent_at: row.sent_at,
            attempts,
            last_error: row.last_error,
            dead: row.dead.unwrap_or(false),
        });
        super::InviteDelivery::of(&row.channel, row.created_at, outbox.as_ref(), local)
    }))
}

/// Ends `user_id`'s open invitation link, if any, in the caller's
/// transaction: a newer one replaces it, or their address changed.
pub async fn revoke_open(
    conn: &mut PgConnection,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query!(
        "UPDATE invitations SET revoked_at = $2 WHERE user_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL",
        user_id,
        now
    )
    .execute(conn)
    .await
    .context("revoking an open invitation")?;
    Ok(())
}

struct Link {
    invitation_id: Uuid,
    user_id: Uuid,
    account_id: Uuid,
    name: String,
    email: String,
    account_name: String,
    inviter_name: Option<String>,
    expires_at: DateTime<Utc>,
}

/// What decides whether a link still works.
#[derive(Clone, Copy)]
struct LinkState {
    accepted: bool,
    revoked: bool,
    /// The user was deleted or deactivated.
    user_gone: bool,
    /// The user's address is no longer the one the link was sent to.
    readdressed: bool,
    expires_at: DateTime<Utc>,
}

fn classify(link: &LinkState, now: DateTime<Utc>) -> Result<(), DeadLink> {
    let LinkState {
        accepted,
        revoked,
        user_gone,
        readdressed,
        expires_at,
    } = *link;
    if user_gone {
        Err(DeadLink::UserDeleted)
    } else if accepted {
        Err(DeadLink::Used)
    } else if readdressed {
        Err(DeadLink::Readdressed)
    } else if revoked {
        Err(DeadLink::Revoked)
    } else if expires_at <= now {
        Err(DeadLink::Expired)
    } else {
        Ok(())
    }
}

/// Finds the link for `token`, locking its rows when `conn` is in a
/// transaction that will use it.
async fn find(
    conn: &mut PgConnection,
    token: &str,
    now: DateTime<Utc>,
    lock: bool,
) -> Result<Link, InviteError> {
    if !looks_like_token(token) {
        return Err(InviteError::Link(DeadLink::Unknown));
    }
    if lock {
        // Taken before reading, so a concurrent acceptance is seen.
        sqlx::query!(
            "SELECT i.id FROM invitations i JOIN users u ON u.id = i.user_id
             WHERE i.token_hash = $1 FOR NO KEY UPDATE OF i, u",
            hash_token(token)
        )
        .fetch_optional(&mut *conn)
        .await
        .context("locking an invitation")?;
    }
    let row = sqlx::query!(
        r#"SELECT i.id, i.user_id, i.expires_at,
                  (i.accepted_at IS NOT NULL) AS "accepted!",
                  (i.revoked_at IS NOT NULL) AS "revoked!",
                  (u.deleted_at IS NOT NULL OR u.deactivated_at IS NOT NULL) AS "user_gone!",
                  (lower(i.sent_to) <> lower(u.email)) AS "readdressed!",
                  u.account_id, u.name, u.email, a.name AS account_name,
                  inviter.name AS "inviter_name?"
           FROM invitations i
           JOIN users u ON u.id = i.user_id
           JOIN accounts a ON a.id = u.account_id
           LEFT JOIN users inviter ON inviter.id = i.invited_by
           WHERE i.token_hash = $1"#,
        hash_token(token)
    )
    .fetch_optional(&mut *conn)
    .await
    .context("looking up an invitation")?
    .ok_or(InviteError::Link(DeadLink::Unknown))?;
    let state = LinkState {
        accepted: row.accepted,
        revoked: row.revoked,
        user_gone: row.user_gone,
        readdressed: row.readdressed,
        expires_at: row.expires_at,
    };
    classify(&state, now).map_err(InviteError::Link)?;
    Ok(Link {
        invitation_id: row.id,
        user_id: row.user_id,
        account_id: row.account_id,
        name: row.name,
        email: row.email,
        account_name: row.account_name,
        inviter_name: row.inviter_name,
        expires_at: row.expires_at,
    })
}

/// What the accept page shows, or why the link is dead.
pub async fn summary(state: &AppState, token: &str) -> Result<InvitationSummary, InviteError> {
    let mut conn = state
        .pool
        .acquire()
        .await
        .context("reading an invitation")?;
    let link = find(&mut conn, token, state.now(), false).await?;
    Ok(InvitationSummary {
        account_name: link.account_name,
        inviter_name: link.inviter_name,
        name: link.name,
        email: link.email,
        expires_at: link.expires_at,
    })
}

/// Accepts an invitation: the person's name (as corrected) and password are
/// set, the link is used up, and a session starts; its token is returned.
pub async fn accept(
    state: &AppState,
    token: &str,
    name: &str,
    password: &str,
    request: &RequestInfo,
) -> Result<SecretToken, InviteError> {
    let mut change = Change::begin_anonymous(state, request, "accepting an invitation").await?;
    let now = change.now;
    let link = find(change.conn(), token, now, true).await?;
    change.identify(link.account_id, Some(link.user_id));
    let mut errors = FieldErrors::new();
    let name = errors.check("name", PersonName::parse(name));
    let context = PasswordContext {
        email: Some(&link.email),
        account_name: Some(&link.account_name),
    };
    let password = errors.check("password", Password::parse(password, &context));
    let (Some(name), Some(password)) = (name, password) else {
        return Err(InviteError::Invalid(errors));
    };
    let hash = password_hash::hash(&state.hashing, password).await?;
    sqlx::query!(
        "UPDATE users SET name = $2, password_hash = $3, failed_login_attempts = 0, locked_at = NULL,
                          last_active_at = $4, updated_at = $4, version = version + 1
         WHERE id = $1",
        link.user_id,
        name.as_str(),
        hash.as_str(),
        now
    )
    .execute(change.conn())
    .await
    .context("setting the invited user's password")?;
    sqlx::query!(
        "UPDATE invitations SET accepted_at = $2 WHERE id = $1",
        link.invitation_id,
        now
    )
    .execute(change.conn())
    .await
    .context("using up the invitation")?;
    let session = sessions::start(change.conn(), link.user_id, request, now).await?;
    change
        .record(
            Action::InviteAccepted,
            Some(link.user_id),
            serde_json::json!({ "name_changed": name.as_str() != link.name }),
        )
        .await?;
    change.commit().await?;
    Ok(session)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_works_only_while_open_unexpired_at_its_address_and_its_user_lives() {
        let now = Utc::now();
        let open = LinkState {
            accepted: false,
            revoked: false,
            user_gone: false,
            readdressed: false,
            expires_at: now + TimeDelta::days(1),
        };
        let with = |change: fn(&mut LinkState)| {
            let mut link = open;
            change(&mut link);
            classify(&link, now)
        };
        assert_eq!(classify(&open, now), Ok(()));
        assert_eq!(
            with(|l| l.expires_at = Utc::now() - TimeDelta::seconds(1)),
            Err(DeadLink::Expired)
        );
        assert_eq!(with(|l| l.accepted = true), Err(DeadLink::Used));
        assert_eq!(with(|l| l.revoked = true), Err(DeadLink::Revoked));
        assert_eq!(
            with(|l| {
                l.revoked = true;
                l.readdressed = true;
            }),
            Err(DeadLink::Readdressed)
        );
        assert_eq!(
            with(|l| {
                l.accepted = true;
                l.user_gone = true;
            }),
            Err(DeadLink::UserDeleted)
        );
    }
}
