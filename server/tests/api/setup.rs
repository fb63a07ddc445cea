use sha2::{Digest as _, Sha256};

use crate::helpers::{session_cookie, SetupForm, TestApp, OWNER_PASSWORD};

#[tokio::test]
async fn a_fresh_install_sends_visitors_to_setup() {
    let app = TestApp::spawn().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "/setup");

    let page = app.get("/setup").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Set up Roster"));
    assert!(html.contains("<title>Set up Roster · Roster</title>"));
}

#[tokio::test]
async fn setup_creates_the_account_and_owner_and_signs_them_in() {
    let app = TestApp::spawn().await;
    let form = SetupForm::valid();
    let response = app.set_up(&form).await;
    assert_eq!(response.status(), 200);

    let cookie = session_cookie(&response).expect("a session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/")
    );
    assert!(
        !cookie.contains("Secure"),
        "plain-http development cookies are not Secure"
    );
    let token = cookie
        .trim_start_matches("roster_session=")
        .split(';')
        .next()
        .unwrap()
        .to_owned();

    let (name, role, hash): (String, String, String) =
        sqlx::query_as("SELECT name, role, password_hash FROM users WHERE email = $1")
            .bind(&form.email)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((name.as_str(), role.as_str()), ("Ada Lovelace", "owner"));
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    assert!(!hash.contains(OWNER_PASSWORD));

    // Only the token's hash is stored.
    let stored: Vec<u8> = sqlx::query_scalar("SELECT token_hash FROM sessions")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, Sha256::digest(token.as_bytes()).to_vec());
    let raw_anywhere: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM sessions WHERE encode(token_hash, 'escape') LIKE '%' || $1 || '%')")
        .bind(&token)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(!raw_anywhere);

    let audit: (String, bool) =
        sqlx::query_as("SELECT action, actor_user_id IS NOT NULL FROM audit_events")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(audit, ("account.created".to_owned(), true));

    // Signed in, the Owner sees their own row on Manage > Users.
    let page = app.get("/manage/users").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for text in [
        "Ada Lovelace",
        form.email.as_str(),
        "Account Owner",
        "Active",
        "Acme Support",
    ] {
        assert!(html.contains(text), "the users page lacks {text:?}");
    }
}

#[tokio::test]
async fn setup_is_gone_once_an_account_exists() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;

    let page = app.get("/setup").await;
    assert_eq!(page.status(), 302);
    assert_eq!(page.headers()["location"], "/");
    assert_eq!(app.get("/").await.headers()["location"], "/manage/users");

    let second = app
        .set_up(
            &SetupForm::valid()
                .with("email", "eve@evil.example")
                .with("company_name", "Evil"),
        )
        .await;
    assert_eq!(second.status(), 409);
    assert!(second.text().await.unwrap().contains("AlreadySetUp"));
    assert_eq!(app.count("accounts").await, 1);
    assert_eq!(app.count("users").await, 1);
}

#[tokio::test]
async fn concurrent_setups_create_exactly_one_account() {
    let app = TestApp::spawn().await;
    let attempts = (0..10).map(|i| {
        let app = &app;
        async move {
            app.set_up(&SetupForm::valid().with("name", &format!("Owner {i}")))
                .await
                .status()
                .as_u16()
        }
    });
    let mut statuses = futures_util::future::join_all(attempts).await;
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    assert_eq!(app.count("accounts").await, 1);
    assert_eq!(app.count("users").await, 1);
}

#[tokio::test]
async fn bad_input_is_refused_field_by_field_and_nothing_is_created() {
    let app = TestApp::spawn().await;
    let long = "x".repeat(101);
    let megabyte = "p".repeat(60 * 1024);
    let cases: Vec<(SetupForm, &str, &str)> = vec![
        (
            SetupForm::valid().with("company_name", ""),
            "company_name",
            "Enter a company name",
        ),
        (
            SetupForm::valid().with("company_name", &long),
            "company_name",
            "at most 100",
        ),
        (
            SetupForm::valid().with("name", "   "),
            "name",
            "Enter a name",
        ),
        (
            SetupForm::valid().with("name", "Ada\0"),
            "name",
            "control characters",
        ),
        (
            SetupForm::valid().with("name", "Ada\u{202E}"),
            "name",
            "invisible",
        ),
        (
            SetupForm::valid().with("email", "not-an-email"),
            "email",
            "name@example.com",
        ),
        (
            SetupForm::valid().with("email", "\u{0430}da@acme.example"),
            "email",
            "plain Latin",
        ),
        (
            SetupForm::valid().with("email", "ada@acme.example\r\nBcc: x@y.io"),
            "email",
            "line breaks",
        ),
        (
            SetupForm::valid().with("password", "short"),
            "password",
            "at least 15",
        ),
        (
            SetupForm::valid().with("password", "password1234567"),
            "password",
            "too common",
        ),
        (
            SetupForm::valid().with("password", "acme support rules all"),
            "password",
            "company",
        ),
        (
            SetupForm::valid().with("password", &megabyte),
            "password",
            "at most 128",
        ),
    ];
    for (form, field, message) in cases {
        let response = app.set_up(&form).await;
        assert_eq!(response.status(), 422, "{field}: {message}");
        let body: serde_json::Value = response.json().await.unwrap();
        let errors = body["Invalid"].as_array().expect("field errors");
        let error = errors
            .iter()
            .find(|e| e[0] == field)
            .unwrap_or_else(|| panic!("no {field} error in {body}"));
        assert!(
            error[1].as_str().unwrap().contains(message),
            "{field}: {error}"
        );
    }
    assert_eq!(app.count("accounts").await, 0);
    assert_eq!(app.count("users").await, 0);
}

#[tokio::test]
async fn html_in_names_is_stored_literally_and_rendered_escaped() {
    let app = TestApp::spawn().await;
    let name = "<script>alert(1)</script>";
    let response = app
        .set_up(
            &SetupForm::valid()
                .with("name", name)
                .with("company_name", "\"><img src=x onerror=alert(1)>"),
        )
        .await;
    assert_eq!(response.status(), 200);
    let html = app.get("/manage/users").await.text().await.unwrap();
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<img src=x"));
}

#[tokio::test]
async fn without_javascript_errors_come_back_to_the_form_with_422() {
    let app = TestApp::spawn().await;
    let form = SetupForm::valid().with("email", "nope");
    let response = app
        .submit_without_js("/api/setup", "/setup", &form.fields())
        .await;
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(&app.url("/setup?")), "{location}");

    let page = app.client.get(&location).send().await.unwrap();
    assert_eq!(page.status(), 422);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("Enter an email address like name@example.com."));
    assert_eq!(app.count("users").await, 0);
}

#[tokio::test]
async fn without_javascript_setup_signs_in_and_lands_on_users() {
    let app = TestApp::spawn().await;
    let response = app
        .submit_without_js("/api/setup", "/setup", &SetupForm::valid().fields())
        .await;
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "/manage/users");
    assert!(session_cookie(&response).is_some());
    assert_eq!(app.get("/manage/users").await.status(), 200);
}

#[tokio::test]
async fn once_set_up_the_form_costs_no_hash_and_repeats_are_limited() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let before = app.hashing.runs();
    let again = app.set_up(&SetupForm::valid()).await;
    assert_eq!(again.status(), 409);
    assert_eq!(app.hashing.runs(), before, "no Argon2 for a refused setup");

    // Ten a minute from one network (forms that would hash, whether or not
    // an account exists by then); the eleventh waits.
    for _ in 0..8 {
        assert_eq!(app.set_up(&SetupForm::valid()).await.status(), 409);
    }
    let limited = app.set_up(&SetupForm::valid()).await;
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
}
