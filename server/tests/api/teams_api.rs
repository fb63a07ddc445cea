//! `GET /v2/teams` and `/v2/teams/{id}/members`, each account's minute of
//! API requests, and the OpenAPI document that describes every route.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{plain_client, TestApp};
use app::domain::Role;

#[tokio::test]
async fn teams_and_their_members_as_manage_teams_shows_them() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let owner_key = app.api_key_for(app.id_of(Role::Owner).await).await;
    app.signed_in_as(Role::User).await;
    let user_key = app.api_key_for(app.id_of(Role::User).await).await;

    // Standard has no teams: said plainly.
    let refused = app.api_get("/v2/teams", &owner_key).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(
        body["message"],
        "Teams are available on the Plus and Pro plans"
    );

    app.set_plan("plus").await;
    for name in ["Tier 2", "Night Shift"] {
        let made = app.call("/api/teams/create", &[("name", name)]).await;
        assert_eq!(made.status(), 200, "{}", made.text().await.unwrap());
    }
    let team_id: String = sqlx::query_scalar("SELECT id::text FROM teams WHERE name = 'Tier 2'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let user_email: String = sqlx::query_scalar("SELECT email FROM users WHERE role = 'user'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let added = app
        .call(
            "/api/teams/add-member",
            &[("team_id", &team_id), ("email", &user_email)],
        )
        .await;
    assert_eq!(added.status(), 200, "{}", added.text().await.unwrap());

    let teams = app.api_get("/v2/teams", &owner_key).await;
    assert_eq!(teams.status(), 200);
    assert_eq!(teams.headers()["content-type"], "application/hal+json");
    let teams: Value = teams.json().await.unwrap();
    assert_eq!(teams["page"]["totalElements"], 2);
    let tier2 = &teams["_embedded"]["teams"][0];
    assert_eq!(tier2["name"], "Tier 2");
    assert_eq!(tier2["initials"], "T2");
    assert_eq!(tier2["mention"], "tier2");
    assert!(tier2["id"].is_i64() && tier2["createdAt"].is_string());
    let members_link = tier2["_links"]["members"]["href"].as_str().unwrap();
    assert!(members_link.starts_with(&app.address));

    let members = plain_client()
        .get(members_link)
        .bearer_auth(&owner_key)
        .send()
        .await
        .unwrap();
    assert_eq!(members.status(), 200);
    let members: Value = members.json().await.unwrap();
    assert_eq!(members["page"]["totalElements"], 1);
    assert_eq!(
        members["_embedded"]["users"][0]["email"],
        user_email.as_str()
    );
    assert_eq!(members["_embedded"]["users"][0]["role"], "user");

    // A User may not, as on the page; another account's team is not found.
    assert_eq!(app.api_get("/v2/teams", &user_key).await.status(), 403);
    let path = members_link.trim_start_matches(&app.address);
    assert_eq!(app.api_get(path, &user_key).await.status(), 403);
    app.other_account_client().await;
    let outsider: uuid::Uuid = sqlx::query_scalar(
        "SELECT u.id FROM users u JOIN accounts a ON a.id = u.account_id WHERE a.name = 'Other Co'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let outsider_key = app.api_key_for(outsider).await;
    sqlx::query("UPDATE accounts SET plan = 'pro' WHERE name = 'Other Co'")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(app.api_get(path, &outsider_key).await.status(), 404);
    let theirs: Value = app
        .api_get("/v2/teams", &outsider_key)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["page"]["totalElements"], 0);
    for bad in [
        "/v2/teams/0/members",
        "/v2/teams/x/members",
        "/v2/teams/99999/members",
    ] {
        assert_eq!(app.api_get(bad, &owner_key).await.status(), 404, "{bad}");
    }
    assert_eq!(
        app.api_get("/v2/teams?page=0", &owner_key).await.status(),
        400
    );
}

#[tokio::test]
async fn each_account_has_its_minute_of_requests() {
    let app = TestApp::spawn_with(
        |settings| settings.request_limits.api_per_minute = 3,
        Default::default(),
    )
    .await;
    app.set_up_owner().await;
    let key = app.api_key_for(app.id_of(Role::Owner).await).await;
    for remaining in ["2", "1", "0"] {
        let answer = app.api_get("/v2/users/me", &key).await;
        assert_eq!(answer.status(), 200);
        assert_eq!(answer.headers()["x-ratelimit-limit-minute"], "3");
        assert_eq!(answer.headers()["x-ratelimit-remaining-minute"], remaining);
    }
    let over = app.api_get("/v2/users/me", &key).await;
    assert_eq!(over.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = over.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(over.headers()["x-ratelimit-remaining-minute"], "0");
    assert_eq!(over.headers()["content-type"], "application/vnd.error+json");

    // Another account is not held back; a bad credential is not counted.
    app.other_account_client().await;
    let outsider: uuid::Uuid = sqlx::query_scalar(
        "SELECT u.id FROM users u JOIN accounts a ON a.id = u.account_id WHERE a.name = 'Other Co'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let outsider_key = app.api_key_for(outsider).await;
    assert_eq!(
        app.api_get("/v2/users/me", &outsider_key).await.status(),
        200
    );
    let unknown = app
        .api_get("/v2/users/me", "rk_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .await;
    assert_eq!(unknown.status(), 401);
    assert!(!unknown
        .headers()
        .contains_key("x-ratelimit-remaining-minute"));

    // The next minute, the account may go on.
    app.clock.advance(chrono::TimeDelta::seconds(60));
    assert_eq!(app.api_get("/v2/users/me", &key).await.status(), 200);
}

#[tokio::test]
async fn the_openapi_document_describes_every_route_in_openapi_3_1() {
    let app = TestApp::spawn().await;
    let answer = plain_client()
        .get(app.url("/v2/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()["content-type"], "application/json");
    let doc: Value = answer.json().await.unwrap();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    assert_eq!(doc["servers"][0]["url"], app.address.as_str());
    for path in app::api::PATHS {
        if *path == "/v2/openapi.json" {
            continue;
        }
        assert!(doc["paths"].get(*path).is_some(), "{path} is not described");
    }
    let user = &doc["components"]["schemas"]["User"]["properties"];
    for field in [
        "id",
        "firstName",
        "lastName",
        "email",
        "role",
        "createdAt",
        "updatedAt",
        "mention",
        "initials",
        "alternateEmails",
        "_links",
    ] {
        assert!(user.get(field).is_some(), "User.{field}");
    }
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(
        schemes["oauth2"]["flows"]["authorizationCode"]["authorizationUrl"],
        app.url("/authentication/authorizeClientApplication")
    );
    assert!(
        doc["paths"]["/v2/users"]["get"]["responses"]["200"]["content"]
            .get("application/hal+json")
            .is_some()
    );
}
