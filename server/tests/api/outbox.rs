//! The outbox worker against a real SMTP sink: SMTP down then up, two
//! workers at once, a lease left by a killed process.

use std::time::Duration;

use server::outbox::{deliver_due, Mailer};
use uuid::Uuid;

use crate::helpers::{emails_to, fresh_database, unique_email};

fn mailer(url: &str) -> Mailer {
    Mailer::new(url, "Roster <roster@roster.test>").unwrap()
}

fn sink() -> Mailer {
    mailer(
        &std::env::var("ROSTER_TEST_SMTP_URL").unwrap_or_else(|_| "smtp://127.0.0.1:2526".into()),
    )
}

/// A port nothing listens on: SMTP is down.
async fn down() -> Mailer {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    mailer(&format!("smtp://127.0.0.1:{port}"))
}

async fn queue(pool: &sqlx::PgPool, to: &str) {
    sqlx::query(
        "INSERT INTO outbox_emails (message_id, to_address, subject, body_text, body_html)
         VALUES ($1, $2, 'Outbox test', 'plain', '<p>html</p>')",
    )
    .bind(format!("<{}@roster.test>", Uuid::new_v4().simple()))
    .bind(to)
    .execute(pool)
    .await
    .unwrap();
}

#[tokio::test]
async fn smtp_down_then_up_delivers_each_email_exactly_once() {
    let (_, pool) = fresh_database().await;
    let addresses: Vec<String> = (0..3).map(|_| unique_email("outbox")).collect();
    for to in &addresses {
        queue(&pool, to).await;
    }

    assert_eq!(deliver_due(&pool, &down().await).await.unwrap(), 3);
    let failed: Vec<(i32, Option<String>, bool)> =
        sqlx::query_as("SELECT attempts, last_error, next_attempt_at > now() FROM outbox_emails")
            .fetch_all(&pool)
            .await
            .unwrap();
    for (attempts, error, later) in failed {
        assert_eq!(attempts, 1);
        let error = error.expect("the error is kept");
        assert!(
            error.starts_with("Roster could not connect to the mail server"),
            "in plain words: {error}"
        );
        assert!(later, "retried later, with backoff");
    }
    assert_eq!(deliver_due(&pool, &sink()).await.unwrap(), 0, "not due yet");

    sqlx::query("UPDATE outbox_emails SET next_attempt_at = now()")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(deliver_due(&pool, &sink()).await.unwrap(), 3);
    assert_eq!(
        deliver_due(&pool, &sink()).await.unwrap(),
        0,
        "sent rows stay sent"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    for to in &addresses {
        assert_eq!(emails_to(to, 1).await.len(), 1, "{to}");
    }
}

#[tokio::test]
async fn two_workers_never_send_the_same_row() {
    let (_, pool) = fresh_database().await;
    let addresses: Vec<String> = (0..20).map(|_| unique_email("pair")).collect();
    for to in &addresses {
        queue(&pool, to).await;
    }
    let (a, b) = (sink(), sink());
    let mut total = 0;
    loop {
        let (x, y) = tokio::join!(deliver_due(&pool, &a), deliver_due(&pool, &b));
        let sent = x.unwrap() + y.unwrap();
        if sent == 0 {
            break;
        }
        total += sent;
    }
    assert_eq!(total, 20);
    tokio::time::sleep(Duration::from_millis(500)).await;
    for to in &addresses {
        assert_eq!(emails_to(to, 1).await.len(), 1, "{to}");
    }
}

#[tokio::test]
async fn a_lease_left_by_a_killed_worker_runs_out_and_the_row_is_sent() {
    let (_, pool) = fresh_database().await;
    let to = unique_email("lease");
    queue(&pool, &to).await;
    // A worker leased the row and died before recording the send.
    sqlx::query("UPDATE outbox_emails SET leased_until = now() + interval '1 hour'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        deliver_due(&pool, &sink()).await.unwrap(),
        0,
        "leased rows are left alone"
    );
    sqlx::query("UPDATE outbox_emails SET leased_until = now() - interval '1 second'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(deliver_due(&pool, &sink()).await.unwrap(), 1);
    assert_eq!(emails_to(&to, 1).await.len(), 1);
    let sent: bool = sqlx::query_scalar(
        "SELECT sent_at IS NOT NULL AND leased_until IS NULL FROM outbox_emails",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(sent);
}
