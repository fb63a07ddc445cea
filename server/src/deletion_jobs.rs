//! The job that follows a user's deletion: their conversations become
//! Unassigned (or, when open and a teammate was named, the teammate's), in
//! batches walked by key. The same job follows a change to Light User (who
//! can't be assigned conversations): their open conversations become
//! Unassigned, while they remain a Light User. Each batch and the job's progress commit
//! together, with the job row locked, so a restart or a kill at any point
//! resumes without applying anything twice, and two servers never work on
//! the same job at once.

use std::time::Duration;

use anyhow::Context as _;
use sqlx::PgPool;
use uuid::Uuid;

/// Conversations moved per transaction.
pub const BATCH: i64 = 500;
const IDLE_POLL: Duration = Duration::from_secs(1);
/// How long a server owns a job between batches before another may take it.
const LEASE_SECS: f64 = 60.0;

/// Runs the job loop until the process ends.
pub fn spawn(pool: PgPool) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match run_next(&pool, BATCH).await {
                Ok(true) => {}
                Ok(false) => tokio::time::sleep(IDLE_POLL).await,
                Err(error) => {
                    tracing::error!(error = %format!("{error:#}"), "deletion job failed");
                    tokio::time::sleep(IDLE_POLL * 5).await;
                }
            }
        }
    })
}

/// Takes the oldest unfinished job nobody holds and runs it to the end.
/// Returns whether there was one.
pub async fn run_next(pool: &PgPool, batch: i64) -> anyhow::Result<bool> {
    let Some(job) = lease(pool).await? else {
        return Ok(false);
    };
    while step(pool, job, batch).await? == Step::Moved {}
    Ok(true)
}

async fn lease(pool: &PgPool) -> anyhow::Result<Option<Uuid>> {
    sqlx::query_scalar!(
        "UPDATE user_deletions SET leased_until = now() + make_interval(secs => $1)
         WHERE id = (SELECT id FROM user_deletions
                     WHERE finished_at IS NULL AND (leased_until IS NULL OR leased_until < now())
                     ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING id",
        LEASE_SECS
    )
    .fetch_optional(pool)
    .await
    .context("leasing a deletion job")
}

#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    /// A batch was moved; there may be more.
    Moved,
    /// Nothing was left: the job is finished.
    Finished,
    /// Someone else holds or finished the job.
    NotOurs,
}

/// Moves one batch of the job's conversations and records it, in one
/// transaction with the job row locked.
pub async fn step(pool: &PgPool, job_id: Uuid, batch: i64) -> anyhow::Result<Step> {
    let mut tx = pool.begin().await.context("starting a deletion batch")?;
    let Some(job) = sqlx::query!(
        "SELECT account_id, user_id, reassign_to, conversations_done, conversations_total,
                kind = 'light_user' AS \"light_user!\"
         FROM user_deletions WHERE id = $1 AND finished_at IS NULL FOR UPDATE SKIP LOCKED",
        job_id
    )
    .fetch_optional(&mut *tx)
    .await
    .context("locking a deletion job")?
    else {
        return Ok(Step::NotOurs);
    };
    let moved = sqlx::query_scalar!(
        "WITH batch AS (
             SELECT id, status FROM conversations WHERE assignee_id = $1
               -- A Light User keeps their closed conversations, and a
               -- role changed back ends the job.
               AND (NOT $4 OR (status <> 'closed'
                               AND (SELECT role FROM users WHERE id = $1) = 'light_user'))
             ORDER BY id LIMIT $3 FOR UPDATE)
         UPDATE conversations c
         SET assignee_id = CASE WHEN batch.status <> 'closed' THEN $2::uuid END, updated_at = now()
         FROM batch WHERE c.id = batch.id
         RETURNING c.id",
        job.user_id,
        job.reassign_to,
        batch,
        job.light_user
    )
    .fetch_all(&mut *tx)
    .await
    .context("moving conversations")?
    .len() as i64;
    let done = job.conversations_done + moved;
    if moved > 0 {
        sqlx::query!(
            "UPDATE user_deletions SET conversations_done = $2,
                    leased_until = now() + make_interval(secs => $3)
             WHERE id = $1",
            job_id,
            done,
            LEASE_SECS
        )
        .execute(&mut *tx)
        .await
        .context("recording progress")?;
        tx.commit().await.context("committing a deletion batch")?;
        tracing::info!(%job_id, done, total = job.conversations_total, "moving a deleted user's conversations");
        return Ok(Step::Moved);
    }
    sqlx::query!(
        "UPDATE user_deletions SET finished_at = now(), leased_until = NULL WHERE id = $1",
        job_id
    )
    .execute(&mut *tx)
    .await
    .context("finishing a deletion job")?;
    sqlx::query!(
        "INSERT INTO audit_events (account_id, actor_user_id, target_user_id, action, details)
         VALUES ($1, NULL, $2, $3, $4)",
        job.account_id,
        job.user_id,
        app::audit::Action::ConversationsMoved.as_str(),
        if job.light_user {
            serde_json::json!({ "conversations": done, "light_user": true })
        } else {
            serde_json::json!({ "conversations": done, "reassign_to": job.reassign_to })
        }
    )
    .execute(&mut *tx)
    .await
    .context("auditing a finished deletion job")?;
    tx.commit().await.context("committing a finished job")?;
    tracing::info!(%job_id, done, "a deleted user's conversations are all moved");
    Ok(Step::Finished)
}
