use anyhow::Context as _;
use sqlx::PgPool;
use uuid::Uuid;

use super::{ConversationRow, InboxSummary, InboxView, PAGE_SIZE};
use crate::session::Viewer;

/// The inboxes the viewer sees: all of them for the Owner and
/// Administrators, their own for everyone else.
pub async fn inboxes(pool: &PgPool, viewer: &Viewer) -> anyhow::Result<Vec<InboxSummary>> {
    sqlx::query_as!(
        InboxSummary,
        r#"SELECT i.id, i.name, i.email,
                  (SELECT count(*) FROM conversations c WHERE c.inbox_id = i.id) AS "conversations!"
           FROM inboxes i
           WHERE i.account_id = $1
             AND ($2 OR EXISTS (SELECT 1 FROM user_inboxes ui WHERE ui.inbox_id = i.id AND ui.user_id = $3))
           ORDER BY lower(i.name), i.id"#,
        viewer.account_id,
        viewer.role.manages_users(),
        viewer.user_id
    )
    .fetch_all(pool)
    .await
    .context("listing inboxes")
}

/// One inbox the viewer sees, with its latest conversations.
pub async fn inbox(
    pool: &PgPool,
    viewer: &Viewer,
    inbox_id: Uuid,
) -> anyhow::Result<Option<InboxView>> {
    let Some(inbox) = inboxes(pool, viewer)
        .await?
        .into_iter()
        .find(|inbox| inbox.id == inbox_id)
    else {
        return Ok(None);
    };
    let conversations = sqlx::query_as!(
        ConversationRow,
        r#"SELECT c.id, c.subject, c.customer_email, c.status, u.name AS "assignee?", c.updated_at
           FROM conversations c LEFT JOIN users u ON u.id = c.assignee_id
           WHERE c.inbox_id = $1
           ORDER BY c.updated_at DESC, c.id LIMIT $2"#,
        inbox_id,
        PAGE_SIZE
    )
    .fetch_all(pool)
    .await
    .context("listing conversations")?;
    Ok(Some(InboxView {
        name: inbox.name,
        total: inbox.conversations,
        conversations,
    }))
}
