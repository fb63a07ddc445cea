use anyhow::Context as _;
use sqlx::PgPool;
use uuid::Uuid;

use super::{UserRow, UserStatus};
use crate::domain::Role;

/// Live users of `account_id`, by name.
pub async fn list(pool: &PgPool, account_id: Uuid) -> anyhow::Result<Vec<UserRow>> {
    let rows = sqlx::query!(
        r#"
        SELECT u.id, u.name, u.email, u.role, u.last_active_at,
               (u.password_hash IS NOT NULL) AS "has_password!",
               (u.locked_at IS NOT NULL) AS "locked!",
               (SELECT count(*) FROM user_inboxes ui WHERE ui.user_id = u.id) AS "inbox_count!"
        FROM users u
        WHERE u.account_id = $1 AND u.deleted_at IS NULL
        ORDER BY lower(u.name), u.id
        "#,
        account_id
    )
    .fetch_all(pool)
    .await
    .context("listing users")?;
    rows.into_iter()
        .map(|row| {
            let status = if row.locked {
                UserStatus::Locked
            } else if row.has_password {
                UserStatus::Active
            } else {
                UserStatus::InviteNotYetSent
            };
            Ok(UserRow {
                id: row.id,
                role: Role::parse(&row.role)
                    .map_err(|_| anyhow::anyhow!("unknown role {:?}", row.role))?,
                name: row.name,
                email: row.email,
                inbox_count: row.inbox_count,
                status,
                last_active_at: row.last_active_at,
            })
        })
        .collect()
}
