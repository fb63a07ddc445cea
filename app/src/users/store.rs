use anyhow::Context as _;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::{
    assignable_roles, AddUserOptions, Billing, InboxChoice, SortKey, UserRow, UserStatus,
    UsersPage, UsersQuery, PAGE_SIZE,
};
use crate::{
    domain::{Plan, Role},
    session::Viewer,
};

/// A row of the users table as the page query returns it.
#[derive(sqlx::FromRow)]
struct ListedUser {
    id: Uuid,
    name: String,
    email: String,
    role: String,
    last_active_at: Option<DateTime<Utc>>,
    has_password: bool,
    locked: bool,
    inbox_count: i64,
    invite_expires_at: Option<DateTime<Utc>>,
    photo: Option<String>,
}

/// `ORDER BY` for a sort, from a closed set of columns (never from input),
/// each served by an index in its direction.
fn order_by(sort: SortKey, descending: bool) -> &'static str {
    match (sort, descending) {
        (SortKey::Name, false) => "lower(u.name), u.id",
        (SortKey::Name, true) => "lower(u.name) DESC, u.id DESC",
        (SortKey::Email, false) => "lower(u.email), u.id",
        (SortKey::Email, true) => "lower(u.email) DESC, u.id DESC",
        (SortKey::Role, false) => "u.role, lower(u.name), u.id",
        (SortKey::Role, true) => "u.role DESC, lower(u.name) DESC, u.id DESC",
        (SortKey::LastActive, false) => "u.last_active_at ASC NULLS FIRST, u.id",
        (SortKey::LastActive, true) => "u.last_active_at DESC NULLS LAST, u.id DESC",
    }
}

/// One page of live users of the viewer's account, with the billing line and
/// what Add User offers: three queries (four with a search) whatever the page.
pub async fn list(
    pool: &PgPool,
    viewer: &Viewer,
    query: &UsersQuery,
    now: DateTime<Utc>,
) -> anyhow::Result<UsersPage> {
    let account_id = viewer.account_id;
    let searching = !query.search.is_empty();
    let pattern = format!("%{}%", escape_like(&query.search.to_lowercase()));
    let filter = if searching {
        "AND u.search_key LIKE $4"
    } else {
        ""
    };
    let order = order_by(query.sort, query.descending);
    // The page's ids come from an index walk in the sort's order; the
    // per-row details are read for those 50 rows only.
    let sql = format!(
        "WITH page AS (
             SELECT u.id FROM users u
             WHERE u.account_id = $1 AND u.deleted_at IS NULL {filter}
             ORDER BY {order} LIMIT $2 OFFSET $3
         )
         SELECT u.id, u.name, u.email, u.role, u.last_active_at,
                (u.password_hash IS NOT NULL) AS has_password,
                (u.locked_at IS NOT NULL) AS locked,
                (SELECT count(*) FROM user_inboxes ui WHERE ui.user_id = u.id) AS inbox_count,
                (SELECT i.expires_at FROM invitations i
                 WHERE i.user_id = u.id AND i.accepted_at IS NULL AND i.revoked_at IS NULL) AS invite_expires_at,
                p.etag AS photo
         FROM page JOIN users u ON u.id = page.id
         LEFT JOIN user_photos p ON p.user_id = u.id
         ORDER BY {order}"
    );
    let mut rows = sqlx::query_as::<_, ListedUser>(&sql)
        .bind(account_id)
        .bind(PAGE_SIZE)
        .bind((query.page - 1) * PAGE_SIZE);
    if searching {
        rows = rows.bind(&pattern);
    }
    let rows = rows.fetch_all(pool).await.context("listing users")?;
    let account = sqlx::query!(
        r#"SELECT a.price_per_user_cents::bigint AS "price!", a.plan,
                  (SELECT count(*) FROM users u WHERE u.account_id = a.id AND u.deleted_at IS NULL) AS "billable!"
           FROM accounts a WHERE a.id = $1"#,
        account_id
    )
    .fetch_one(pool)
    .await
    .context("counting billable users")?;
    let matching = if searching {
        sqlx::query_scalar!(
            r#"SELECT count(*) AS "count!" FROM users u
               WHERE u.account_id = $1 AND u.deleted_at IS NULL AND u.search_key LIKE $2"#,
            account_id,
            pattern
        )
        .fetch_one(pool)
        .await
        .context("counting matching users")?
    } else {
        account.billable
    };
    let inboxes = sqlx::query_as!(
        InboxChoice,
        "SELECT id, name, email FROM inboxes WHERE account_id = $1 ORDER BY lower(name), id",
        account_id
    )
    .fetch_all(pool)
    .await
    .context("listing inboxes")?;

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
                photo: row.photo,
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

/// Words for the notice after an action on `user_id` (a deleted user only
/// for "deleted").
pub async fn notice(
    pool: &PgPool,
    account_id: Uuid,
    done: &str,
    user_id: Uuid,
) -> anyhow::Result<Option<String>> {
    let user = sqlx::query!(
        r#"SELECT name, EXISTS (SELECT 1 FROM invitations i WHERE i.user_id = u.id) AS "invited!"
           FROM users u WHERE id = $1 AND account_id = $2 AND (deleted_at IS NULL) = ($3 <> 'deleted')"#,
        user_id,
        account_id,
        done
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
            "deleted" => format!("{name} was deleted. Their conversations are being moved in the background."),
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
