//! The hourly purge: each kind of row goes once past its retention, and
//! nothing still in use goes with it.

use chrono::TimeDelta;
use server::purge_jobs::{purge, Purged, Retention};
use uuid::Uuid;

use crate::helpers::TestApp;

#[tokio::test]
async fn rows_past_their_retention_go_and_nothing_else() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let now = app.clock.now();
    let user: Uuid = sqlx::query_scalar("SELECT id FROM users")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let long_ago = now - TimeDelta::days(400);
    let token = |n: u8| vec![n; 32];
    // Sessions: one revoked long ago, one revoked yesterday, the Owner's
    // live one from setup.
    for (n, revoked) in [(1, long_ago), (2, now - TimeDelta::days(1))] {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, revoked_at) VALUES ($1, $2, $3, $3, $3)")
            .bind(token(n))
            .bind(user)
            .bind(revoked)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    for (n, expires) in [(3, long_ago), (4, now + TimeDelta::minutes(30))] {
        sqlx::query("INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $3)")
            .bind(user)
            .bind(token(n))
            .bind(expires)
            .execute(&app.pool)
            .await
            .unwrap();
        sqlx::query("INSERT INTO two_factor_challenges (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $3)")
            .bind(token(n))
            .bind(user)
            .bind(expires)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    for (n, sent, dead) in [
        (5, Some(long_ago), None),
        (6, None, Some(long_ago)),
        (7, Some(now - TimeDelta::days(2)), None),
        (8, None, None),
    ] {
        sqlx::query("INSERT INTO outbox_emails (message_id, to_address, subject, body_text, body_html, sent_at, dead_at) VALUES ($1, 'a@example.com', 's', 't', 'h', $2, $3)")
            .bind(format!("<purge-{n}@roster.test>"))
            .bind(sent)
            .bind(dead)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    for created in [
        now - Retention::IDEMPOTENCY_KEYS - TimeDelta::minutes(1),
        now,
    ] {
        sqlx::query("INSERT INTO user_creations (account_id, created_by, idempotency_key, user_id, created_at) SELECT account_id, id, $2, id, $3 FROM users WHERE id = $1")
            .bind(user)
            .bind(Uuid::new_v4())
            .bind(created)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    for started in [now - TimeDelta::hours(2), now] {
        sqlx::query("INSERT INTO rate_limit_windows (action, client, started_at, requests) VALUES ('sign_in', $1, $2, 3)")
            .bind(started.to_rfc3339())
            .bind(started)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    // Access tokens: one expired two days ago, one live.
    let made_app: Uuid = sqlx::query_scalar(
        "INSERT INTO oauth_apps (user_id, name, redirect_url, client_id, secret_hash, created_at)
         VALUES ($1, 'App', 'https://example.com/cb', 'app_purge', $2, $3) RETURNING id",
    )
    .bind(user)
    .bind(token(9))
    .bind(now)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    for (n, expires) in [
        (10, now - TimeDelta::days(2)),
        (11, now + TimeDelta::days(2)),
    ] {
        sqlx::query("INSERT INTO oauth_tokens (app_id, user_id, access_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $4)")
            .bind(made_app)
            .bind(user)
            .bind(token(n))
            .bind(expires)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    // A code and a refresh token of an authorization: one of each expired
    // two days ago, one live.
    let authorization: Uuid = sqlx::query_scalar(
        "INSERT INTO authorized_apps (user_id, app_id, authorized_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(user)
    .bind(made_app)
    .bind(now)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    for (n, expires) in [
        (12, now - TimeDelta::days(2)),
        (13, now + TimeDelta::minutes(5)),
    ] {
        sqlx::query("INSERT INTO oauth_codes (authorization_id, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $3)")
            .bind(authorization)
            .bind(token(n))
            .bind(expires)
            .execute(&app.pool)
            .await
            .unwrap();
        sqlx::query("INSERT INTO oauth_refresh_tokens (authorization_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $3)")
            .bind(authorization)
            .bind(token(n + 10))
            .bind(expires)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    // Invite from CSV's files: one uploaded eight days ago, one today.
    for uploaded in [now - TimeDelta::days(8), now] {
        sqlx::query(
            "INSERT INTO csv_invites (id, account_id, uploaded_by, file_name, content, row_count, uploaded_at)
             SELECT gen_random_uuid(), account_id, id, 'people.csv', 'name,email', 0, $2 FROM users WHERE id = $1",
        )
        .bind(user)
        .bind(uploaded)
        .execute(&app.pool)
        .await
        .unwrap();
    }
    let sessions = app.count("sessions").await;
    let emails = app.count("outbox_emails").await;

    let settings = test_settings(&app);
    let purged = purge(&app.pool, &settings, now).await.unwrap();
    assert_eq!(
        purged,
        Purged {
            sessions: 1,
            reset_links: 1,
            challenges: 1,
            emails: 2,
            idempotency_keys: 1,
            limit_windows: 1,
            access_tokens: 1,
            grants: 2,
            csv_files: 1,
        }
    );
    assert_eq!(app.count("sessions").await, sessions - 1);
    assert_eq!(app.count("outbox_emails").await, emails - 2);
    assert_eq!(app.count("csv_invites").await, 1);
    assert_eq!(
        purge(&app.pool, &settings, now).await.unwrap(),
        Purged::default(),
        "a second run finds nothing"
    );
    // The Owner is still signed in.
    assert_eq!(app.get("/manage/users").await.status(), 200);
}

fn test_settings(app: &TestApp) -> app::state::Settings {
    app::state::Settings {
        public_url: app::public_url::PublicUrl::parse(&app.address).unwrap(),
        session_idle_timeout: std::time::Duration::from_secs(12 * 3600),
        session_absolute_timeout: std::time::Duration::from_secs(7 * 24 * 3600),
        clock: app.clock.clone(),
        encryption_key: app::crypto::EncryptionKey::generate(),
        trusted_proxies: Default::default(),
        request_limits: Default::default(),
    }
}
