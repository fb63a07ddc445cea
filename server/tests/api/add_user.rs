//! Add User: the parse rules on the server, duplicates, idempotency, the
//! invitation written with the user, and the JavaScript-off form.

use uuid::Uuid;

use crate::helpers::{emails_to, unique_email, TestApp};
use app::domain::Role;

/// The ids of the account's inboxes, as Add User offers them.
pub async fn inbox_ids(app: &TestApp) -> Vec<String> {
    let page: serde_json::Value = app.call("/api/users/list", &[]).await.json().await.unwrap();
    page["add_user"]["inboxes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|inbox| inbox["id"].as_str().unwrap().to_owned())
        .collect()
}

/// A valid Add User form for `email`, with a fresh idempotency key.
pub fn form(email: &str) -> Vec<(String, String)> {
    vec![
        ("name".into(), "Katherine Johnson".into()),
        ("email".into(), email.into()),
        ("role".into(), "user".into()),
        ("send_invite".into(), "on".into()),
        ("request_key".into(), Uuid::new_v4().to_string()),
    ]
}

pub fn with(mut form: Vec<(String, String)>, field: &str, value: &str) -> Vec<(String, String)> {
    form.retain(|(name, _)| name != field);
    form.push((field.into(), value.into()));
    form
}

pub async fn create(app: &TestApp, form: &[(String, String)]) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call("/api/users/create", &pairs).await
}

async fn live_users_named(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM users WHERE lower(email) = lower($1)")
        .bind(email)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn creates_the_user_with_inboxes_and_queues_the_invitation_with_them() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let inboxes = inbox_ids(&app).await;
    assert_eq!(inboxes.len(), 3, "every account starts with inboxes");
    let email = unique_email("katherine");
    let mut fields = form(&email);
    fields.push(("inboxes[]".into(), inboxes[0].clone()));
    fields.push(("inboxes[]".into(), inboxes[2].clone()));

    let response = create(&app, &fields).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());

    let user: (Uuid, String, Option<String>) =
        sqlx::query_as("SELECT id, role, password_hash FROM users WHERE email = $1")
            .bind(&email)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(user.1, "user");
    assert!(user.2.is_none(), "no password until the invite is accepted");
    let granted: i64 = sqlx::query_scalar("SELECT count(*) FROM user_inboxes WHERE user_id = $1")
        .bind(user.0)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(granted, 2);
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_events WHERE target_user_id = $1 ORDER BY id")
            .bind(user.0)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(actions, ["user.created", "invite.sent"]);

    let mail = emails_to(&email, 1).await;
    assert_eq!(mail.len(), 1);
    assert_eq!(
        mail[0].subject,
        "Ada Lovelace invited you to Acme Support on Roster"
    );
    assert!(mail[0].text.contains("/invite/"));
    assert!(mail[0].html.as_deref().unwrap().contains("/invite/"));

    let page: serde_json::Value = app
        .call("/api/users/list", &[("q", "katherine")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["rows"][0]["status"], "Invited");
    assert_eq!(page["rows"][0]["inbox_count"], 2);
}

#[tokio::test]
async fn without_the_invite_the_user_waits_with_no_link() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let email = unique_email("radia");
    let fields = with(form(&email), "send_invite", "");
    let fields: Vec<_> = fields
        .into_iter()
        .filter(|(k, _)| k != "send_invite")
        .collect();
    assert_eq!(create(&app, &fields).await.status(), 200);
    assert_eq!(app.count("invitations").await, 0);
    let page: serde_json::Value = app
        .call("/api/users/list", &[("q", "radia")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["rows"][0]["status"], "InviteNotYetSent");
    let html = app.get("/manage/users?q=radia").await.text().await.unwrap();
    assert!(
        html.contains("aria-label=\"Invite email not yet sent\""),
        "{html}"
    );
    assert!(html.contains(">Send invite email<"));
}

#[tokio::test]
async fn bad_input_is_refused_field_by_field_and_nothing_is_saved() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let users_before = app.count("users").await;
    let cases: Vec<(&str, &str, &str)> = vec![
        ("name", "", "name"),
        ("name", "   ", "name"),
        (
            "name",
            &*Box::leak("x".repeat(201).into_boxed_str()),
            "name",
        ),
        ("name", "Ada\u{0}Lovelace", "name"),
        ("name", "Ada\u{202e}ecalevoL", "name"),
        ("email", "not-an-email", "email"),
        ("email", "ada@example.com\r\nBcc: eve@example.com", "email"),
        (
            "email",
            &*Box::leak(format!("{}@example.com", "a".repeat(260)).into_boxed_str()),
            "email",
        ),
        ("role", "owner", "role"),
        ("role", "light_user", "role"),
        ("role", "superuser", "role"),
        ("inboxes[]", "not-a-uuid", "inboxes"),
        (
            "inboxes[]",
            &*Box::leak(Uuid::new_v4().to_string().into_boxed_str()),
            "inboxes",
        ),
    ];
    for (field, value, error_field) in cases {
        let response = create(&app, &with(form(&unique_email("bad")), field, value)).await;
        assert_eq!(response.status(), 422, "{field}={value:?}");
        let body: serde_json::Value = response.json().await.unwrap();
        let errors = body["Invalid"].as_array().unwrap();
        assert!(
            errors.iter().any(|e| e[0] == error_field),
            "{field}={value:?}: {body}"
        );
    }
    // Fields Add User does not take, and malformed bodies.
    // An admin never sets a password: Add User has no such field.
    for extra in [
        ("id", "1"),
        ("password", "quiet meadow under stars"),
        ("password_hash", "x"),
        ("account_id", "x"),
    ] {
        let response = create(&app, &with(form(&unique_email("bad")), extra.0, extra.1)).await;
        assert_eq!(response.status(), 422, "{extra:?}");
    }
    let response = create(&app, &with(form(&unique_email("bad")), "inboxes", "x")).await;
    assert!(response.status().is_client_error(), "a list sent as text");
    let huge = "x".repeat(100 * 1024);
    let response = create(&app, &with(form(&unique_email("bad")), "name", &huge)).await;
    assert_eq!(response.status(), 413);
    assert_eq!(app.count("users").await, users_before, "nothing saved");
    assert_eq!(app.count("outbox_emails").await, 0);
}

#[tokio::test]
async fn a_duplicate_email_is_an_error_on_the_email_field_whatever_its_case() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let response = create(&app, &form(&owner.email.to_uppercase())).await;
    assert_eq!(response.status(), 409);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body["Duplicate"][0],
        serde_json::json!(["email", "A user with this email address already exists."])
    );
}

#[tokio::test]
async fn ten_parallel_creates_in_different_case_make_one_user() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let email = unique_email("grace");
    let variants: Vec<String> = (0..10)
        .map(|i| {
            email
                .chars()
                .enumerate()
                .map(|(j, c)| {
                    if (i >> (j % 4)) & 1 == 1 {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect()
        })
        .collect();
    let forms: Vec<_> = variants.iter().map(|variant| form(variant)).collect();
    let responses = futures_util::future::join_all(forms.iter().map(|f| create(&app, f))).await;
    let statuses: Vec<u16> = responses.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        9,
        "{statuses:?}"
    );
    assert_eq!(live_users_named(&app, &email).await, 1);
    assert_eq!(app.count("invitations").await, 1);
}

#[tokio::test]
async fn a_double_submit_creates_one_user_and_one_email() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let email = unique_email("margaret");
    let fields = form(&email);
    let (first, second) = tokio::join!(create(&app, &fields), create(&app, &fields));
    assert_eq!(first.status(), 200);
    assert_eq!(second.status(), 200, "the repeat is answered, not refused");
    let third = create(&app, &fields).await;
    assert_eq!(third.status(), 200);
    assert_eq!(live_users_named(&app, &email).await, 1);
    assert_eq!(app.count("outbox_emails").await, 1);
    assert_eq!(emails_to(&email, 1).await.len(), 1);
}

#[tokio::test]
async fn light_users_need_a_plus_or_pro_plan() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let light = with(form(&unique_email("light")), "role", "light_user");
    assert_eq!(create(&app, &light).await.status(), 422);
    app.set_plan("plus").await;
    let page: serde_json::Value = app.call("/api/users/list", &[]).await.json().await.unwrap();
    assert_eq!(
        page["add_user"]["roles"],
        serde_json::json!(["administrator", "user", "light_user"])
    );
    assert_eq!(create(&app, &light).await.status(), 200);
}

#[tokio::test]
async fn the_form_works_without_javascript() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let page = app.get("/manage/users?add=1").await.text().await.unwrap();
    assert!(page.contains("<dialog"), "{page}");
    assert!(page.contains("Send an invite email?"));
    assert!(page.contains(">Create User<"));
    let key = page
        .split("name=\"request_key\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the form carries its idempotency key")
        .to_owned();

    let email = unique_email("frances");
    let fields = [
        ("name", "Frances Allen"),
        ("email", email.as_str()),
        ("role", "administrator"),
        ("send_invite", "on"),
        ("request_key", key.as_str()),
    ];
    let response = app
        .submit_without_js("/api/users/create", "/manage/users?add=1", &fields)
        .await;
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with("/manage/users?done=added&user="),
        "{location}"
    );
    let after = app.get(&location).await.text().await.unwrap();
    assert!(
        after.contains("Frances Allen was added. An invite email is on its way."),
        "{after}"
    );

    // The same form again (a second click) finds the same user.
    let again = app
        .submit_without_js("/api/users/create", "/manage/users?add=1", &fields)
        .await;
    assert_eq!(again.status(), 302);
    assert_eq!(live_users_named(&app, &email).await, 1);

    // An error comes back to the open dialog, with its status.
    let bad = [
        ("name", ""),
        ("email", "x"),
        ("role", "user"),
        ("request_key", ""),
    ];
    let response = app
        .submit_without_js("/api/users/create", "/manage/users?add=1", &bad)
        .await;
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let page = app.get(location.trim_start_matches(&app.address)).await;
    assert_eq!(page.status(), 422);
    let html = page.text().await.unwrap();
    assert!(html.contains("<dialog"), "{html}");
}

#[tokio::test]
async fn an_idempotency_key_belongs_to_the_admin_who_sent_it() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let admin = app.signed_in_as(Role::Administrator).await;
    let email = unique_email("mary");
    let fields = form(&email);
    assert_eq!(create(&app, &fields).await.status(), 200);
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    // The Owner's key, presented by another admin, finds nothing of theirs:
    // the form is judged afresh (the address is taken now).
    let borrowed = app.call_as(&admin, "/api/users/create", &pairs).await;
    assert_eq!(borrowed.status(), 409);
    assert!(borrowed
        .text()
        .await
        .unwrap()
        .contains("A user with this email address already exists."));
    // With another address, the same key makes the admin their own user.
    let other = with(fields, "email", &unique_email("mary.other"));
    let pairs: Vec<(&str, &str)> = other
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        app.call_as(&admin, "/api/users/create", &pairs)
            .await
            .status(),
        200
    );
    assert_eq!(app.count("user_creations").await, 2);
}
