//! Deleting a user: what the one transaction changes, what it refuses, the
//! job that moves their conversations (resumed after a crash, shared by two
//! workers), and the operator's restore.

use uuid::Uuid;

use crate::helpers::{TestApp, OWNER_PASSWORD};
use app::domain::Role;

const REASON: [(&str, &str); 3] = [
    ("reason", "left_company"),
    ("confirm", "on"),
    ("password", OWNER_PASSWORD),
];

struct World {
    user: Uuid,
    user_client: reqwest::Client,
    teammate: Uuid,
    inbox: Uuid,
}

async fn world(app: &TestApp) -> World {
    app.set_up_owner().await;
    let user_client = app.signed_in_as(Role::User).await;
    let user: Uuid = app.id_of(Role::User).await;
    app.signed_in_as(Role::Administrator).await;
    let teammate: Uuid = app.id_of(Role::Administrator).await;
    let inbox: Uuid = sqlx::query_scalar("SELECT id FROM inboxes LIMIT 1")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    World {
        user,
        user_client,
        teammate,
        inbox,
    }
}

/// `open` open and `closed` closed conversations assigned to `assignee`,
/// each with a reply by them.
async fn conversations(app: &TestApp, inbox: Uuid, assignee: Uuid, open: i64, closed: i64) {
    sqlx::query(
        "WITH c AS (
             INSERT INTO conversations (account_id, inbox_id, subject, customer_email, status, assignee_id)
             SELECT i.account_id, i.id, 'Order ' || n, 'customer' || n || '@example.com',
                    CASE WHEN n <= $3 THEN 'active' ELSE 'closed' END, $2
             FROM inboxes i, generate_series(1, $3 + $4) AS n WHERE i.id = $1
             RETURNING id)
         INSERT INTO conversation_threads (conversation_id, kind, author_id, body)
         SELECT id, 'reply', $2, 'On it.' FROM c",
    )
    .bind(inbox)
    .bind(assignee)
    .bind(open)
    .bind(closed)
    .execute(&app.pool)
    .await
    .unwrap();
}

async fn assigned_to(app: &TestApp, user: Option<Uuid>) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM conversations WHERE assignee_id IS NOT DISTINCT FROM $1",
    )
    .bind(user)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

/// The account's kept count of live users (the billing line) is the count.
async fn assert_live_users_counted(app: &TestApp, when: &str) {
    let (kept, counted): (i32, i64) = sqlx::query_as(
        "SELECT a.live_users, (SELECT count(*) FROM users u WHERE u.account_id = a.id
                AND u.deleted_at IS NULL AND u.deactivated_at IS NULL)
         FROM accounts a ORDER BY a.created_at LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(i64::from(kept), counted, "{when}");
}

async fn delete(app: &TestApp, user: Uuid, extra: &[(&str, &str)]) -> reqwest::Response {
    let user = user.to_string();
    let mut form = vec![("user", user.as_str())];
    form.extend_from_slice(extra);
    app.call("/api/users/delete", &form).await
}

#[tokio::test]
async fn deleting_ends_every_credential_deactivates_workflows_and_queues_the_job() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let created = app
        .call_as(
            &w.user_client,
            "/api/credentials/api-key/create",
            &[("user", "")],
        )
        .await;
    assert_eq!(created.status(), 200);
    let app_made = app
        .call_as(
            &w.user_client,
            "/api/credentials/apps/create",
            &[
                ("user", ""),
                ("name", "Sync"),
                ("redirect_url", "https://example.com/cb"),
            ],
        )
        .await;
    assert_eq!(app_made.status(), 200);
    conversations(&app, w.inbox, w.user, 2, 1).await;
    sqlx::query(
        "INSERT INTO workflows (account_id, name, actions)
         SELECT account_id, 'Route VIPs', jsonb_build_array(jsonb_build_object('type', 'assign', 'user_id', $1::text)) FROM users WHERE id = $1
         UNION ALL
         SELECT account_id, 'Tag refunds', '[{\"type\": \"add_tag\", \"tag\": \"refund\"}]' FROM users WHERE id = $1",
    )
    .bind(w.user)
    .execute(&app.pool)
    .await
    .unwrap();

    let preview: serde_json::Value = app
        .call(
            "/api/users/delete/preview",
            &[("user", &w.user.to_string())],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(preview["conversations"], 3);
    assert_eq!(preview["open_conversations"], 2);
    assert_eq!(preview["workflows"], serde_json::json!(["Route VIPs"]));
    assert_eq!(preview["apps"], 1);

    let deleted = delete(&app, w.user, &REASON).await;
    assert_eq!(deleted.status(), 200, "{}", deleted.text().await.unwrap());
    let gone = app
        .call_as(&w.user_client, "/api/credentials/get", &[("user", "")])
        .await;
    assert_eq!(gone.status(), 401, "their session ended at once");
    assert_eq!(app.count("api_keys WHERE revoked_at IS NULL").await, 0);
    assert_eq!(app.count("oauth_apps WHERE deleted_at IS NULL").await, 0);
    assert_eq!(app.count("users WHERE deleted_at IS NOT NULL").await, 1);
    let inactive: (bool, Option<String>) =
        sqlx::query_as("SELECT active, inactive_reason FROM workflows WHERE name = 'Route VIPs'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        inactive,
        (
            false,
            Some("This workflow references a user that has been deleted".into())
        )
    );
    assert_eq!(
        app.count("workflows WHERE active").await,
        1,
        "other workflows untouched"
    );
    let details: serde_json::Value =
        sqlx::query_scalar("SELECT details FROM audit_events WHERE action = 'user.deleted'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(details["reason"], "They left the company");
    assert_eq!(details["conversations"], 3);

    // The job: every conversation Unassigned, replies kept, audited.
    assert_eq!(assigned_to(&app, Some(w.user)).await, 3);
    assert!(server::deletion_jobs::run_next(&app.pool, 2).await.unwrap());
    assert_eq!(assigned_to(&app, Some(w.user)).await, 0);
    assert_eq!(assigned_to(&app, None).await, 3);
    assert_eq!(app.count("conversation_threads").await, 3);
    assert_eq!(
        app.count("user_deletions WHERE finished_at IS NOT NULL AND conversations_done = 3")
            .await,
        1
    );
    assert_eq!(
        app.count("audit_events WHERE action = 'user.conversations_moved'")
            .await,
        1
    );
    assert!(!server::deletion_jobs::run_next(&app.pool, 2).await.unwrap());

    // The table and the bill no longer count them; their address is free.
    let listed: serde_json::Value = app.call("/api/users/list", &[]).await.json().await.unwrap();
    assert!(!listed.to_string().contains(&w.user.to_string()));
}

#[tokio::test]
async fn a_named_teammate_receives_the_open_conversations() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    conversations(&app, w.inbox, w.user, 3, 2).await;
    let teammate = w.teammate.to_string();
    let mut form = REASON.to_vec();
    form.push(("reassign_to", &teammate));
    assert_eq!(delete(&app, w.user, &form).await.status(), 200);
    server::deletion_jobs::run_next(&app.pool, 500)
        .await
        .unwrap();
    assert_eq!(assigned_to(&app, Some(w.teammate)).await, 3);
    assert_eq!(
        assigned_to(&app, None).await,
        2,
        "closed ones are Unassigned"
    );
}

#[tokio::test]
async fn bad_deletes_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let owner: Uuid = app.id_of(Role::Owner).await;
    app.other_account_client().await;
    let stranger: Uuid = sqlx::query_scalar(
        "SELECT u.id FROM users u JOIN accounts a ON a.id = u.account_id WHERE a.name = 'Other Co'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let essay = "x".repeat(10 * 1024);
    let light = app.signed_in_as(Role::LightUser).await;
    type Case<'a> = (Uuid, Vec<(&'a str, &'a str)>, u16);
    let cases: Vec<Case> = vec![
        (owner, REASON.to_vec(), 409),
        (stranger, REASON.to_vec(), 404),
        (w.user, vec![("confirm", "on")], 422),
        (
            w.user,
            vec![
                ("reason", "other"),
                ("other_reason", &essay),
                ("confirm", "on"),
            ],
            422,
        ),
        (w.user, vec![("reason", "left_company")], 422),
        (
            w.user,
            vec![
                ("reason", "left_company"),
                ("confirm", "on"),
                ("reassign_to", "not-a-teammate"),
            ],
            422,
        ),
    ];
    for (target, form, status) in &cases {
        let response = delete(&app, *target, form).await;
        assert_eq!(response.status(), *status, "{form:?}");
    }
    // Nobody deletes themselves; a User or Light User deletes nobody.
    let me = owner.to_string();
    let own = app
        .call(
            "/api/users/delete",
            &[
                ("user", me.as_str()),
                ("reason", "left_company"),
                ("confirm", "on"),
            ],
        )
        .await;
    assert_eq!(own.status(), 409);
    let target = w.user.to_string();
    for client in [&w.user_client, &light] {
        let forged = app
            .call_as(
                client,
                "/api/users/delete",
                &[
                    ("user", target.as_str()),
                    ("reason", "left_company"),
                    ("confirm", "on"),
                ],
            )
            .await;
        assert_eq!(forged.status(), 403);
    }
    assert_eq!(app.count("users WHERE deleted_at IS NOT NULL").await, 0);
    assert_eq!(app.count("user_deletions").await, 0);

    assert_eq!(delete(&app, w.user, &REASON).await.status(), 200);
    assert_eq!(
        delete(&app, w.user, &REASON).await.status(),
        404,
        "already deleted"
    );
}

#[tokio::test]
async fn a_job_killed_mid_way_resumes_and_two_workers_share_one_queue() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    conversations(&app, w.inbox, w.user, 5, 0).await;
    assert_eq!(delete(&app, w.user, &REASON).await.status(), 200);
    let job: Uuid = sqlx::query_scalar("SELECT id FROM user_deletions")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    use server::deletion_jobs::{step, Step};
    assert_eq!(step(&app.pool, job, 2).await.unwrap(), Step::Moved);
    assert_eq!(step(&app.pool, job, 2).await.unwrap(), Step::Moved);
    // The process dies here; its lease runs out; another picks the job up.
    sqlx::query("UPDATE user_deletions SET leased_until = now() - interval '1 second'")
        .execute(&app.pool)
        .await
        .unwrap();
    assert!(server::deletion_jobs::run_next(&app.pool, 2).await.unwrap());
    let done: i64 = sqlx::query_scalar("SELECT conversations_done FROM user_deletions")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(done, 5, "each conversation counted once");
    assert_eq!(assigned_to(&app, None).await, 5);

    // A second deletion with a big backlog, two workers at once.
    let second = app.signed_in_as(Role::User).await;
    drop(second);
    let user2: Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE role = 'user' AND deleted_at IS NULL")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    conversations(&app, w.inbox, user2, 1000, 0).await;
    assert_eq!(delete(&app, user2, &REASON).await.status(), 200);
    let (a, b) = tokio::join!(
        server::deletion_jobs::run_next(&app.pool, 50),
        server::deletion_jobs::run_next(&app.pool, 50)
    );
    assert!(a.unwrap() ^ b.unwrap(), "exactly one worker takes the job");
    assert_eq!(assigned_to(&app, Some(user2)).await, 0);
    let done: i64 =
        sqlx::query_scalar("SELECT conversations_done FROM user_deletions WHERE user_id = $1")
            .bind(user2)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(done, 1000);
}

#[tokio::test]
async fn the_operator_restores_a_user_but_never_over_a_live_address() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let email: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(w.user)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_live_users_counted(&app, "before").await;
    assert_eq!(delete(&app, w.user, &REASON).await.status(), 200);
    assert_live_users_counted(&app, "after a delete").await;

    use server::restore_user::{run, Whom};
    let unknown = run(&app.pool, Whom::Email("nobody@example.com".into())).await;
    assert!(unknown
        .err()
        .unwrap()
        .to_string()
        .contains("no deleted user"));
    let restored = run(&app.pool, Whom::Email(email.to_uppercase()))
        .await
        .unwrap();
    assert_eq!(restored.email, email);
    assert_live_users_counted(&app, "after a restore").await;
    let (deleted, password): (Option<chrono::DateTime<chrono::Utc>>, Option<String>) =
        sqlx::query_as("SELECT deleted_at, password_hash FROM users WHERE id = $1")
            .bind(w.user)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(
        deleted.is_none() && password.is_none(),
        "back, and must set a password"
    );
    assert_eq!(app.count("sessions WHERE revoked_at IS NULL AND user_id IN (SELECT id FROM users WHERE role = 'user')").await, 0);
    assert_eq!(
        app.count("audit_events WHERE action = 'user.restored'")
            .await,
        1
    );

    // Deleted again, and a new user takes the address: a different row, and
    // the old one cannot come back over it.
    assert_eq!(delete(&app, w.user, &REASON).await.status(), 200);
    let created = app.add_user("Test Person", &email, Role::User).await;
    assert_eq!(created.status(), 200, "{}", created.text().await.unwrap());
    assert_eq!(app.count("users WHERE role = 'user'").await, 2);
    assert_live_users_counted(&app, "after a new user took the address").await;
    let over = run(&app.pool, Whom::Id(w.user)).await;
    assert!(over
        .err()
        .unwrap()
        .to_string()
        .contains("already has the email address"));
}

#[tokio::test]
async fn a_delete_racing_an_edit_leaves_a_deleted_user_and_no_error() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let user = w.user.to_string();
    for _ in 0..5 {
        let version: i64 = sqlx::query_scalar("SELECT version FROM users WHERE id = $1")
            .bind(w.user)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        let version = version.to_string();
        let form = [
            ("user", user.as_str()),
            ("auto_bcc", "crm@example.com"),
            ("version", version.as_str()),
        ];
        let edit = app.call("/api/profile/auto-bcc", &form);
        let (edited, deleted) = tokio::join!(edit, delete(&app, w.user, &REASON));
        let deleted = deleted.status().as_u16();
        let edited = edited.status().as_u16();
        assert!(matches!(edited, 200 | 404 | 409), "edit: {edited}");
        assert!(matches!(deleted, 200 | 404), "delete: {deleted}");
        if deleted == 200 {
            break;
        }
    }
    assert_eq!(app.count("users WHERE deleted_at IS NOT NULL").await, 1);
    assert_eq!(app.count("user_deletions").await, 1);
}

/// The message beside `field` in a 422's body.
async fn field_error(response: reqwest::Response, field: &str) -> String {
    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.unwrap();
    let errors = body["Invalid"].as_array().unwrap();
    let (_, message) = errors
        .iter()
        .map(|pair| (pair[0].as_str().unwrap(), pair[1].as_str().unwrap()))
        .find(|(name, _)| *name == field)
        .unwrap_or_else(|| panic!("no error on {field}: {body}"));
    message.to_owned()
}

async fn failed_attempts(app: &TestApp) -> i32 {
    sqlx::query_scalar("SELECT failed_login_attempts FROM users WHERE role = 'owner'")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn deleting_asks_the_acting_admins_password_and_counts_wrong_ones() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let form = |password| {
        [
            ("reason", "left_company"),
            ("confirm", "on"),
            ("password", password),
        ]
    };
    let missing = delete(&app, w.user, &form("")).await;
    assert_eq!(
        field_error(missing, "password").await,
        "Enter your password to confirm."
    );
    assert_eq!(
        failed_attempts(&app).await,
        0,
        "nothing typed, nothing counted"
    );
    let wrong = delete(&app, w.user, &form("not my password at all")).await;
    assert_eq!(
        field_error(wrong, "password").await,
        "That password is not right."
    );
    assert_eq!(
        failed_attempts(&app).await,
        1,
        "a wrong one counts toward the lock"
    );
    assert_eq!(app.count("users WHERE deleted_at IS NOT NULL").await, 0);
    // Nine more lock the account and end the session that was guessing.
    for _ in 0..9 {
        delete(&app, w.user, &form("not my password at all")).await;
    }
    let locked: bool =
        sqlx::query_scalar("SELECT locked_at IS NOT NULL FROM users WHERE role = 'owner'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(locked);
    assert_eq!(
        delete(&app, w.user, &form(OWNER_PASSWORD)).await.status(),
        401
    );
    assert_eq!(app.count("users WHERE deleted_at IS NOT NULL").await, 0);
}

#[tokio::test]
async fn with_two_factor_on_a_code_from_the_app_confirms_a_deletion_too() {
    use app::two_factor::totp;
    use chrono::TimeDelta;

    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let (secret, _) = crate::two_factor::enable(&app, &app.client).await;
    let form = |password| {
        [
            ("reason", "left_company"),
            ("confirm", "on"),
            ("password", password),
        ]
    };
    let passwords_before = failed_attempts(&app).await;
    let wrong = delete(&app, w.user, &form("000000")).await;
    assert!(field_error(wrong, "password")
        .await
        .starts_with("That code is not right."));
    let code_failures: i32 = sqlx::query_scalar("SELECT code_failures FROM two_factor")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(code_failures, 1, "a wrong code counts like one at sign-in");
    assert_eq!(
        failed_attempts(&app).await,
        passwords_before,
        "it was taken for a code, not a password"
    );

    app.clock.advance(TimeDelta::seconds(30));
    let code = totp::code_at(&secret, totp::step_at(app.clock.now()));
    assert_eq!(delete(&app, w.user, &form(&code)).await.status(), 200);
    assert_eq!(app.count("users WHERE deleted_at IS NOT NULL").await, 1);
}

/// Changes `user`'s role as the Owner, ticking the confirmation or not.
async fn make_light_user(app: &TestApp, user: Uuid, confirm: bool) -> reqwest::Response {
    let user = user.to_string();
    let profile: serde_json::Value = app
        .call("/api/profile/get", &[("user", &user)])
        .await
        .json()
        .await
        .unwrap();
    let version = profile["version"].to_string();
    let mut form = vec![
        ("user", user.as_str()),
        ("role", "light_user"),
        ("version", version.as_str()),
    ];
    if confirm {
        form.push(("confirm", "on"));
    }
    app.call("/api/profile/role", &form).await
}

#[tokio::test]
async fn becoming_a_light_user_says_how_many_open_conversations_then_the_job_unassigns_them() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    app.set_plan("plus").await;
    conversations(&app, w.inbox, w.user, 2, 1).await;

    // The Role section and the refusal both say how many.
    let page = app
        .get(&format!("/manage/users/{}/role", w.user))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("their 2 open conversations will become Unassigned"),
        "{page}"
    );
    let unconfirmed = make_light_user(&app, w.user, false).await;
    assert_eq!(unconfirmed.status(), 422);
    let body: serde_json::Value = unconfirmed.json().await.unwrap();
    assert_eq!(body["Invalid"][0][0], "confirm");
    assert!(
        body.to_string()
            .contains("their 2 open conversations will become Unassigned"),
        "{body}"
    );
    assert_eq!(
        assigned_to(&app, Some(w.user)).await,
        3,
        "nothing moved yet"
    );

    assert_eq!(make_light_user(&app, w.user, true).await.status(), 200);
    assert_eq!(
        app.count("user_deletions WHERE kind = 'light_user' AND conversations_total = 2")
            .await,
        1
    );
    assert!(server::deletion_jobs::run_next(&app.pool, 1).await.unwrap());
    // The closed one stays theirs; the open ones are Unassigned.
    assert_eq!(assigned_to(&app, Some(w.user)).await, 1);
    assert_eq!(assigned_to(&app, None).await, 2);
    let details: serde_json::Value = sqlx::query_scalar(
        "SELECT details FROM audit_events WHERE action = 'user.conversations_moved'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(details["conversations"], 2);
    assert_eq!(details["light_user"], true);
    // They are still a user: nothing about them was deleted.
    assert_eq!(app.count("users WHERE deleted_at IS NOT NULL").await, 0);
}

#[tokio::test]
async fn a_light_user_job_stops_when_the_role_changes_back() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    app.set_plan("plus").await;
    conversations(&app, w.inbox, w.user, 3, 0).await;
    assert_eq!(make_light_user(&app, w.user, true).await.status(), 200);
    // Before the job runs, they are made a User again and keep their work.
    sqlx::query("UPDATE users SET role = 'user' WHERE id = $1")
        .bind(w.user)
        .execute(&app.pool)
        .await
        .unwrap();
    assert!(server::deletion_jobs::run_next(&app.pool, 2).await.unwrap());
    assert_eq!(assigned_to(&app, Some(w.user)).await, 3);
    assert_eq!(
        app.count("user_deletions WHERE finished_at IS NOT NULL")
            .await,
        1
    );
}
