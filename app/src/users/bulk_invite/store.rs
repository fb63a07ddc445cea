//! Invite from CSV in PostgreSQL: the uploaded file kept for its check and
//! Create, and Create itself (every user of the file in one transaction).

use std::collections::HashSet;

use anyhow::Context as _;
use uuid::Uuid;

use super::{file, rows, CheckedFile, CheckedRow, Finished};
use crate::{
    change::Change,
    request::RequestInfo,
    session::Viewer,
    state::AppState,
    users::{admin_actions, store::plan_for_change, InboxChoice, UsersError},
};

/// Keeps an uploaded file (already read: `text` is its UTF-8 content) for
/// its check; returns its id.
pub async fn keep(
    state: &AppState,
    viewer: &Viewer,
    file_name: &str,
    text: &str,
    row_count: usize,
) -> anyhow::Result<Uuid> {
    let id = Uuid::new_v4();
    sqlx::query!(
        "INSERT INTO csv_invites (id, account_id, uploaded_by, file_name, content, row_count, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        id,
        viewer.account_id,
        viewer.user_id,
        file_name,
        text,
        i32::try_from(row_count).unwrap_or(i32::MAX),
        state.now()
    )
    .execute(&state.pool)
    .await
    .context("keeping an uploaded CSV file")?;
    Ok(id)
}

struct Kept {
    file_name: String,
    content: String,
    finished_at: Option<chrono::DateTime<chrono::Utc>>,
    outcome: Option<serde_json::Value>,
}

/// The file `id` as the page shows it: once finished, each row as Create
/// found it; before, each row checked against the account as it is now.
pub async fn checked(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
) -> Result<CheckedFile, UsersError> {
    let mut conn = state.pool.acquire().await.context("opening a CSV file")?;
    let kept = find(&mut conn, viewer, id, false).await?;
    let (rows, finished) = match (kept.finished_at, kept.outcome) {
        (Some(at), Some(outcome)) => {
            let rows: Vec<CheckedRow> =
                serde_json::from_value(outcome).context("reading a CSV file's outcome")?;
            let created = rows.iter().filter(|row| row.problems.is_empty()).count();
            let finished = Finished {
                created: count(created),
                left_out: count(rows.len() - created),
                at: viewer.local_time().format(at),
            };
            (rows, Some(finished))
        }
        _ => {
            let checked = check(&mut conn, viewer, &kept.content).await?;
            (checked.into_iter().map(|(row, _)| row).collect(), None)
        }
    };
    Ok(CheckedFile {
        id,
        file_name: kept.file_name,
        ready: rows.iter().filter(|row| row.problems.is_empty()).count(),
        rows,
        finished,
    })
}

/// Creates every row of file `id` that passes the check now, each with
/// their invite, and marks the file finished, all in one transaction. A
/// file already finished is left as it is: a second press creates nobody.
pub async fn create(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    request: &RequestInfo,
) -> Result<(), UsersError> {
    let mut change = Change::begin(
        state,
        viewer.account_id,
        Some(viewer.user_id),
        request,
        "Invite from CSV",
    )
    .await?;
    let kept = find(change.conn(), viewer, id, true).await?;
    if kept.finished_at.is_some() {
        return Ok(());
    }
    let checked = check(change.conn(), viewer, &kept.content).await?;
    for (index, (row, user)) in checked.iter().enumerate() {
        let Some(user) = user else { continue };
        // Each row's own key: what Add User keeps to answer a repeat.
        let key = Uuid::from_u128(id.as_u128().wrapping_add(index as u128 + 1));
        match admin_actions::insert_user(&mut change, state, viewer, user, key).await {
            Ok(_) => {}
            Err(UsersError::Duplicate(_)) => {
                return Err(UsersError::Conflict {
                    message: format!(
                        "Someone added {} (line {}) since the file was checked, so nobody was created. Check the file again.",
                        row.email, row.line
                    ),
                })
            }
            Err(error) => return Err(error),
        }
    }
    let outcome: Vec<&CheckedRow> = checked.iter().map(|(row, _)| row).collect();
    sqlx::query!(
        "UPDATE csv_invites SET finished_at = $2, outcome = $3 WHERE id = $1",
        id,
        change.now,
        serde_json::to_value(&outcome).context("writing a CSV file's outcome")?
    )
    .execute(change.conn())
    .await
    .context("finishing a CSV file")?;
    change.commit().await?;
    Ok(())
}

/// The viewer's own file `id` in their account (locked for Create when
/// `lock`); another admin's file, or one purged, is not found.
async fn find(
    conn: &mut sqlx::PgConnection,
    viewer: &Viewer,
    id: Uuid,
    lock: bool,
) -> Result<Kept, UsersError> {
    let row = if lock {
        sqlx::query_as!(
            Kept,
            "SELECT file_name, content, finished_at, outcome FROM csv_invites
             WHERE id = $1 AND account_id = $2 AND uploaded_by = $3 FOR UPDATE",
            id,
            viewer.account_id,
            viewer.user_id
        )
        .fetch_optional(conn)
        .await
    } else {
        sqlx::query_as!(
            Kept,
            "SELECT file_name, content, finished_at, outcome FROM csv_invites
             WHERE id = $1 AND account_id = $2 AND uploaded_by = $3",
            id,
            viewer.account_id,
            viewer.user_id
        )
        .fetch_optional(conn)
        .await
    };
    row.context("reading a CSV file")?
        .ok_or(UsersError::FileNotFound)
}

/// Each row of `content`, checked against the account as it is now.
async fn check(
    conn: &mut sqlx::PgConnection,
    viewer: &Viewer,
    content: &str,
) -> Result<Vec<(CheckedRow, Option<crate::users::NewUser>)>, UsersError> {
    // It was read when uploaded; a file that no longer reads is not found.
    let file_rows = file::read(content.as_bytes()).map_err(|_| UsersError::FileNotFound)?;
    let plan = plan_for_change(&mut *conn, viewer.account_id).await?;
    let inboxes = sqlx::query_as!(
        InboxChoice,
        "SELECT id, name, email FROM inboxes WHERE account_id = $1",
        viewer.account_id
    )
    .fetch_all(&mut *conn)
    .await
    .context("reading the account's inboxes")?;
    let addresses: Vec<String> = file_rows
        .iter()
        .filter_map(|row| crate::domain::Email::parse(&row.email).ok())
        .map(|email| email.as_str().to_lowercase())
        .collect();
    let taken: HashSet<String> = sqlx::query_scalar!(
        r#"SELECT lower(email) AS "email!" FROM users
           WHERE lower(email) = ANY($1) AND deleted_at IS NULL"#,
        &addresses
    )
    .fetch_all(&mut *conn)
    .await
    .context("finding addresses already in use")?
    .into_iter()
    .collect();
    Ok(rows::check(
        &file_rows,
        &rows::Account {
            plan,
            inboxes: &inboxes,
            taken: &taken,
        },
    ))
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}
