use anyhow::Context as _;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::{
    assignable_roles, AddUserOptions, Billing, InboxChoice, UserRow, UserStatus, UsersPage,
    UsersQuery, PAGE_SIZE,
};
use crate::{
    domain::{Plan, Role},
    session::Viewer,
};

/// One page of live users of the viewer's account, with the billing line and
/// what Add User offers: three queries whatever the page.
pub async fn list(
    pool: &PgPool,
    viewer: &Viewer,
    query: &UsersQuery,
    now: DateTime<Utc>,
) -> anyhow::Result<UsersPage> {
    let account_id = viewer.account_id;
    let pattern = format!("%{}%", escape_like(&query.search.to_lowercase()));
    let direction = if query.descending { "desc" } else { "asc" };
    // The page's 50 ids first (one sort of the matching rows), then their
    // details: the per-row counts run for 50 rows, not for every match.
    let rows = sqlx::query!(
        r#"
        WITH page AS (
            SELECT u.id, u.name, u.email, u.role, u.last_active_at,
                   (u.password_hash IS NOT NULL) AS has_password,
                   (u.locked_at IS NOT NULL) AS locked
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
        )
        SELECT p.id AS "id!", p.name AS "name!", p.email AS "email!", p.role AS "role!",
               p.last_active_at, p.has_password AS "has_password!", p.locked AS "locked!",
               (SELECT count(*) FROM user_inboxes ui WHERE ui.user_id = p.id) AS "inbox_count!",
               (SELECT i.expires_at FROM invitations i
                WHERE i.user_id = p.id AND i.accepted_at IS NULL AND i.revoked_at IS NULL) AS invite_expires_at
        FROM page p
        ORDER BY
          CASE WHEN $3 = 'name' AND $4 = 'asc' THEN lower(p.name) END ASC,
          CASE WHEN $3 = 'name' AND $4 = 'desc' THEN lower(p.name) END DESC,
          CASE WHEN $3 = 'email' AND $4 = 'asc' THEN lower(p.email) END ASC,
          CASE WHEN $3 = 'email' AND $4 = 'desc' THEN lower(p.email) END DESC,
          CASE WHEN $3 = 'role' AND $4 = 'asc' THEN p.role END ASC,
          CASE WHEN $3 = 'role' AND $4 = 'desc' THEN p.role END DESC,
          CASE WHEN $3 = 'last_active' AND $4 = 'asc' THEN p.last_active_at END ASC NULLS FIRST,
          CASE WHEN $3 = 'last_active' AND $4 = 'desc' THEN p.last_active_at END DESC NULLS LAST,
          lower(p.name), p.id
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
    let account = sqlx::query!(
        r#"SELECT a.price_per_user_cents::bigint AS "price!", a.plan,
                  (SELECT count(*) FROM users u WHERE u.account_id = a.id AND u.deleted_at IS NULL
                     AND ($2 = '%%' OR lower(u.name) LIKE $2 OR lower(u.email) LIKE $2)) AS "matching!",
                  (SELECT count(*) FROM users u WHERE u.account_id = a.id AND u.deleted_at IS NULL) AS "billable!"
           FROM accounts a WHERE a.id = $1"#,
        account_id,
        pattern
    )
    .fetch_one(pool)
    .await
    .context("counting billable users")?;
    let inboxes = sqlx::query_as!(
        InboxChoice,
        "SELECT id, name, email FROM inboxes WHERE account_id = $1 ORDER BY lower(name), id",
        account_id
    )
    .fetch_all(pool)
    .await
    .context("listing inboxes")?;

    let matching = account.matching;
    let rows = rows
        .into_iter()
        .map(|row| {
            let status = UserStatus::of(row.locked, row.has_password, row.invite_expires_at, now);
            let role = Role::parse(&row.role)
                .map_err(|_| anyhow::anyhow!("unknown role {:?}", row.role))?;
            Ok(UserRow {
                id: row.id,
                manageable: role != Role::Owner || viewer.role == Role::Owner,
                role,
                invite_expires_at: row.invite_expires_at,
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
            billable_users: account.billable,
            price_per_user_cents: account.price,
        },
        add_user: AddUserOptions {
            roles: assignable_roles(Plan::from_stored(&account.plan)),
            inboxes,
            request_key: Uuid::new_v4(),
        },
        notice: None,
    })
}

/// Words for the notice after an action on `user_id`, if they are still here.
pub async fn notice(
    pool: &PgPool,
    account_id: Uuid,
    done: &str,
    user_id: Uuid,
) -> anyhow::Result<Option<String>> {
    let user = sqlx::query!(
        r#"SELECT name, EXISTS (SELECT 1 FROM invitations i WHERE i.user_id = u.id) AS "invited!"
           FROM users u WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL"#,
        user_id,
        account_id
    )
    .fetch_optional(pool)
    .await
    .context("naming a user for a notice")?;
    Ok(user.and_then(|user| {
        let name = user.name;
        Some(match done {
            "added" if user.invited => format!("{name} was added. An invite email is on its way."),
            "added" => format!("{name} was added. Send them an invite email when you're ready: they can't sign in until they accept it."),
            "invited" => format!("An invite email is on its way to {name}. Any earlier invite link no longer works."),
            "reset" => format!("We've emailed {name} a link to reset their password."),
            _ => return None,
        })
    }))
}

/// Makes `%` and `_` in a search match themselves.
fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// The account's plan, which decides the roles Add User offers.
pub async fn plan(pool: &PgPool, account_id: Uuid) -> anyhow::Result<Plan> {
    let plan = sqlx::query_scalar!("SELECT plan FROM accounts WHERE id = $1", account_id)
        .fetch_one(pool)
        .await
        .context("reading the account's plan")?;
    Ok(Plan::from_stored(&plan))
}
