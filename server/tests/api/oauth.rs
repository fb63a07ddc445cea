//! The OAuth token endpoint (`POST /v2/oauth2/token`): the client-credentials
//! grant with an app of My Apps, driven by a real OAuth client (the `oauth2`
//! crate) and by hand for every error RFC 6749 names (the other grants are
//! in `authorization_code.rs`).

use oauth2::{basic::BasicClient, ClientId, ClientSecret, TokenResponse as _, TokenUrl};
use reqwest::{header, StatusCode};
use serde_json::Value;

use crate::helpers::{plain_client, TestApp};
use app::domain::Role;

async fn token_request(
    app: &TestApp,
    body: &str,
    basic: Option<(&str, &str)>,
) -> reqwest::Response {
    let mut request = plain_client()
        .post(app.url("/v2/oauth2/token"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body.to_owned());
    if let Some((id, secret)) = basic {
        request = request.basic_auth(id, Some(secret));
    }
    request.send().await.unwrap()
}

async fn expect_oauth_error(response: reqwest::Response, status: StatusCode, error: &str) {
    assert_eq!(response.status(), status);
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], error, "{body}");
    assert!(body["error_description"].is_string());
}

#[tokio::test]
async fn a_real_oauth_client_gets_a_token_that_acts_as_the_apps_maker() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let (client_id, secret) = app
        .make_app(&app.client, "Roster CLI", "https://example.com/callback")
        .await;

    let client = BasicClient::new(ClientId::new(client_id))
        .set_client_secret(ClientSecret::new(secret))
        .set_token_uri(TokenUrl::new(app.url("/v2/oauth2/token")).unwrap());
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let token = client
        .exchange_client_credentials()
        .request_async(&http)
        .await
        .unwrap();
    assert_eq!(
        token.expires_in(),
        Some(std::time::Duration::from_secs(2 * 24 * 3600))
    );
    assert!(token.refresh_token().is_none());
    let access = token.access_token().secret().clone();
    assert!(access.starts_with("rat_"), "{access}");

    let read: Value = app
        .api_get("/v2/users/me", &access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read["email"], owner.email.as_str());
    let stored: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM oauth_tokens WHERE access_hash = sha256($1::bytea)",
    )
    .bind(access.as_bytes())
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(stored, 1, "stored as its SHA-256 only");

    // Two days later the token has expired.
    app.clock
        .advance(chrono::TimeDelta::seconds(2 * 24 * 3600 + 1));
    assert_eq!(app.api_get("/v2/users/me", &access).await.status(), 401);
}

#[tokio::test]
async fn the_token_has_the_makers_rights_at_each_request_and_ends_with_the_app() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let admin = app.signed_in_browser(Role::Administrator).await;
    let admin_id = app.id_of(Role::Administrator).await;
    let (client_id, secret) = app
        .make_app(&admin, "Roster CLI", "https://example.com/callback")
        .await;
    let body =
        format!("grant_type=client_credentials&client_id={client_id}&client_secret={secret}");
    let issued = token_request(&app, &body, None).await;
    assert_eq!(issued.status(), 200);
    assert_eq!(issued.headers()[header::CACHE_CONTROL], "no-store");
    assert_eq!(issued.headers()[header::PRAGMA], "no-cache");
    let issued: Value = issued.json().await.unwrap();
    assert_eq!(issued["token_type"], "bearer");
    let access = issued["access_token"].as_str().unwrap().to_owned();
    assert_eq!(app.api_get("/v2/users", &access).await.status(), 200);

    // Demoted to User: the same token may no longer list the users.
    sqlx::query("UPDATE users SET role = 'user' WHERE id = $1")
        .bind(admin_id)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(app.api_get("/v2/users", &access).await.status(), 403);
    assert_eq!(app.api_get("/v2/users/me", &access).await.status(), 200);

    // The app deleted in My Apps: its token ends at once.
    let app_id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM oauth_apps WHERE client_id = $1")
        .bind(&client_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let deleted = app
        .call_as(
            &admin,
            "/api/credentials/apps/delete",
            &[("user", ""), ("app_id", &app_id.to_string())],
        )
        .await;
    assert_eq!(deleted.status(), 200, "{}", deleted.text().await.unwrap());
    assert_eq!(app.api_get("/v2/users/me", &access).await.status(), 401);
    expect_oauth_error(
        token_request(&app, &body, None).await,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
    )
    .await;
}

#[tokio::test]
async fn a_maker_who_cannot_sign_in_ends_the_token_and_gets_no_new_one() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let admin = app.signed_in_browser(Role::Administrator).await;
    let admin_id = app.id_of(Role::Administrator).await;
    let (client_id, secret) = app
        .make_app(&admin, "Roster CLI", "https://example.com/callback")
        .await;
    let issued: Value = token_request(
        &app,
        "grant_type=client_credentials",
        Some((&client_id, &secret)),
    )
    .await
    .json()
    .await
    .unwrap();
    let access = issued["access_token"].as_str().unwrap().to_owned();
    assert_eq!(app.api_get("/v2/users/me", &access).await.status(), 200);
    sqlx::query("UPDATE users SET locked_at = now() WHERE id = $1")
        .bind(admin_id)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(app.api_get("/v2/users/me", &access).await.status(), 401);
    expect_oauth_error(
        token_request(
            &app,
            "grant_type=client_credentials",
            Some((&client_id, &secret)),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
}

#[tokio::test]
async fn every_bad_token_request_gets_the_rfc_error() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let (id, secret) = app
        .make_app(&app.client, "Roster CLI", "https://example.com/callback")
        .await;
    let ok = |extra: &str| format!("client_id={id}&client_secret={secret}{extra}");

    // The body, HTTP Basic's App ID and Secret, and the answer.
    type Case<'a> = (String, Option<(&'a str, &'a str)>, StatusCode, &'a str);
    let cases: Vec<Case> = vec![
        (ok(""), None, StatusCode::BAD_REQUEST, "invalid_request"),
        (
            ok("&grant_type="),
            None,
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            ok("&grant_type=password"),
            None,
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
        ),
        (
            ok("&grant_type=authorization_code&code=x"),
            None,
            StatusCode::BAD_REQUEST,
            "invalid_grant",
        ),
        (
            ok("&grant_type=refresh_token&refresh_token=rrt_x"),
            None,
            StatusCode::BAD_REQUEST,
            "invalid_grant",
        ),
        (
            ok("&grant_type=refresh_token"),
            None,
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            ok("&grant_type=client_credentials&scope=mailbox"),
            None,
            StatusCode::BAD_REQUEST,
            "invalid_scope",
        ),
        (
            ok("&grant_type=client_credentials&grant_type=client_credentials"),
            None,
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            format!("grant_type=client_credentials&client_id={id}&client_secret=rs_wrong"),
            None,
            StatusCode::UNAUTHORIZED,
            "invalid_client",
        ),
        (
            format!("grant_type=client_credentials&client_id=app_nobody&client_secret={secret}"),
            None,
            StatusCode::UNAUTHORIZED,
            "invalid_client",
        ),
        (
            "grant_type=client_credentials".to_owned(),
            None,
            StatusCode::UNAUTHORIZED,
            "invalid_client",
        ),
        (
            "grant_type=client_credentials".to_owned(),
            Some((&id, "rs_wrong")),
            StatusCode::UNAUTHORIZED,
            "invalid_client",
        ),
        (
            format!("grant_type=client_credentials&client_secret={secret}"),
            Some((&id, &secret)),
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            format!(
                "grant_type=client_credentials&client_id=%00'%20OR%201=1&client_secret={secret}"
            ),
            None,
            StatusCode::UNAUTHORIZED,
            "invalid_client",
        ),
    ];
    for (body, basic, status, error) in cases {
        let response = token_request(&app, &body, basic).await;
        if status == StatusCode::UNAUTHORIZED {
            assert!(
                response.headers().contains_key(header::WWW_AUTHENTICATE),
                "{body}"
            );
        }
        expect_oauth_error(response, status, error).await;
    }
    // JSON bodies are read too; other media types are refused.
    let json = plain_client()
        .post(app.url("/v2/oauth2/token"))
        .json(&serde_json::json!({
            "grant_type": "client_credentials", "client_id": id, "client_secret": secret,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), 200);
    let text = plain_client()
        .post(app.url("/v2/oauth2/token"))
        .header(header::CONTENT_TYPE, "text/plain")
        .body(ok("&grant_type=client_credentials"))
        .send()
        .await
        .unwrap();
    expect_oauth_error(text, StatusCode::BAD_REQUEST, "invalid_request").await;
    let huge = token_request(
        &app,
        &ok(&format!(
            "&grant_type=client_credentials&x={}",
            "a".repeat(20_000)
        )),
        None,
    )
    .await;
    expect_oauth_error(huge, StatusCode::PAYLOAD_TOO_LARGE, "invalid_request").await;
    let get = plain_client()
        .get(app.url("/v2/oauth2/token"))
        .send()
        .await
        .unwrap();
    assert_eq!(get.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        app.count("oauth_tokens").await,
        1,
        "only the JSON request got a token"
    );
}
