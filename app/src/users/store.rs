use anyhow::Context as _;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::{
    assignable_roles, AddUserOptions, Billing, Boundary, InboxChoice, SortKey, UserRow, UserStatus,
    UsersPage, UsersQuery, PAGE_SIZE,
};
use crate::{
    domain::{built_in_defaults, Permission, Plan, Role},
    invitations::{InviteDelivery, OutboxState},
    session::Viewer,
};

/// The columns a sort orders by, ending with the id so that every row has
/// its own place; from a closed set (never from input), each served by an
/// index. Keyset paging compares rows of these.
fn sort_key(sort: SortKey) -> &'static [&'static str] {
    match sort {
        SortKey::Name => &["lower(u.name)", "u.id"],
        SortKey::Email => &["lower(u.email)", "u.id"],
        SortKey::Role => &["u.role", "lower(u.name)", "u.id"],
        SortKey::LastActive => &[
            "coalesce(u.last_active_at, '-infinity'::timestamptz)",
            "u.id",
        ],
    }
}

/// `ORDER BY` for a sort key in one direction.
fn order_by(sort: SortKey, descending: bool) -> String {
    let direction = if descending { " DESC" } else { "" };
    sort_key(sort)
        .iter()
        .map(|column| format!("{column}{direction}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How the page's rows are found: each walks the sort's index from one end
/// or from a user, so that the first page, the last and every page reached
/// by Next or Previous cost the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Walk {
    /// Skip this many rows from the start (a bookmarked page in the first half).
    FromStart {
        skip: i64,
    },
    /// Take `take` rows after skipping `skip` from the end (the last page,
    /// or a bookmarked page in the second half).
    FromEnd {
        skip: i64,
        take: i64,
    },
    After(Uuid),
    Before(Uuid),
}

impl Walk {
    fn plan(query: &UsersQuery, matching: Option<i64>) -> Self {
        let skip = (query.page - 1) * PAGE_SIZE;
        match (query.from, matching) {
            (Some(Boundary::After(id)), _) => Walk::After(id),
            (Some(Boundary::Before(id)), _) => Walk::Before(id),
            (None, Some(total)) if skip > 0 && skip >= total / 2 && skip < total => {
                let end = (skip + PAGE_SIZE).min(total);
                Walk::FromEnd {
                    skip: total - end,
                    take: end - skip,
                }
            }
            (None, _) => Walk::FromStart { skip },
        }
    }

    /// Whether the index is walked against the sort's direction.
    fn backwards(self) -> bool {
        matches!(self, Walk::FromEnd { .. } | Walk::Before(_))
    }
}

/// A row of the users table as the page query returns it.
#[derive(sqlx::FromRow)]
struct ListedUser {
    id: Uuid,
    name: String,
    email: String,
    role: Role,
    last_active_at: Option<DateTime<Utc>>,
    has_password: bool,
    locked: bool,
    deactivated: bool,
    inbox_count: i64,
    invite_expires_at: Option<DateTime<Utc>>,
    /// The open invitation's channel (`email` or `link`) and when it was made.
    invite_channel: Option<String>,
    invite_created_at: Option<DateTime<Utc>>,
    /// Its email's row in the outbox, when emailed and still kept.
    invite_attempts: Option<i32>,
    invite_sent_at: Option<DateTime<Utc>>,
    invite_error: Option<String>,
    invite_dead: Option<bool>,
    /// The latest invitation was revoked by an admin.
    invite_revoked: Option<bool>,
    photo: Option<String>,
    /// Their role must use two-factor authentication and they have not set it up.
    two_factor_missing: bool,
    /// Users matching the search or permission (only counted when filtering).
    matching: Option<i64>,
}

/// One page of live users of the viewer's account, with the billing line and
/// what Add User offers: two statements whatever the page (one for the
/// account, its user count and inboxes; one for the rows, which also counts
/// the matches of a search).
pub async fn list(
    pool: &PgPool,
    viewer: &Viewer,
    query: &UsersQuery,
    now: DateTime<Utc>,
) -> anyhow::Result<UsersPage> {
    let account_id = viewer.account_id;
    let account = sqlx::query!(
        r#"SELECT a.price_per_user_cents::bigint AS "price!", a.plan AS "plan: Plan", a.live_users::bigint AS "live_users!",
                  a.deactivated_users::bigint AS "deactivated_users!", a.two_factor_required_roles,
                  coalesce((SELECT json_agg(json_build_object('id', i.id, 'name', i.name, 'email', i.email)
                                            ORDER BY lower(i.name), i.id)
                            FROM inboxes i WHERE i.account_id = a.id), '[]') AS "inboxes!"
           FROM accounts a WHERE a.id = $1"#,
        account_id
    )
    .fetch_one(pool)
    .await
    .context("reading the account's user count and inboxes")?;
    let inboxes: Vec<InboxChoice> =
        serde_json::from_value(account.inboxes).context("reading the account's inboxes")?;

    // A search or a permission picks rows the kept counts do not count.
    let filtering = query.filters();
    // Everyone the table lists: live users, and deactivated ones when asked.
    let listed = if query.show_deactivated {
        account.live_users + account.deactivated_users
    } else {
        account.live_users
    };
    let walk = Walk::plan(query, (!filtering).then_some(listed));
    let required = &account.two_factor_required_roles;
    let mut rows = page_rows(pool, account_id, query, walk, account.plan, required).await?;
    // A user to walk from that is gone, or nothing before them: the page
    // is found by its number instead.
    let short = match walk {
        Walk::After(_) => rows.is_empty(),
        Walk::Before(_) => (rows.len() as i64) < PAGE_SIZE,
        _ => false,
    };
    if short {
        let by_number = UsersQuery {
            from: None,
            ..query.clone()
        };
        let walk = Walk::plan(&by_number, (!filtering).then_some(listed));
        rows = page_rows(pool, account_id, &by_number, walk, account.plan, required).await?;
    }
    let matching = if filtering {
        match rows.first() {
            Some(row) => row.matching.unwrap_or_default(),
            None => 0,
        }
    } else {
        listed
    };

    let local = viewer.local_time();
    let rows = rows
        .into_iter()
        .map(|row| {
            let status = UserStatus::of(
                row.deactivated,
                row.locked,
                row.has_password,
                row.invite_expires_at,
                row.invite_revoked.unwrap_or(false),
                now,
            );
            let delivery = row
                .invite_channel
                .as_deref()
                .zip(row.invite_created_at)
                .and_then(|(channel, created_at)| {
                    let outbox = row.invite_attempts.map(|attempts| OutboxState {
                        sent_at: row.invite_sent_at,
                        attempts,
                        last_error: row.invite_error.clone(),
                        dead: row.invite_dead.unwrap_or(false),
                    });
                    InviteDelivery::of(channel, created_at, outbox.as_ref(), &local)
                });
            UserRow {
                id: row.id,
                // Someone still to join sets it up as they first sign in.
                lacks_two_factor: row.two_factor_missing
                    && matches!(status, UserStatus::Active | UserStatus::Locked),
                invite_delivery: matches!(status, UserStatus::Invited | UserStatus::InviteExpired)
                    .then_some(delivery)
                    .flatten(),
                manageable: row.role != Role::Owner || viewer.role == Role::Owner,
                role: row.role,
                invite_expires: row.invite_expires_at.map(|at| local.format(at)),
                invite_expires_at: row.invite_expires_at,
                name: row.name,
                email: row.email,
                inbox_count: row.inbox_count,
                status,
                last_active: row.last_active_at.map(|at| local.format(at)),
                last_active_at: row.last_active_at,
                photo: row.photo,
            }
        })
        .collect();
    Ok(UsersPage {
        rows,
        matching,
        page_count: ((matching + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        billing: Billing {
            billable_users: account.live_users,
            deactivated_users: account.deactivated_users,
            price_per_user_cents: account.price,
        },
        add_user: AddUserOptions {
            roles: assignable_roles(account.plan),
            inboxes,
            request_key: Uuid::new_v4(),
        },
        notice: None,
        copied_link: None,
    })
}

/// The page's rows: the ids come from a walk of the sort's index (from an
/// end, or from a user with a row comparison on the sort key); the per-row
/// details are read for those rows only, then put in the sort's order.
async fn page_rows(
    pool: &PgPool,
    account_id: Uuid,
    query: &UsersQuery,
    walk: Walk,
    plan: Plan,
    // The roles that must use two-factor (read with the account, $7).
    two_factor_roles: &[String],
) -> anyhow::Result<Vec<ListedUser>> {
    let searching = !query.search.is_empty();
    let pattern = format!("%{}%", escape_like(&query.search.to_lowercase()));
    let key = sort_key(query.sort);
    let walk_descending = query.descending != walk.backwards();
    let (limit, offset) = match walk {
        Walk::FromStart { skip } => (PAGE_SIZE, skip),
        Walk::FromEnd { skip, take } => (take, skip),
        Walk::After(_) | Walk::Before(_) => (PAGE_SIZE, 0),
    };
    // The user walked from, as a one-row table of their sort key.
    let (boundary_table, boundary) = match walk {
        Walk::After(_) | Walk::Before(_) => {
            let columns: Vec<String> = key
                .iter()
                .enumerate()
                .map(|(i, column)| format!("{column} AS k{i}"))
                .collect();
            let values: Vec<String> = (0..key.len()).map(|i| format!("b.k{i}")).collect();
            (
                format!(
                    "boundary AS MATERIALIZED (SELECT {} FROM users u WHERE u.id = $5 AND u.account_id = $1),",
                    columns.join(", ")
                ),
                format!(
                    "AND ({}) {} ({})",
                    key.join(", "),
                    if walk_descending { "<" } else { ">" },
                    values.join(", ")
                ),
            )
        }
        _ => (String::new(), String::new()),
    };
    let from_boundary = if boundary.is_empty() {
        ""
    } else {
        ", boundary b"
    };
    let searched = if searching {
        "AND u.search_key LIKE $4"
    } else {
        "AND $4 = ''"
    };
    // A user's permissions as `domain::permissions::effective` works them
    // out: the Owner has all; on Standard the role's built-in defaults; on
    // Plus and Pro their custom set, else the account's for the role, else
    // the built-in ones ($10–$12 for Administrator, User, Light User).
    let permitted = if query.permission.is_some() {
        let built_in = "(CASE u.role WHEN 'administrator' THEN $10::text[]
                         WHEN 'user' THEN $11::text[] ELSE $12::text[] END)";
        format!(
            "AND (u.role = 'owner' OR $8 = ANY(CASE WHEN NOT $9 THEN {built_in}
                  ELSE coalesce(u.custom_permissions,
                                (SELECT rp.permissions FROM role_permissions rp
                                 WHERE rp.account_id = u.account_id AND rp.role = u.role),
                                {built_in}) END))"
        )
    } else {
        String::new()
    };
    let filter = format!("{searched} AND ($6 OR u.deactivated_at IS NULL) {permitted}");
    let matching = if query.filters() {
        format!(
            "(SELECT count(*) FROM users u WHERE u.account_id = $1 AND u.deleted_at IS NULL {filter})"
        )
    } else {
        "NULL::bigint".to_owned()
    };
    let walk_order = order_by(query.sort, walk_descending);
    let order = order_by(query.sort, query.descending);
    let sql = format!(
        "WITH {boundary_table} page AS (
             SELECT u.id FROM users u{from_boundary}
             WHERE u.account_id = $1 AND u.deleted_at IS NULL {filter} {boundary}
             ORDER BY {walk_order} LIMIT $2 OFFSET $3
         )
         SELECT u.id, u.name, u.email, u.role, u.last_active_at,
                (u.password_hash IS NOT NULL) AS has_password,
                (u.locked_at IS NOT NULL) AS locked,
                (u.deactivated_at IS NOT NULL) AS deactivated,
                (SELECT count(*) FROM user_inboxes ui WHERE ui.user_id = u.id) AS inbox_count,
                inv.expires_at AS invite_expires_at, inv.channel AS invite_channel,
                inv.created_at AS invite_created_at, inv.attempts AS invite_attempts,
                inv.sent_at AS invite_sent_at, inv.last_error AS invite_error,
                (inv.dead_at IS NOT NULL) AS invite_dead,
                (SELECT i.revoked_by IS NOT NULL FROM invitations i
                 WHERE i.user_id = u.id ORDER BY i.created_at DESC LIMIT 1) AS invite_revoked,
                p.etag AS photo,
                (u.role = ANY($7::text[])
                 AND NOT EXISTS (SELECT 1 FROM two_factor t
                                 WHERE t.user_id = u.id AND t.enabled_at IS NOT NULL)) AS two_factor_missing,
                {matching} AS matching
         FROM page JOIN users u ON u.id = page.id
         LEFT JOIN user_photos p ON p.user_id = u.id
         -- The open invitation (at most one) and its email's progress.
         LEFT JOIN LATERAL (
             SELECT i.expires_at, i.channel, i.created_at, e.attempts, e.sent_at, e.last_error, e.dead_at
             FROM invitations i LEFT JOIN outbox_emails e ON e.id = i.email_id
             WHERE i.user_id = u.id AND i.accepted_at IS NULL AND i.revoked_at IS NULL
         ) inv ON true
         ORDER BY {order}"
    );
    let from = match walk {
        Walk::After(id) | Walk::Before(id) => Some(id),
        _ => None,
    };
    let mut rows = sqlx::query_as::<_, ListedUser>(&sql)
        .bind(account_id)
        .bind(limit)
        .bind(offset)
        .bind(if searching { pattern.as_str() } else { "" })
        .bind(from)
        .bind(query.show_deactivated)
        .bind(two_factor_roles);
    if let Some(permission) = query.permission {
        let built_in = |role| Permission::stored_set(&built_in_defaults(role));
        rows = rows
            .bind(permission.as_str())
            .bind(plan.allows_feature_permissions())
            .bind(built_in(Role::Administrator))
            .bind(built_in(Role::User))
            .bind(built_in(Role::LightUser));
    }
    rows.fetch_all(pool).await.context("listing users")
}

/// Words for the notice after an action on `user_id` (a deleted user only
/// for "deleted").
pub async fn notice(
    pool: &PgPool,
    account_id: Uuid,
    done: super::notice::Done,
    user_id: Uuid,
) -> anyhow::Result<Option<String>> {
    let user = sqlx::query!(
        r#"SELECT name, EXISTS (SELECT 1 FROM invitations i WHERE i.user_id = u.id) AS "invited!"
           FROM users u WHERE id = $1 AND account_id = $2 AND (deleted_at IS NOT NULL) = $3"#,
        user_id,
        account_id,
        done == super::notice::Done::Deleted
    )
    .fetch_optional(pool)
    .await
    .context("naming a user for a notice")?;
    Ok(user.map(|user| done.notice(&user.name, user.invited)))
}

/// Makes `%` and `_` in a search match themselves.
fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// The account's plan, which decides the roles Add User offers.
/// The account's plan for a change that depends on it: the row is share-
/// locked, so a plan change waits for the change (and the other way round).
pub async fn plan_for_change(
    conn: &mut sqlx::PgConnection,
    account_id: Uuid,
) -> anyhow::Result<Plan> {
    sqlx::query_scalar!(
        r#"SELECT plan AS "plan: Plan" FROM accounts WHERE id = $1 FOR SHARE"#,
        account_id
    )
    .fetch_one(conn)
    .await
    .context("reading the plan")
}

pub async fn plan(pool: &PgPool, account_id: Uuid) -> anyhow::Result<Plan> {
    sqlx::query_scalar!(
        r#"SELECT plan AS "plan: Plan" FROM accounts WHERE id = $1"#,
        account_id
    )
    .fetch_one(pool)
    .await
    .context("reading the account's plan")
}
