//! `/scim/v2`: discovery and reading users, to a SCIM token of the account
//! only, with SCIM's errors (the writes are in `scim_writes`).

use reqwest::{header, StatusCode};
use serde_json::Value;
use sha2::Digest as _;
use uuid::Uuid;

use crate::helpers::{plain_client, TestApp};
use app::domain::Role;

/// A SCIM token of the account `account_id`, stored as the page will store one.
pub async fn scim_token(app: &TestApp, account_id: Uuid) -> String {
    let token = format!("rst_{}", Uuid::new_v4().simple().to_string().repeat(2));
    let hash = sha2::Sha256::digest(token.as_bytes()).to_vec();
    sqlx::query(
        "INSERT INTO scim_tokens (account_id, token_hash, prefix, created_by, created_at)
         SELECT $1, $2, 'rst_', id, now() FROM users WHERE account_id = $1 AND role = 'owner'",
    )
    .bind(account_id)
    .bind(hash)
    .execute(&app.pool)
    .await
    .unwrap();
    token
}

async fn scim_get(app: &TestApp, path: &str, token: &str) -> (StatusCode, Value) {
    let response = plain_client()
        .get(app.url(&format!("/scim/v2{path}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status();
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "application/scim+json",
        "{path}"
    );
    (status, response.json().await.unwrap())
}

pub fn assert_scim_error(body: &Value, status: &str, scim_type: Option<&str>) {
    assert_eq!(
        body["schemas"],
        serde_json::json!(["urn:ietf:params:scim:api:messages:2.0:Error"]),
        "{body}"
    );
    assert_eq!(body["status"], status, "{body}");
    assert_eq!(body["scimType"].as_str(), scim_type, "{body}");
}

#[tokio::test]
async fn discovery_describes_the_service_to_a_token_holder_only() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let token = scim_token(&app, app.first_account_id().await).await;
    let (status, config) = scim_get(&app, "/ServiceProviderConfig", &token).await;
    assert_eq!(status, 200);
    assert_eq!(config["patch"]["supported"], true);
    assert_eq!(config["etag"]["supported"], true);
    let (_, types) = scim_get(&app, "/ResourceTypes", &token).await;
    assert_eq!(types["totalResults"], 1, "Groups are not served yet");
    assert_eq!(types["Resources"][0]["endpoint"], "/Users");
    let (status, user_type) = scim_get(&app, "/ResourceTypes/User", &token).await;
    assert_eq!(
        (status.as_u16(), &user_type["schema"]),
        (
            200,
            &Value::from("urn:ietf:params:scim:schemas:core:2.0:User")
        )
    );
    let (status, schema) = scim_get(
        &app,
        "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User",
        &token,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(schema["attributes"][0]["name"], "userName");
    let (status, missing) = scim_get(&app, "/Schemas/urn:nothing", &token).await;
    assert_eq!(status, 404);
    assert_scim_error(&missing, "404", None);
    let (status, nowhere) = scim_get(&app, "/Elsewhere", &token).await;
    assert_eq!(status, 404);
    assert_scim_error(&nowhere, "404", None);
    let posted = plain_client()
        .post(app.url("/scim/v2/Schemas"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 405);

    // No token, a wrong one, a revoked one, an API key, a session: 401.
    let key = app.api_key_for(app.id_of(Role::Owner).await).await;
    for credential in [String::new(), format!("rst_{}", "x".repeat(43)), key] {
        let (status, body) = scim_get(&app, "/ServiceProviderConfig", &credential).await;
        assert_eq!(status, 401);
        assert_scim_error(&body, "401", None);
    }
    let with_session = app
        .client
        .get(app.url("/scim/v2/Users"))
        .send()
        .await
        .unwrap();
    assert_eq!(with_session.status(), 401);
    // …and the SCIM token opens nothing else.
    assert_eq!(app.api_get("/v2/users", &token).await.status(), 401);
    sqlx::query("UPDATE scim_tokens SET revoked_at = now()")
        .execute(&app.pool)
        .await
        .unwrap();
    let (status, _) = scim_get(&app, "/Users", &token).await;
    assert_eq!(status, 401, "revoked");
}

#[tokio::test]
async fn users_are_listed_filtered_and_paged_as_identity_providers_ask() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let account_id = app.first_account_id().await;
    let token = scim_token(&app, account_id).await;
    sqlx::query(
        "INSERT INTO users (account_id, name, email, role, created_at)
         SELECT $1, 'Person ' || n, 'person' || n || '@example.com', 'user', now() + n * interval '1 second'
         FROM generate_series(1, 5) n",
    )
    .bind(account_id)
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE users SET scim_external_id = '00u3', deactivated_at = now() WHERE email = 'person3@example.com'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    app.other_account_client().await;

    let (status, all) = scim_get(&app, "/Users", &token).await;
    assert_eq!(status, 200);
    assert_eq!(
        all["schemas"],
        serde_json::json!(["urn:ietf:params:scim:api:messages:2.0:ListResponse"])
    );
    assert_eq!(
        all["totalResults"], 6,
        "the Owner and five, not the other account's"
    );
    let first = &all["Resources"][0];
    assert_eq!(first["userName"], owner.email);
    assert_eq!(first["emails"][0]["value"], owner.email);
    assert_eq!(first["active"], true);
    let id = first["id"].as_str().unwrap();
    assert_eq!(
        first["meta"]["location"],
        app.url(&format!("/scim/v2/Users/{id}"))
    );

    let (_, page) = scim_get(&app, "/Users?startIndex=2&count=2", &token).await;
    assert_eq!(page["totalResults"], 6);
    assert_eq!(page["startIndex"], 2);
    assert_eq!(page["itemsPerPage"], 2);
    assert_eq!(page["Resources"][0]["userName"], "person1@example.com");
    let (_, past) = scim_get(&app, "/Users?startIndex=50", &token).await;
    assert_eq!(
        (past["totalResults"].clone(), past["itemsPerPage"].clone()),
        (6.into(), 0.into())
    );

    for (filter, expected) in [
        (
            r#"userName eq "PERSON2@example.com""#,
            vec!["person2@example.com"],
        ),
        (
            r#"emails.value eq "person4@example.com""#,
            vec!["person4@example.com"],
        ),
        (r#"externalId eq "00u3""#, vec!["person3@example.com"]),
        (r#"externalId eq "00U3""#, vec![]),
        (r#"active eq false"#, vec!["person3@example.com"]),
        (
            r#"userName eq "person3@example.com" and active eq true"#,
            vec![],
        ),
    ] {
        let encoded = url::form_urlencoded::byte_serialize(filter.as_bytes()).collect::<String>();
        let (status, found) = scim_get(&app, &format!("/Users?filter={encoded}"), &token).await;
        assert_eq!(status, 200, "{filter}");
        let names: Vec<&str> = found["Resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|user| user["userName"].as_str().unwrap())
            .collect();
        assert_eq!(names, expected, "{filter}");
        assert_eq!(found["totalResults"], expected.len(), "{filter}");
    }
    let deactivated: Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'person3@example.com'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let (status, one) = scim_get(&app, &format!("/Users/{deactivated}"), &token).await;
    assert_eq!(status, 200);
    assert_eq!(one["active"], false);
    assert_eq!(one["externalId"], "00u3");
    assert_eq!(one["name"]["givenName"], "Person");
    assert_eq!(one["name"]["familyName"], "3");
    assert!(one["meta"]["version"].as_str().unwrap().starts_with("W/\""));

    for (path, status, scim_type) in [
        (
            "/Users?filter=title%20eq%20%22CEO%22",
            "400",
            Some("invalidFilter"),
        ),
        ("/Users?filter=userName%20eq", "400", Some("invalidFilter")),
        ("/Users?count=many", "400", Some("invalidValue")),
        ("/Users/not-an-id", "404", None),
        (&format!("/Users/{}", Uuid::new_v4()), "404", None),
    ] {
        let (answered, body) = scim_get(&app, path, &token).await;
        assert_eq!(answered.as_str(), status, "{path}");
        assert_scim_error(&body, status, scim_type);
    }
    // Another account's user is not found.
    let stranger: Uuid = sqlx::query_scalar(
        "SELECT u.id FROM users u JOIN accounts a ON a.id = u.account_id WHERE a.name = 'Other Co'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let (status, _) = scim_get(&app, &format!("/Users/{stranger}"), &token).await;
    assert_eq!(status, 404);
}

/// Company > Provisioning makes the token, shows it once to the browser
/// that made it, and revokes it; a new one revokes the one before.
#[tokio::test]
async fn the_provisioning_page_makes_shows_once_and_revokes_the_token() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let admin = app.signed_in_browser(Role::Administrator).await;
    let before: Value = app
        .call_as(&admin, "/api/provisioning/get", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(before["token"], Value::Null);
    assert_eq!(before["base_url"], app.url("/scim/v2"));

    let made = app
        .call_as(&admin, "/api/provisioning/token/create", &[])
        .await;
    assert_eq!(made.status(), 200, "{}", made.text().await.unwrap());
    let shown: Value = app
        .call_as(&admin, "/api/provisioning/get", &[])
        .await
        .json()
        .await
        .unwrap();
    let token = shown["token"]["new_token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("rst_"));
    assert_eq!(shown["token"]["last_used_at"], Value::Null);
    // Another admin's browser sees that there is one, never the token.
    let owner_view: Value = app
        .call("/api/provisioning/get", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(owner_view["token"]["new_token"], Value::Null);
    assert_eq!(owner_view["token"]["prefix"], &token[..10]);
    let stored: Vec<u8> = sqlx::query_scalar("SELECT token_hash FROM scim_tokens")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, sha2::Sha256::digest(token.as_bytes()).to_vec());

    let (status, _) = scim_get(&app, "/Users", &token).await;
    assert_eq!(status, 200);
    let used: Value = app
        .call_as(&admin, "/api/provisioning/get", &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(used["token"]["last_used_at"].is_string());

    // A new token revokes the one before.
    app.call("/api/provisioning/token/create", &[]).await;
    let (status, _) = scim_get(&app, "/Users", &token).await;
    assert_eq!(status, 401);
    assert_eq!(app.count("scim_tokens WHERE revoked_at IS NULL").await, 1);
    let revoked = app.call("/api/provisioning/token/revoke", &[]).await;
    assert_eq!(revoked.status(), 200);
    assert_eq!(app.count("scim_tokens WHERE revoked_at IS NULL").await, 0);
    let again = app.call("/api/provisioning/token/revoke", &[]).await;
    assert_eq!(again.status(), 404);
    assert_eq!(
        app.count("audit_events WHERE action = 'scim_token.created'")
            .await,
        2
    );
    assert_eq!(
        app.count("audit_events WHERE action = 'scim_token.revoked'")
            .await,
        2
    );
}

#[tokio::test]
async fn two_admins_making_tokens_at_once_leave_one_live() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let admin = app.signed_in_browser(Role::Administrator).await;
    let (first, second) = tokio::join!(
        app.call("/api/provisioning/token/create", &[]),
        app.call_as(&admin, "/api/provisioning/token/create", &[])
    );
    assert_eq!(
        (first.status().as_u16(), second.status().as_u16()),
        (200, 200)
    );
    assert_eq!(app.count("scim_tokens WHERE revoked_at IS NULL").await, 1);
}
