//! Company settings: invite validity, 1–30 days, for the Owner and Administrators.

use crate::helpers::TestApp;
use app::domain::Role;

async fn validity(app: &TestApp) -> i32 {
    sqlx::query_scalar("SELECT invite_validity_days FROM accounts")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn admins_set_how_long_invitations_work() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    assert_eq!(validity(&app).await, 7, "the default");

    for bad in ["0", "31", "7.5", "", "seven"] {
        let response = app
            .call("/api/company/invite-validity", &[("days", bad)])
            .await;
        assert_eq!(response.status(), 422, "{bad:?}");
    }
    assert_eq!(validity(&app).await, 7);

    let response = app
        .call("/api/company/invite-validity", &[("days", "14")])
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(validity(&app).await, 14);
    let audited: serde_json::Value = sqlx::query_scalar(
        "SELECT details FROM audit_events WHERE action = 'account.invite_validity_changed'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(audited, serde_json::json!({ "old": 7, "new": 14 }));

    let admin = app.signed_in_as(Role::Administrator).await;
    let response = app
        .call_as(&admin, "/api/company/invite-validity", &[("days", "30")])
        .await;
    assert_eq!(response.status(), 200);
    let page = app.get("/settings/company").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Now: 30 days."));
}

#[tokio::test]
async fn users_may_not_change_company_settings() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let user = app.signed_in_as(Role::User).await;
    let response = app
        .call_as(&user, "/api/company/invite-validity", &[("days", "30")])
        .await;
    assert_eq!(response.status(), 403);
    assert_eq!(app.get_as(&user, "/settings/company").await.status(), 403);
    assert_eq!(validity(&app).await, 7);
}
