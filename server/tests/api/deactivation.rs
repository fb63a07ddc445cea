//! Deactivating and reactivating a user: what ends at once, what the table
//! and the bill show, what is refused, and a deactivation racing a delete.

use serde_json::Value;
use uuid::Uuid;

use crate::helpers::{TestApp, OWNER_PASSWORD};
use app::domain::Role;

/// A User of the first account who signs in with the Owner's password.
struct Person {
    id: Uuid,
    email: String,
    client: reqwest::Client,
}

async fn person(app: &TestApp) -> Person {
    app.set_up_owner().await;
    let client = app.signed_in_browser(Role::User).await;
    let id = app.id_of(Role::User).await;
    let email: String = sqlx::query_scalar(
        "UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE role = 'owner')
         WHERE id = $1 RETURNING email",
    )
    .bind(id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    Person { id, email, client }
}

async fn access(app: &TestApp, change: &str, user: Uuid) -> reqwest::Response {
    app.call(
        &format!("/api/users/{change}"),
        &[("user", &user.to_string())],
    )
    .await
}

async fn client_credentials(app: &TestApp, client_id: &str, secret: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/v2/oauth2/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", secret),
        ])
        .send()
        .await
        .unwrap()
}

async fn access_token(app: &TestApp, client_id: &str, secret: &str) -> String {
    let issued: Value = client_credentials(app, client_id, secret)
        .await
        .json()
        .await
        .unwrap();
    issued["access_token"].as_str().unwrap().to_owned()
}

async fn listed(app: &TestApp, query: &str) -> Value {
    app.call("/api/users/list", &[("deactivated", query)])
        .await
        .json()
        .await
        .unwrap()
}

fn status_of(page: &Value, user: Uuid) -> Option<String> {
    page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["id"] == user.to_string())
        .map(|row| row["status"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn deactivating_ends_every_way_in_and_reactivating_lets_them_sign_in_again() {
    let app = TestApp::spawn().await;
    let p = person(&app).await;
    let key = app.api_key_for(p.id).await;
    let (client_id, secret) = app
        .make_app(&p.client, "Sync", "https://example.com/cb")
        .await;
    let token = access_token(&app, &client_id, &secret).await;
    assert_eq!(app.api_get("/v2/users/me", &key).await.status(), 200);
    assert_eq!(app.api_get("/v2/users/me", &token).await.status(), 200);
    let before = listed(&app, "").await;
    assert_eq!(before["billing"]["billable_users"], 2);

    let preview: Value = access(&app, "access/preview", p.id)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(preview["deactivated"], false);
    assert_eq!(preview["sessions"], 1);
    assert_eq!(preview["api_keys"], 1);
    assert_eq!(preview["apps"], 1);

    let done = access(&app, "deactivate", p.id).await;
    assert_eq!(done.status(), 200, "{}", done.text().await.unwrap());

    // Their open session, key, app and token end at once; no new token.
    let session = app
        .call_as(&p.client, "/api/credentials/get", &[("user", "")])
        .await;
    assert_eq!(session.status(), 401);
    assert_eq!(app.api_get("/v2/users/me", &key).await.status(), 401);
    assert_eq!(app.api_get("/v2/users/me", &token).await.status(), 401);
    assert_eq!(
        client_credentials(&app, &client_id, &secret).await.status(),
        401,
        "the app stops while its maker is deactivated"
    );
    // Signing in answers as a wrong password does.
    let (_, signed_in) = app.sign_in(&p.email, OWNER_PASSWORD).await;
    let owner_email: String = sqlx::query_scalar("SELECT email FROM users WHERE role = 'owner'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let (_, wrong) = app.sign_in(&owner_email, "not the password at all").await;
    assert_eq!(signed_in.status(), 401);
    assert_eq!(signed_in.text().await.unwrap(), wrong.text().await.unwrap());
    // The table hides them unless asked, the bill leaves them out and says so.
    let hidden = listed(&app, "").await;
    assert_eq!(status_of(&hidden, p.id), None);
    assert_eq!(hidden["billing"]["billable_users"], 1);
    assert_eq!(hidden["billing"]["deactivated_users"], 1);
    let shown = listed(&app, "show").await;
    assert_eq!(status_of(&shown, p.id).as_deref(), Some("Deactivated"));
    assert_eq!(shown["matching"], 2);
    // The API lists live users only.
    let owner_key = app.api_key_for(app.id_of(Role::Owner).await).await;
    let api: Value = app
        .api_get("/v2/users", &owner_key)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(api["page"]["totalElements"], 1);
    // Nothing is sent to them meanwhile.
    let reset = app
        .call(
            "/api/users/send-password-reset",
            &[("user_id", &p.id.to_string())],
        )
        .await;
    assert_eq!(reset.status(), 409);
    let details: Value =
        sqlx::query_scalar("SELECT details FROM audit_events WHERE action = 'user.deactivated'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(details["sessions"], 1);
    assert_eq!(details["api_keys"], 1);

    // Deactivating again changes nothing.
    assert_eq!(access(&app, "deactivate", p.id).await.status(), 200);
    assert_eq!(
        app.count("audit_events WHERE action = 'user.deactivated'")
            .await,
        1
    );

    let done = access(&app, "reactivate", p.id).await;
    assert_eq!(done.status(), 200, "{}", done.text().await.unwrap());
    let (_, signed_in) = app.sign_in(&p.email, OWNER_PASSWORD).await;
    assert_eq!(signed_in.status(), 200, "they sign in with their password");
    // What the deactivation ended stays ended; the app works again.
    let session = app
        .call_as(&p.client, "/api/credentials/get", &[("user", "")])
        .await;
    assert_eq!(session.status(), 401, "sessions don't come back");
    assert_eq!(app.api_get("/v2/users/me", &key).await.status(), 401);
    assert_eq!(app.api_get("/v2/users/me", &token).await.status(), 401);
    let new_token = access_token(&app, &client_id, &secret).await;
    assert_eq!(app.api_get("/v2/users/me", &new_token).await.status(), 200);
    let back = listed(&app, "").await;
    assert_eq!(status_of(&back, p.id).as_deref(), Some("Active"));
    assert_eq!(back["billing"]["billable_users"], 2);
    assert_eq!(back["billing"]["deactivated_users"], 0);
    assert_eq!(
        app.count("audit_events WHERE action = 'user.reactivated'")
            .await,
        1
    );
}

#[tokio::test]
async fn nobody_deactivates_themselves_the_owner_or_another_account() {
    let app = TestApp::spawn().await;
    let p = person(&app).await;
    let owner = app.id_of(Role::Owner).await;
    let admin = app.signed_in_as(Role::Administrator).await;
    app.other_account_client().await;
    let stranger: Uuid = sqlx::query_scalar(
        "SELECT u.id FROM users u JOIN accounts a ON a.id = u.account_id WHERE a.name = 'Other Co'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(access(&app, "deactivate", owner).await.status(), 409);
    assert_eq!(access(&app, "deactivate", stranger).await.status(), 404);
    let own = app
        .call_as(
            &admin,
            "/api/users/deactivate",
            &[("user", &app.id_of(Role::Administrator).await.to_string())],
        )
        .await;
    assert_eq!(own.status(), 409);
    let forged = app
        .call_as(
            &p.client,
            "/api/users/deactivate",
            &[("user", &owner.to_string())],
        )
        .await;
    assert_eq!(forged.status(), 403);
    for bad in ["", "not-a-user", "\u{0}", &"x".repeat(5000)] {
        let response = app.call("/api/users/deactivate", &[("user", bad)]).await;
        assert_eq!(response.status(), 404, "{bad:?}");
    }
    assert_eq!(app.count("users WHERE deactivated_at IS NOT NULL").await, 0);
    // Reactivating someone active changes nothing.
    assert_eq!(access(&app, "reactivate", p.id).await.status(), 200);
    assert_eq!(
        app.count("audit_events WHERE action LIKE 'user.%activated'")
            .await,
        0
    );
}

#[tokio::test]
async fn a_deactivation_racing_a_delete_ends_in_one_state_without_an_error() {
    let app = TestApp::spawn().await;
    let p = person(&app).await;
    let user = p.id.to_string();
    let form = [
        ("user", user.as_str()),
        ("reason", "left_company"),
        ("confirm", "on"),
        ("password", OWNER_PASSWORD),
    ];
    let delete = app.call("/api/users/delete", &form);
    let (deleted, deactivated) = tokio::join!(delete, access(&app, "deactivate", p.id));
    let (deleted, deactivated) = (deleted.status().as_u16(), deactivated.status().as_u16());
    assert_eq!(deleted, 200);
    assert!(
        matches!(deactivated, 200 | 404),
        "deactivate: {deactivated}"
    );
    let (live, off): (i32, i32) = sqlx::query_as(
        "SELECT live_users, deactivated_users FROM accounts ORDER BY created_at LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        (live, off),
        (1, 0),
        "only the Owner counts, and nobody is deactivated"
    );
}
