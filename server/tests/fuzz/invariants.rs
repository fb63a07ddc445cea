//! What must hold in the database whatever requests came before, each a
//! query that lists what breaks it.

use sqlx::PgPool;

const CHECKS: &[(&str, &str)] = &[
    (
        "live email used twice in one account (any letter case)",
        "SELECT account_id::text || ' ' || lower(email) FROM users
         WHERE deleted_at IS NULL GROUP BY account_id, lower(email) HAVING count(*) > 1",
    ),
    (
        "more than one live Owner, or none",
        "SELECT a.id::text || ': ' || count(u.id) FROM accounts a
         LEFT JOIN users u ON u.account_id = a.id AND u.role = 'owner' AND u.deleted_at IS NULL
         GROUP BY a.id HAVING count(u.id) <> 1",
    ),
    (
        "user without the audit event that created them",
        "SELECT u.id::text || ' ' || u.email FROM users u
         WHERE NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.target_user_id = u.id
                           AND e.action IN ('account.created', 'user.created'))",
    ),
    (
        "deleted user without the audit event of their deletion",
        "SELECT u.id::text FROM users u WHERE u.deleted_at IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.target_user_id = u.id AND e.action = 'user.deleted')",
    ),
    (
        "deactivated user without the audit event of their deactivation",
        "SELECT u.id::text FROM users u WHERE u.deactivated_at IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.target_user_id = u.id AND e.action = 'user.deactivated')",
    ),
    (
        "an account's kept counts of live and deactivated users are not the counts",
        "SELECT a.id::text FROM accounts a
         WHERE a.live_users <> (SELECT count(*) FROM users u WHERE u.account_id = a.id
                                AND u.deleted_at IS NULL AND u.deactivated_at IS NULL)
            OR a.deactivated_users <> (SELECT count(*) FROM users u WHERE u.account_id = a.id
                                       AND u.deleted_at IS NULL AND u.deactivated_at IS NOT NULL)",
    ),
    (
        "invitation without its email in the outbox",
        "SELECT i.id::text || ' to ' || i.sent_to FROM invitations i JOIN users u ON u.id = i.user_id
         WHERE NOT EXISTS (SELECT 1 FROM outbox_emails o WHERE o.account_id = u.account_id
                           AND lower(o.to_address) = lower(i.sent_to))",
    ),
    (
        "invitation without the audit event that sent it",
        "SELECT i.id::text FROM invitations i
         WHERE NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.target_user_id = i.user_id
                           AND e.action IN ('invite.sent', 'invite.resent'))",
    ),
    (
        "user created with inboxes who has fewer inbox rows (never changed since)",
        "SELECT u.id::text FROM users u JOIN audit_events e ON e.target_user_id = u.id AND e.action = 'user.created'
         WHERE u.deleted_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM audit_events c WHERE c.target_user_id = u.id
                           AND c.action = 'profile.inbox_access_changed')
           AND (SELECT count(*) FROM user_inboxes ui WHERE ui.user_id = u.id) < (e.details->>'inboxes')::bigint",
    ),
    (
        "row of a user in another account",
        "SELECT ui.user_id::text FROM user_inboxes ui JOIN users u ON u.id = ui.user_id
         JOIN inboxes i ON i.id = ui.inbox_id WHERE i.account_id <> u.account_id",
    ),
];

/// Every broken invariant, as "what: which rows"; empty when all hold.
pub async fn check(pool: &PgPool) -> Vec<String> {
    let mut broken = Vec::new();
    for (what, query) in CHECKS {
        let rows: Vec<String> = sqlx::query_scalar(query).fetch_all(pool).await.unwrap();
        if !rows.is_empty() {
            broken.push(format!("{what}: {}", rows.join(", ")));
        }
    }
    broken.extend(control_characters(pool).await);
    broken
}

/// Text from a request is parsed before it is stored: no text column holds
/// NUL-like control characters (line breaks and tabs aside, which a reason
/// may have). The emails Roster writes itself are left out.
async fn control_characters(pool: &PgPool) -> Vec<String> {
    let columns: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_schema = 'public' AND data_type IN ('text', 'character varying')
           AND table_name NOT IN ('outbox_emails', '_sqlx_migrations')",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut broken = Vec::new();
    for (table, column) in columns {
        let query = format!(r#"SELECT count(*) FROM "{table}" WHERE "{column}" ~ '[--]'"#);
        let found: i64 = sqlx::query_scalar(&query).fetch_one(pool).await.unwrap();
        if found > 0 {
            broken.push(format!(
                "text stored with control characters: {table}.{column} in {found} rows"
            ));
        }
    }
    broken
}
