use crate::helpers::{plain_client, TestApp, HTML};
use app::domain::Role;

#[tokio::test]
async fn healthz_checks_the_database() {
    let app = TestApp::spawn().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), r#"{"status":"ok"}"#);
}

#[tokio::test]
async fn manage_users_needs_a_signed_in_admin() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;

    let anonymous = plain_client();
    let response = app.get_as(&anonymous, "/manage/users").await;
    assert_eq!(response.status(), 302);
    assert_eq!(
        response.headers()["location"],
        "/sign-in?next=/manage/users"
    );

    let user = app.signed_in_as(Role::User).await;
    let response = app.get_as(&user, "/manage/users").await;
    assert_eq!(response.status(), 403);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("Only the Account Owner and Administrators"));
    let response = user
        .post(app.url("/api/users/list"))
        .header("origin", &app.address)
        .form(&[] as &[(&str, &str)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);

    let admin = app.signed_in_as(Role::Administrator).await;
    let response = app.get_as(&admin, "/manage/users").await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn unknown_pages_are_404() {
    let app = TestApp::spawn().await;
    let response = app.get("/no/such/page").await;
    assert_eq!(response.status(), 404);
    assert!(response.text().await.unwrap().contains("Page not found"));
}

#[tokio::test]
async fn a_revoked_or_forged_session_is_anonymous() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    assert_eq!(app.get("/manage/users").await.status(), 200);

    sqlx::query("UPDATE sessions SET revoked_at = now()")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(app.get("/manage/users").await.status(), 302);

    let forged = plain_client();
    let response = forged
        .get(app.url("/manage/users"))
        .header("accept", HTML)
        .header(
            "cookie",
            "roster_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
}

#[tokio::test]
async fn sign_out_ends_the_session() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let response = app.call("/api/sign-out", &[]).await;
    assert!(response.status().is_success() || response.status().is_redirection());
    let revoked: i64 =
        sqlx::query_scalar("SELECT count(*) FROM sessions WHERE revoked_at IS NOT NULL")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(revoked, 1);
    assert_eq!(app.get("/manage/users").await.status(), 302);
}

#[tokio::test]
async fn database_errors_leak_no_sql() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    sqlx::query("ALTER TABLE user_inboxes RENAME TO user_inboxes_gone")
        .execute(&app.pool)
        .await
        .unwrap();
    let response = app.get("/manage/users").await;
    assert_eq!(response.status(), 500);
    let body = response.text().await.unwrap();
    assert!(body.contains("reference"), "{body}");
    for leak in ["user_inboxes", "relation", "SELECT", "sqlx"] {
        assert!(!body.contains(leak), "the page shows {leak:?}");
    }
}
