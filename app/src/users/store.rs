use anyhow::Context as _;
use sqlx::PgPool;
use uuid::Uuid;

use super::{Billing, UserRow, UserStatus, UsersPage, UsersQuery, PAGE_SIZE};
use crate::domain::Role;

/// One page of live users of `account_id`: two queries whatever the page.
pub async fn list(
    pool: &PgPool,
    account_id: Uuid,
    query: &UsersQuery,
) -> anyhow::Result<UsersPage> {
    let pattern = format!("%{}%", escape_like(&query.search.to_lowercase()));
    let direction = if query.descending { "desc" } else { "asc" };
    let rows = sqlx::query!(
        r#"
        SELECT u.id, u.name, u.email, u.role, u.last_active_at,
               (u.password_hash IS NOT NULL) AS "has_password!",
               (u.locked_at IS NOT NULL) AS "locked!",
               (SELECT count(*) FROM user_inboxes ui WHERE ui.user_id = u.id) AS "inbox_count!",
               count(*) OVER () AS "matching!"
        FROM users u
        WHERE u.account_id = $1 AND u.deleted_at IS NULL
          AND ($2 = '%%' OR lower(u.name) LIKE $2 OR lower(u.email) LIKE $2)
        ORDER BY
          CASE WHEN $3 = 'name' AND $4 = 'asc' THEN lower(u.name) END ASC,
          CASE WHEN $3 = 'name' AND $4 = 'desc' THEN lower(u.name) END DESC,
          CASE WHEN $3 = 'email' AND $4 = 'asc' THEN lower(u.email) END ASC,
          CASE WHEN $3 = 'email' AND $4 = 'desc' THEN lower(u.email) END DESC,
          CASE WHEN $3 = 'role' AND $4 = 'asc' THEN u.role END ASC,
          CASE WHEN $3 = 'role' AND $4 = 'desc' THEN u.role END DESC,
          CASE WHEN $3 = 'last_active' AND $4 = 'asc' THEN u.last_active_at END ASC NULLS FIRST,
          CASE WHEN $3 = 'last_active' AND $4 = 'desc' THEN u.last_active_at END DESC NULLS LAST,
          lower(u.name), u.id
        LIMIT $5 OFFSET $6
        "#,
        account_id,
        pattern,
        query.sort.as_str(),
        direction,
        PAGE_SIZE,
        (query.page - 1) * PAGE_SIZE,
    )
    .fetch_all(pool)
    .await
    .context("listing users")?;
    let billing = sqlx::query!(
        r#"SELECT a.price_per_user_cents::bigint AS "price!",
                  (SELECT count(*) FROM users u WHERE u.account_id = a.id AND u.deleted_at IS NULL) AS "billable!"
           FROM accounts a WHERE a.id = $1"#,
        account_id
    )
    .fetch_one(pool)
    .await
    .context("counting billable users")?;

    let matching = rows.first().map_or(0, |row| row.matching);
    let rows = rows
        .into_iter()
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
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(UsersPage {
        rows,
        matching,
        page_count: ((matching + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        billing: Billing {
            billable_users: billing.billable,
            price_per_user_cents: billing.price,
        },
    })
}

/// Makes `%` and `_` in a search match themselves.
fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
