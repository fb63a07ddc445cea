//! Security requirements that cut across areas.

use reqwest::header;

use crate::helpers::{emails_to, link_in, TestApp, OWNER_PASSWORD};

#[tokio::test]
async fn links_in_emails_use_the_public_url_never_the_host_header() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let response = reqwest::Client::new()
        .post(app.url("/api/recover"))
        .header(header::HOST, "evil.tld")
        .header(header::ORIGIN, &app.address)
        .form(&[("email", owner.email.as_str())])
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    let mail = emails_to(&owner.email, 1).await;
    let link = link_in(&mail[0].text, "http");
    assert!(
        link.starts_with(&format!("{}/reset/", app.address)),
        "{link}"
    );
    assert!(!mail[0].text.contains("evil.tld"));
}

#[tokio::test]
async fn audit_events_cannot_be_changed_or_removed() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    assert_eq!(app.count("audit_events").await, 1);
    assert!(sqlx::query("UPDATE audit_events SET action = 'forged'")
        .execute(&app.pool)
        .await
        .is_err());
    assert!(sqlx::query("DELETE FROM audit_events")
        .execute(&app.pool)
        .await
        .is_err());
    assert!(sqlx::query("TRUNCATE audit_events CASCADE")
        .execute(&app.pool)
        .await
        .is_err());
    assert_eq!(app.count("audit_events").await, 1);
}

#[tokio::test]
async fn sign_in_takes_only_its_own_fields_and_odd_input_fails_plainly() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let post = |form: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            reqwest::Client::new()
                .post(app.url("/api/sign-in"))
                .header(header::ORIGIN, &app.address)
                .form(&form)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    let email = owner.email.clone();
    let base = |password: &str| {
        vec![
            ("email", email.clone()),
            ("password", password.to_owned()),
            ("next", "/".to_owned()),
        ]
    };
    let mut extra = base(OWNER_PASSWORD);
    extra.push(("role", "owner".into()));
    assert_eq!(post(extra).await, 422);
    let mut repeated = base(OWNER_PASSWORD);
    repeated.push(("email", "other@acme.example".into()));
    assert_eq!(post(repeated).await, 400);
    assert_eq!(post(base("pass\0word with a nul in it")).await, 401);
    assert_eq!(post(base(&"x".repeat(60_000))).await, 401);
    assert_eq!(
        post(vec![
            ("email", "\0".into()),
            ("password", "x".into()),
            ("next", "/".into())
        ])
        .await,
        401
    );
    // The overlong password was refused before any lookup or hashing.
    assert_eq!(app.failed_logins(&owner.email).await, 1);
}
