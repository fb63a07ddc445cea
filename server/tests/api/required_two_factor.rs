//! Company > Security: two-factor authentication required per role. A
//! session that owes it opens nothing but the set-up until it is on.

use app::two_factor::totp;
use chrono::TimeDelta;
use reqwest::header;

use crate::helpers::{TestApp, OWNER_PASSWORD};
use crate::two_factor::enable;
use app::domain::Role;

const MISSING: &str = "Two-factor authentication required, not set up";

async fn require(app: &TestApp, client: &reqwest::Client, roles: &[&str]) -> reqwest::Response {
    let form: Vec<(&str, &str)> = roles.iter().map(|role| ("roles[]", *role)).collect();
    app.call_as(client, "/api/company/two-factor", &form).await
}

async fn requirement_events(app: &TestApp) -> Vec<serde_json::Value> {
    sqlx::query_scalar(
        "SELECT details FROM audit_events WHERE action = 'account.two_factor_required_changed' ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_required_role_opens_nothing_but_the_set_up_until_two_factor_is_on() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let admin = app.signed_in_as(Role::Administrator).await;
    let user = app.signed_in_as(Role::User).await;

    let saved = require(&app, &app.client, &["administrator", "owner"]).await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    let events = requirement_events(&app).await;
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0]["new"],
        serde_json::json!(["owner", "administrator"])
    );

    // The Owner's own session owes it now: pages go to the set-up, server
    // functions are refused, and turning anything off is not among what opens.
    for client in [&app.client, &admin] {
        for page in [
            "/manage/users",
            "/profile/security",
            "/",
            "/settings/company",
        ] {
            let response = app.get_as(client, page).await;
            assert_eq!(response.status(), 303, "{page}");
            assert_eq!(response.headers()[header::LOCATION], "/two-factor/set-up");
        }
    }
    for path in [
        "/api/users/list",
        "/api/two-factor/disable",
        "/api/company/two-factor",
    ] {
        let refused = app.call_as(&app.client, path, &[]).await;
        assert_eq!(refused.status(), 403, "{path}");
        assert!(refused
            .text()
            .await
            .unwrap()
            .contains("Set up two-factor authentication first"));
    }
    let page = app.get_as(&app.client, "/two-factor/set-up").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(
        "Your company requires two-factor authentication for the Account Owner and Administrators."
    ));
    assert!(html.contains("Turn on two-factor authentication"));
    assert!(
        !html.contains("href=\"/manage/users\""),
        "no links to what does not open"
    );
    // A User's role is not required: nothing changes for them.
    assert_eq!(app.get_as(&user, "/inboxes").await.status(), 200);
    let none: serde_json::Value = app
        .call_as(&user, "/api/two-factor/required", &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(none.is_null());

    // Setting it up opens everything again, and it stays on.
    let (secret, _) = enable(&app, &app.client).await;
    assert_eq!(app.get_as(&app.client, "/manage/users").await.status(), 200);
    app.clock.advance(TimeDelta::seconds(30));
    let code = totp::code_at(&secret, totp::step_at(app.clock.now()));
    let kept_on = app
        .call_as(
            &app.client,
            "/api/two-factor/disable",
            &[("password", OWNER_PASSWORD), ("code", &code)],
        )
        .await;
    assert_eq!(kept_on.status(), 403);
    let refusal: serde_json::Value = kept_on.json().await.unwrap();
    assert_eq!(
        refusal["TwoFactorRequired"]["people"],
        "the Account Owner and Administrators"
    );
    let security = app.get_as(&app.client, "/profile/security").await;
    let security = security.text().await.unwrap();
    assert!(security.contains("so it stays on"));
    assert!(!security.contains("Turn off two-factor authentication</button>"));

    // Manage > Users names who lacks it: the Administrator, not the Owner or the User.
    let table = app.get_as(&app.client, "/manage/users").await;
    assert_eq!(table.text().await.unwrap().matches(MISSING).count(), 1);

    // A role added later owes it from its next request.
    sqlx::query("UPDATE accounts SET two_factor_required_roles = '{owner,administrator,user}'")
        .execute(&app.pool)
        .await
        .unwrap();
    let response = app.get_as(&user, "/inboxes").await;
    assert_eq!(response.headers()[header::LOCATION], "/two-factor/set-up");
    let table = app.get_as(&app.client, "/manage/users").await;
    assert_eq!(
        table.text().await.unwrap().matches(MISSING).count(),
        2,
        "the table follows the requirement at once"
    );

    // Nobody required: everyone opens everything again.
    let cleared = require(&app, &app.client, &[]).await;
    assert_eq!(cleared.status(), 200);
    assert_eq!(app.get_as(&admin, "/manage/users").await.status(), 200);
    assert_eq!(app.get_as(&user, "/inboxes").await.status(), 200);
    let events = requirement_events(&app).await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[1]["new"], serde_json::json!([]));
}

#[tokio::test]
async fn a_form_without_javascript_is_sent_to_the_set_up_and_bad_roles_are_refused() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let refused = require(&app, &app.client, &["user", "root"]).await;
    assert_eq!(refused.status(), 422);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("Choose roles from the list."));
    assert!(requirement_events(&app).await.is_empty());
    // The same choice twice is one change, recorded once.
    for _ in 0..2 {
        assert_eq!(require(&app, &app.client, &["user"]).await.status(), 200);
    }
    assert_eq!(requirement_events(&app).await.len(), 1);
    assert_eq!(require(&app, &app.client, &["owner"]).await.status(), 200);

    // Without JavaScript a form posts with Accept: text/html: to the set-up.
    let response = app
        .submit_without_js(
            "/api/users/create",
            "/manage/users",
            &[("name", "Grace Hopper"), ("email", "grace@example.com")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()[header::LOCATION], "/two-factor/set-up");
    assert_eq!(app.count("users").await, 1, "nothing was created");
}
