//! Requests no Roster page would send: each is refused before anything changes.

use reqwest::header;

use crate::helpers::{SetupForm, TestApp};

async fn assert_nothing_created(app: &TestApp) {
    assert_eq!(app.count("accounts").await, 0);
    assert_eq!(app.count("users").await, 0);
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let app = TestApp::spawn().await;
    let bare = reqwest::Client::new();
    let setup = SetupForm::valid();
    let form = setup.fields();
    let attempts = [
        bare.post(app.url("/api/setup"))
            .header(header::ORIGIN, "https://evil.example"),
        bare.post(app.url("/api/setup"))
            .header("sec-fetch-site", "cross-site")
            .header(header::ORIGIN, &app.address),
        bare.post(app.url("/api/setup"))
            .header("sec-fetch-site", "same-site"),
        // Neither header: fail closed.
        bare.post(app.url("/api/setup")),
    ];
    for attempt in attempts {
        let response = attempt.form(&form).send().await.unwrap();
        assert_eq!(response.status(), 403);
    }
    assert_nothing_created(&app).await;

    let same_origin = bare
        .post(app.url("/api/setup"))
        .header("sec-fetch-site", "same-origin")
        .form(&form);
    assert_eq!(same_origin.send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn malformed_calls_get_a_clear_4xx() {
    let app = TestApp::spawn().await;
    let setup = SetupForm::valid();
    let valid = setup.fields();
    let with = |extra: (&'static str, &'static str)| {
        let mut fields = valid.clone();
        fields.push(extra);
        fields
    };

    // Extra fields a person never sends.
    for extra in [
        ("role", "owner"),
        ("id", "1"),
        ("deleted_at", "2020-01-01"),
        ("name[0]", "x"),
    ] {
        let response = app.call("/api/setup", &with(extra)).await;
        assert_eq!(response.status(), 422, "{extra:?}");
    }
    // The same field twice.
    let response = app.call("/api/setup", &with(("name", "Mallory"))).await;
    assert_eq!(response.status(), 400);
    // A missing field.
    let response = app.call("/api/setup", &valid[..3]).await;
    assert_eq!(response.status(), 422);
    // Not a form.
    let response = app
        .client
        .post(app.url("/api/setup"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(r#"{"company_name":"A","name":"B","email":"c@d.io","password":"quiet meadow under stars"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);
    // GET on a mutation.
    assert_eq!(app.get("/api/setup").await.status(), 405);
    // A huge body (a 1 MB password never reaches the hasher).
    let huge = "p".repeat(1 << 20);
    let response = app
        .call(
            "/api/setup",
            &[
                ("company_name", "A"),
                ("name", "B"),
                ("email", "c@d.io"),
                ("password", &huge),
            ],
        )
        .await;
    assert_eq!(response.status(), 413);
    // No such action.
    assert_eq!(app.call("/api/nothing-here", &[]).await.status(), 404);

    assert_nothing_created(&app).await;
}

#[tokio::test]
async fn every_server_function_has_its_fields_registered() {
    let registered: Vec<&str> = app::api_fields::accepted_fields()
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    for path in leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path) {
        assert!(
            registered.contains(&path),
            "{path} is missing from app::api_fields::accepted_fields()"
        );
    }
}
