//! `server restore-user --email <address>` (or `--id <uuid>`): the operator
//! brings back a deleted user. Admins have no such control. The user
//! returns with their role, inboxes, teams and profile, but with no
//! sessions, keys or apps, and without a password: they get back in with an
//! invitation or a password reset.

use anyhow::{bail, Context as _};
use sqlx::PgPool;
use uuid::Uuid;

/// Which deleted user to restore.
pub enum Whom {
    Email(String),
    Id(Uuid),
}

pub struct Restored {
    pub name: String,
    pub email: String,
}

pub async fn run(pool: &PgPool, whom: Whom) -> anyhow::Result<Restored> {
    let mut tx = pool.begin().await.context("starting a restore")?;
    let user = match &whom {
        Whom::Email(email) => sqlx::query!(
            "SELECT id, account_id, name, email FROM users
             WHERE lower(email) = lower($1) AND deleted_at IS NOT NULL
             ORDER BY deleted_at DESC LIMIT 1 FOR UPDATE",
            email.trim()
        )
        .fetch_optional(&mut *tx)
        .await
        .map(|row| row.map(|r| (r.id, r.account_id, r.name, r.email))),
        Whom::Id(id) => sqlx::query!(
            "SELECT id, account_id, name, email FROM users WHERE id = $1 AND deleted_at IS NOT NULL FOR UPDATE",
            id
        )
        .fetch_optional(&mut *tx)
        .await
        .map(|row| row.map(|r| (r.id, r.account_id, r.name, r.email))),
    }
    .context("finding the deleted user")?;
    let Some((id, account_id, name, email)) = user else {
        match whom {
            Whom::Email(email) => bail!("no deleted user has the email address {email:?}"),
            Whom::Id(id) => bail!("no deleted user has the id {id}"),
        }
    };
    let taken = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower($1) AND deleted_at IS NULL) AS "taken!""#,
        email
    )
    .fetch_one(&mut *tx)
    .await
    .context("checking the email address")?;
    if taken {
        bail!(
            "a live user already has the email address {email}; change or delete that user first"
        );
    }
    sqlx::query!(
        "UPDATE users SET deleted_at = NULL, password_hash = NULL, failed_login_attempts = 0,
                locked_at = NULL, version = version + 1, updated_at = now()
         WHERE id = $1",
        id
    )
    .execute(&mut *tx)
    .await
    .context("restoring the user")?;
    // Whatever of their conversations the job had not moved yet stays theirs.
    sqlx::query!(
        "UPDATE user_deletions SET finished_at = now(), leased_until = NULL
         WHERE user_id = $1 AND finished_at IS NULL AND kind = 'deletion'",
        id
    )
    .execute(&mut *tx)
    .await
    .context("stopping the deletion job")?;
    sqlx::query!(
        "INSERT INTO audit_events (account_id, actor_user_id, target_user_id, action, details)
         VALUES ($1, NULL, $2, $3, $4)",
        account_id,
        id,
        app::audit::Action::UserRestored.as_str(),
        serde_json::json!({ "by": "operator", "email": email })
    )
    .execute(&mut *tx)
    .await
    .context("auditing the restore")?;
    tx.commit().await.context("committing the restore")?;
    Ok(Restored { name, email })
}
