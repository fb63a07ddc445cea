//! `server seed-demo --users N`: a demo account with N users in every state
//! the users table shows (active, invited, invite expired, not yet invited,
//! locked), with inboxes and teams; with `--conversations M`, M
//! conversations spread over the inboxes and the active users (one in ten
//! Unassigned), each with the customer's message and a reply, and a few
//! workflows, two of which assign to a user. Rows go in batches; a progress
//! bar on stderr shows how far it is.

use anyhow::Context as _;
use chrono::Utc;
use sqlx::PgPool;
use uuid::Uuid;

mod batch;
mod progress;

use batch::Batch;
use progress::Progress;

const BATCH: usize = 1_000;
const CONVERSATION_BATCH: usize = 10_000;
const FIRST_NAMES: [&str; 16] = [
    "Ada",
    "Grace",
    "Alan",
    "Edsger",
    "Barbara",
    "Donald",
    "Frances",
    "John",
    "Katherine",
    "Linus",
    "Margaret",
    "Niklaus",
    "Radia",
    "Ken",
    "Shafi",
    "Tim",
];
const LAST_NAMES: [&str; 16] = [
    "Lovelace",
    "Hopper",
    "Turing",
    "Dijkstra",
    "Liskov",
    "Knuth",
    "Allen",
    "Backus",
    "Johnson",
    "Torvalds",
    "Hamilton",
    "Wirth",
    "Perlman",
    "Thompson",
    "Goldwasser",
    "Berners-Lee",
];
const INBOXES: [&str; 5] = ["Support", "Sales", "Billing", "Partners", "Press"];
const TEAMS: [&str; 4] = ["Tier 1", "Tier 2", "Escalations", "Night shift"];

/// What was created, to sign in and look.
pub struct Seeded {
    pub account_name: String,
    pub owner_email: String,
    pub users: usize,
    pub conversations: usize,
}

pub async fn run(
    pool: &PgPool,
    users: usize,
    conversations: usize,
    owner_password: &str,
) -> anyhow::Result<Seeded> {
    let suffix = &Uuid::new_v4().simple().to_string()[..6];
    let domain = format!("demo-{suffix}.example");
    let account_name = format!("Demo Co {suffix}");
    let owner_email = format!("owner@{domain}");
    let password = app::domain::Password::parse(
        owner_password,
        &app::domain::PasswordContext {
            email: Some(&owner_email),
            account_name: Some(&account_name),
        },
    )
    .map_err(|error| anyhow::anyhow!("--owner-password: {error}"))?;
    // Every active demo user shares the Owner's password: one hash, not N.
    let hash = app::crypto::password_hash::hash(&Default::default(), password).await?;
    let now = Utc::now();

    let mut tx = pool.begin().await.context("starting the demo account")?;
    let account_id = sqlx::query_scalar!(
        "INSERT INTO accounts (name, plan) VALUES ($1, 'pro') RETURNING id",
        account_name
    )
    .fetch_one(&mut *tx)
    .await
    .context("creating the demo account")?;
    let owner_id = sqlx::query_scalar!(
        "INSERT INTO users (account_id, name, email, role, password_hash, last_active_at)
         VALUES ($1, 'Demo Owner', $2, 'owner', $3, $4) RETURNING id",
        account_id,
        owner_email,
        hash.as_str(),
        now
    )
    .fetch_one(&mut *tx)
    .await
    .context("creating the demo Owner")?;
    let inbox_ids = insert_named(&mut tx, "inboxes", account_id, &INBOXES, &domain).await?;
    let team_ids = insert_named(&mut tx, "teams", account_id, &TEAMS, &domain).await?;
    tx.commit().await.context("committing the demo account")?;

    let mut progress = Progress::new("users", users);
    for start in (0..users).step_by(BATCH) {
        let batch = Batch::generate(
            start..(start + BATCH).min(users),
            &domain,
            &inbox_ids,
            &team_ids,
        );
        batch
            .insert(pool, account_id, owner_id, hash.as_str(), now)
            .await?;
        progress.advance(batch.ids.len());
    }
    progress.finish();
    let mut progress = Progress::new("conversations", conversations);
    for start in (0..conversations).step_by(CONVERSATION_BATCH) {
        let end = (start + CONVERSATION_BATCH).min(conversations);
        insert_conversations(pool, account_id, start as i64, end as i64).await?;
        progress.advance(end - start);
    }
    progress.finish();
    insert_workflows(pool, account_id).await?;
    // Fresh statistics and visibility map, as autovacuum would give them
    // later: without them the planner picks poor plans for a bulk load.
    sqlx::query(
        "VACUUM (ANALYZE) users, user_inboxes, invitations, team_members, conversations, conversation_threads",
    )
        .execute(pool)
        .await
        .context("analysing the demo data")?;
    Ok(Seeded {
        account_name,
        owner_email,
        users,
        conversations,
    })
}

/// Conversations `start..end` of the account: inboxes in turn, the active
/// non-Light users in turn (every tenth Unassigned), statuses in turn.
async fn insert_conversations(
    pool: &PgPool,
    account_id: Uuid,
    start: i64,
    end: i64,
) -> anyhow::Result<()> {
    sqlx::query!(
        "WITH agents AS (
             SELECT array_agg(id ORDER BY id) AS ids FROM users
             WHERE account_id = $1 AND deleted_at IS NULL AND role <> 'light_user' AND password_hash IS NOT NULL),
         boxes AS (SELECT array_agg(id ORDER BY id) AS ids FROM inboxes WHERE account_id = $1),
         made AS (
             INSERT INTO conversations (account_id, inbox_id, subject, customer_email, status, assignee_id, created_at, updated_at)
             SELECT $1, boxes.ids[1 + g % cardinality(boxes.ids)], 'Question #' || g, 'customer' || g || '@example.com',
                    (ARRAY['active', 'pending', 'closed'])[1 + g % 3],
                    CASE WHEN g % 10 = 0 THEN NULL ELSE agents.ids[1 + g % cardinality(agents.ids)] END,
                    now() - make_interval(mins => g::int), now() - make_interval(mins => g::int)
             FROM generate_series($2::bigint, $3::bigint - 1) AS g, agents, boxes
             RETURNING id, assignee_id)
         INSERT INTO conversation_threads (conversation_id, kind, author_id, body)
         SELECT id, 'customer', NULL, 'Hello, I need a hand with my order.' FROM made
         UNION ALL
         SELECT id, 'reply', assignee_id, 'Thanks for writing in: on it.' FROM made WHERE assignee_id IS NOT NULL",
        account_id,
        start,
        end
    )
    .execute(pool)
    .await
    .context("adding demo conversations")?;
    Ok(())
}

/// A few workflows; the first two assign to an active user.
async fn insert_workflows(pool: &PgPool, account_id: Uuid) -> anyhow::Result<()> {
    sqlx::query!(
        r#"WITH agents AS (
               SELECT id, row_number() OVER (ORDER BY id) AS n FROM users
               WHERE account_id = $1 AND deleted_at IS NULL AND role <> 'light_user'
                 AND password_hash IS NOT NULL AND role <> 'owner'
               ORDER BY id LIMIT 2)
           INSERT INTO workflows (account_id, name, conditions, actions)
           SELECT $1, 'Route VIP customers to agent ' || n,
                  '[{"field": "customer", "is": "vip"}]'::jsonb,
                  jsonb_build_array(jsonb_build_object('type', 'assign', 'user_id', id::text))
           FROM agents
           UNION ALL
           SELECT $1, name, '[]'::jsonb, '[{"type": "add_tag", "tag": "triage"}]'::jsonb
           FROM unnest(ARRAY['Tag new conversations', 'Close spam']) AS name"#,
        account_id
    )
    .execute(pool)
    .await
    .context("adding demo workflows")?;
    Ok(())
}

async fn insert_named(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    table: &str,
    account_id: Uuid,
    names: &[&str],
    domain: &str,
) -> anyhow::Result<Vec<Uuid>> {
    let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    let ids = if table == "inboxes" {
        let emails: Vec<String> = names
            .iter()
            .map(|n| format!("{}@{domain}", n.to_lowercase()))
            .collect();
        sqlx::query_scalar!(
            "INSERT INTO inboxes (account_id, name, email) SELECT $1, * FROM unnest($2::text[], $3::text[]) RETURNING id",
            account_id,
            &names,
            &emails
        )
        .fetch_all(&mut **tx)
        .await
    } else {
        sqlx::query_scalar!(
            "INSERT INTO teams (account_id, name) SELECT $1, * FROM unnest($2::text[]) RETURNING id",
            account_id,
            &names
        )
        .fetch_all(&mut **tx)
        .await
    };
    ids.with_context(|| format!("creating demo {table}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_mixes_every_state() {
        let inboxes = [Uuid::new_v4(), Uuid::new_v4()];
        let teams = [Uuid::new_v4()];
        let batch = Batch::generate(0..100, "demo.example", &inboxes, &teams);
        assert_eq!(batch.ids.len(), 100);
        assert_eq!(batch.active.iter().filter(|a| **a).count(), 70);
        assert_eq!(batch.locked.iter().filter(|l| **l).count(), 1);
        assert_eq!(batch.invited.len(), 15);
        assert_eq!(
            batch.invite_expires_days.iter().filter(|d| **d < 0).count(),
            5
        );
        let unique: std::collections::HashSet<_> = batch.emails.iter().collect();
        assert_eq!(unique.len(), 100);
        assert_eq!(batch.inbox_users.len(), batch.inbox_ids.len());
    }
}
