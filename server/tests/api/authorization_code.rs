//! The authorization-code grant: the authorization page (Allow, Deny, and
//! the requests it refuses), the code traded by a real OAuth client (the
//! `oauth2` crate) with PKCE, refresh-token rotation and replay, and every
//! way an authorization ends.

use oauth2::{
    basic::BasicClient, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken,
    PkceCodeChallenge, RedirectUrl, TokenResponse as _, TokenUrl,
};
use reqwest::{header, StatusCode};
use serde_json::Value;

use crate::helpers::{plain_client, TestApp, HTML};
use app::domain::Role;

const CALLBACK: &str = "https://example.com/callback";

/// Opens the authorization page at `address` (path and query) as `person`.
async fn open_page(app: &TestApp, person: &reqwest::Client, address: &str) -> reqwest::Response {
    app.get_as(person, address).await
}

/// Presses Allow or Deny on the page at `address`, as its form does without
/// JavaScript; the answer's `Location`.
async fn answer(app: &TestApp, person: &reqwest::Client, address: &str, answer: &str) -> String {
    let (path, query) = address.split_once('?').unwrap_or((address, ""));
    let response = person
        .post(app.url("/api/oauth/authorization/answer"))
        .header(header::ACCEPT, HTML)
        .header(header::ORIGIN, &app.address)
        .header(header::REFERER, app.url(address))
        .form(&[("path", path), ("query", query), ("answer", answer)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FOUND, "{address}");
    response.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned()
}

/// The query parameter `name` of `url`.
fn param(url: &str, name: &str) -> Option<String> {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

fn oauth_client(
    app: &TestApp,
    id: &str,
    secret: &str,
) -> oauth2::basic::BasicClient<
    oauth2::EndpointSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointSet,
> {
    BasicClient::new(ClientId::new(id.to_owned()))
        .set_client_secret(ClientSecret::new(secret.to_owned()))
        .set_auth_uri(AuthUrl::new(app.url("/oauth2/authorize")).unwrap())
        .set_token_uri(TokenUrl::new(app.url("/v2/oauth2/token")).unwrap())
        .set_redirect_uri(RedirectUrl::new(CALLBACK.to_owned()).unwrap())
}

fn http() -> reqwest::Client {
    plain_client()
}

async fn token_request(app: &TestApp, id: &str, secret: &str, body: &str) -> reqwest::Response {
    plain_client()
        .post(app.url("/v2/oauth2/token"))
        .basic_auth(id, Some(secret))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

async fn oauth_error(response: reqwest::Response) -> (StatusCode, String) {
    let status = response.status();
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
    let body: Value = response.json().await.unwrap();
    (
        status,
        body["error"].as_str().unwrap_or_default().to_owned(),
    )
}

/// The address of the authorization page for `id`, Help Scout's way.
fn help_scout_address(id: &str, state: &str) -> String {
    format!("/authentication/authorizeClientApplication?client_id={id}&state={state}")
}

/// A code for `id`'s app from `person` pressing Allow, Help Scout's way.
async fn allowed_code(app: &TestApp, person: &reqwest::Client, id: &str) -> String {
    let location = answer(app, person, &help_scout_address(id, "s1"), "allow").await;
    assert!(location.starts_with(CALLBACK), "{location}");
    assert_eq!(param(&location, "state").as_deref(), Some("s1"));
    param(&location, "code").unwrap()
}

#[tokio::test]
async fn a_real_client_is_allowed_by_a_person_of_another_account_and_acts_as_them() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let (id, secret) = app.make_app(&app.client, "Zap Sync", CALLBACK).await;
    let person = app.other_account_client().await;
    let client = oauth_client(&app, &id, &secret);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (address, csrf) = client
        .authorize_url(CsrfToken::new_random)
        .set_pkce_challenge(challenge)
        .url();
    assert_eq!(address.path(), "/oauth2/authorize");
    let address = format!("{}?{}", address.path(), address.query().unwrap());

    let page = open_page(&app, &person, &address).await;
    assert_eq!(page.status(), 200);
    let csp = page.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("form-action 'self' https://example.com"),
        "{csp}"
    );
    assert!(!page.headers().contains_key("x-roster-form-action"));
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Allow Zap Sync to use your Roster account?"),
        "{html}"
    );
    assert!(html.contains(&format!("Zap Sync was made by {}", owner.name)));
    assert!(html.contains(">Allow</button>") && html.contains(">Deny</button>"));

    let location = answer(&app, &person, &address, "allow").await;
    assert_eq!(
        param(&location, "state").as_deref(),
        Some(csrf.secret().as_str())
    );
    let code = param(&location, "code").unwrap();
    assert!(code.starts_with("rac_"), "{code}");
    let token = client
        .exchange_code(AuthorizationCode::new(code.clone()))
        .set_pkce_verifier(verifier)
        .request_async(&http())
        .await
        .unwrap();
    assert_eq!(
        token.expires_in(),
        Some(std::time::Duration::from_secs(2 * 24 * 3600))
    );
    let access = token.access_token().secret().clone();
    let refresh = token.refresh_token().unwrap().clone();
    assert!(access.starts_with("rat_") && refresh.secret().starts_with("rrt_"));

    // The token acts as the person who allowed it, in their account.
    let read: Value = app
        .api_get("/v2/users/me", &access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read["role"], "owner");
    assert_ne!(read["email"], owner.email.as_str());
    let listed: Value = plain_client()
        .get(app.url("/v2/users"))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["page"]["totalElements"], 1, "only their account");

    // Every secret is stored as its SHA-256 only.
    for (table, column, secret) in [
        ("oauth_codes", "code_hash", code.as_str()),
        (
            "oauth_refresh_tokens",
            "token_hash",
            refresh.secret().as_str(),
        ),
        ("oauth_tokens", "access_hash", access.as_str()),
    ] {
        let stored: i64 = sqlx::query_scalar(&format!(
            "SELECT count(*) FROM {table} WHERE {column} = sha256($1::bytea)"
        ))
        .bind(secret.as_bytes())
        .fetch_one(&app.pool)
        .await
        .unwrap();
        assert_eq!(stored, 1, "{table}");
    }

    // Refreshing gives a new pair; the old access token still works until
    // it expires.
    let refreshed = client
        .exchange_refresh_token(&refresh)
        .request_async(&http())
        .await
        .unwrap();
    let second_refresh = refreshed.refresh_token().unwrap().clone();
    assert_ne!(second_refresh.secret(), refresh.secret());
    let second_access = refreshed.access_token().secret().clone();
    assert_eq!(
        app.api_get("/v2/users/me", &second_access).await.status(),
        200
    );
    assert_eq!(app.api_get("/v2/users/me", &access).await.status(), 200);

    // Authorized Apps lists it, with its maker and its last use.
    let credentials: Value = app
        .call_as(&person, "/api/credentials/get", &[("user", "")])
        .await
        .json()
        .await
        .unwrap();
    let listed = &credentials["authorized_apps"];
    assert_eq!(listed.as_array().unwrap().len(), 1, "{credentials}");
    assert_eq!(listed[0]["name"], "Zap Sync");
    assert_eq!(listed[0]["maker"], owner.name.as_str());
    assert!(listed[0]["last_used_at"].is_string());

    // The traded refresh token shown again: the whole authorization ends.
    let replay = client
        .exchange_refresh_token(&refresh)
        .request_async(&http())
        .await;
    assert!(replay.is_err());
    assert_eq!(
        app.api_get("/v2/users/me", &second_access).await.status(),
        401
    );
    assert_eq!(app.api_get("/v2/users/me", &access).await.status(), 401);
    let after = client
        .exchange_refresh_token(&second_refresh)
        .request_async(&http())
        .await;
    assert!(after.is_err(), "the newest refresh token ended too");
    let reason: String = sqlx::query_scalar(
        "SELECT details->>'reason' FROM audit_events WHERE action = 'authorized_app.revoked'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(reason, "a refresh token was used twice");
    let allowed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'authorized_app.allowed'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(allowed, 1);
}

#[tokio::test]
async fn a_code_works_once_within_ten_minutes_for_its_own_app_and_address() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let (id, secret) = app.make_app(&app.client, "Zap Sync", CALLBACK).await;
    let admin = app.signed_in_browser(Role::Administrator).await;
    let (other_id, other_secret) = app.make_app(&admin, "Zap Sync", CALLBACK).await;
    let trade =
        |code: &str, extra: &str| format!("grant_type=authorization_code&code={code}{extra}");

    // Another app cannot trade it; it stays good for its own.
    let code = allowed_code(&app, &app.client, &id).await;
    let (status, error) =
        oauth_error(token_request(&app, &other_id, &other_secret, &trade(&code, "")).await).await;
    assert_eq!(
        (status, error.as_str()),
        (StatusCode::BAD_REQUEST, "invalid_grant")
    );
    // A redirect_uri the authorization request did not name must be the
    // app's own.
    let (_, error) = oauth_error(
        token_request(
            &app,
            &id,
            &secret,
            &trade(&code, "&redirect_uri=https%3A%2F%2Fevil.example%2Fcb"),
        )
        .await,
    )
    .await;
    assert_eq!(error, "invalid_grant");
    // A verifier with no challenge is refused (a downgrade would show).
    let (_, error) = oauth_error(
        token_request(
            &app,
            &id,
            &secret,
            &trade(&code, &format!("&code_verifier={}", "v".repeat(43))),
        )
        .await,
    )
    .await;
    assert_eq!(error, "invalid_grant");
    let first = token_request(
        &app,
        &id,
        &secret,
        &trade(&code, &format!("&redirect_uri={}", urlencode(CALLBACK))),
    )
    .await;
    assert_eq!(first.status(), 200);
    let first: Value = first.json().await.unwrap();
    let access = first["access_token"].as_str().unwrap().to_owned();
    assert!(first["refresh_token"].is_string());
    assert_eq!(app.api_get("/v2/users/me", &access).await.status(), 200);

    // Used twice: refused, and what the first use gave ends.
    let (_, error) = oauth_error(token_request(&app, &id, &secret, &trade(&code, "")).await).await;
    assert_eq!(error, "invalid_grant");
    assert_eq!(app.api_get("/v2/users/me", &access).await.status(), 401);

    // Expired after ten minutes.
    let late = allowed_code(&app, &app.client, &id).await;
    app.clock
        .advance(chrono::TimeDelta::minutes(10) + chrono::TimeDelta::seconds(1));
    let (_, error) = oauth_error(token_request(&app, &id, &secret, &trade(&late, "")).await).await;
    assert_eq!(error, "invalid_grant");

    // A refresh token unused for 90 days has expired.
    let (_, refresh) = pair(&app, &app.client, &id, &secret).await;
    app.clock
        .advance(chrono::TimeDelta::days(90) + chrono::TimeDelta::seconds(1));
    let (_, error) = oauth_error(
        token_request(
            &app,
            &id,
            &secret,
            &format!("grant_type=refresh_token&refresh_token={refresh}"),
        )
        .await,
    )
    .await;
    assert_eq!(error, "invalid_grant");

    // Garbage codes and a missing one.
    for body in [
        trade("rac_nothing", ""),
        trade("%00'%20OR%201=1", ""),
        "grant_type=authorization_code".to_owned(),
    ] {
        let (status, error) = oauth_error(token_request(&app, &id, &secret, &body).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(
            matches!(error.as_str(), "invalid_grant" | "invalid_request"),
            "{body}"
        );
    }
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn the_page_refuses_on_the_spot_what_it_cannot_trust_and_sends_back_the_rest() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let (id, _) = app.make_app(&app.client, "Zap Sync", CALLBACK).await;

    // Unknown app, a redirect_uri not the app's, a repeated client_id: said
    // on the page, sent nowhere.
    for address in [
        "/authentication/authorizeClientApplication?client_id=app_nobody&state=x".to_owned(),
        "/authentication/authorizeClientApplication?state=x".to_owned(),
        format!(
            "/oauth2/authorize?response_type=code&client_id={id}&redirect_uri={}",
            urlencode("https://evil.example/cb")
        ),
        format!("/oauth2/authorize?response_type=code&client_id={id}&client_id={id}"),
    ] {
        let page = open_page(&app, &app.client, &address).await;
        assert_eq!(page.status(), 400, "{address}");
        assert!(!page.headers().contains_key(header::LOCATION));
        let html = page.text().await.unwrap();
        assert!(
            html.contains("This app can&#x27;t be allowed")
                || html.contains("This app can't be allowed"),
            "{html}"
        );
        assert!(!html.contains(CALLBACK));
    }

    // The rest goes back to the app with the RFC's error and the state.
    for (address, error) in [
        (
            format!("/oauth2/authorize?client_id={id}&state=st"),
            "invalid_request",
        ),
        (
            format!("/oauth2/authorize?response_type=token&client_id={id}&state=st"),
            "unsupported_response_type",
        ),
        (
            format!("{}&scope=mailbox", help_scout_address(&id, "st")),
            "invalid_scope",
        ),
        (
            format!(
                "{}&code_challenge=abc&code_challenge_method=plain",
                help_scout_address(&id, "st")
            ),
            "invalid_request",
        ),
        (
            format!("{}&state=again", help_scout_address(&id, "st")),
            "invalid_request",
        ),
    ] {
        let page = open_page(&app, &app.client, &address).await;
        assert_eq!(page.status(), StatusCode::FOUND, "{address}");
        let location = page.headers()[header::LOCATION].to_str().unwrap();
        assert!(location.starts_with(CALLBACK), "{location}");
        assert_eq!(
            param(location, "error").as_deref(),
            Some(error),
            "{address}"
        );
        assert_eq!(param(location, "state").as_deref(), Some("st"), "{address}");
    }

    // Signed out: to sign in first, and back here after.
    let address = help_scout_address(&id, "st");
    let page = open_page(&app, &plain_client(), &address).await;
    assert!(page.status().is_redirection());
    let location = page.headers()[header::LOCATION].to_str().unwrap();
    assert!(location.starts_with("/sign-in?next="), "{location}");
    assert_eq!(
        param(&format!("http://roster.test{location}"), "next").as_deref(),
        Some(address.as_str())
    );

    // Deny: back to the app with access_denied, nothing stored.
    let location = answer(&app, &app.client, &address, "deny").await;
    assert_eq!(param(&location, "error").as_deref(), Some("access_denied"));
    assert_eq!(param(&location, "state").as_deref(), Some("st"));
    assert!(param(&location, "code").is_none());
    assert_eq!(app.count("authorized_apps").await, 0);
    assert_eq!(app.count("oauth_codes").await, 0);
    // Neither answer: refused, nothing stored.
    let refused = app
        .client
        .post(app.url("/api/oauth/authorization/answer"))
        .header(header::ACCEPT, "application/json")
        .header(header::ORIGIN, &app.address)
        .form(&[
            ("path", "/authentication/authorizeClientApplication"),
            ("query", &address[address.find('?').unwrap() + 1..]),
            ("answer", "maybe"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    assert_eq!(app.count("authorized_apps").await, 0);
    // Allowing twice keeps one authorization.
    allowed_code(&app, &app.client, &id).await;
    allowed_code(&app, &app.client, &id).await;
    assert_eq!(app.count("authorized_apps").await, 1);
    assert_eq!(app.count("oauth_codes").await, 2);
}

/// An access token and a refresh token acting as `person`, who allowed the app.
async fn pair(app: &TestApp, person: &reqwest::Client, id: &str, secret: &str) -> (String, String) {
    let code = allowed_code(app, person, id).await;
    let body = format!("grant_type=authorization_code&code={code}");
    let issued: Value = token_request(app, id, secret, &body)
        .await
        .json()
        .await
        .unwrap();
    (
        issued["access_token"].as_str().unwrap().to_owned(),
        issued["refresh_token"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn revoking_deleting_the_app_or_the_person_ends_every_token_at_once() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let (id, secret) = app.make_app(&app.client, "Zap Sync", CALLBACK).await;
    let admin = app.signed_in_browser(Role::Administrator).await;
    let admin_id = app.id_of(Role::Administrator).await;
    let refresh_with = |token: &str| format!("grant_type=refresh_token&refresh_token={token}");

    // Revoked in Authorized Apps.
    let (access, refresh) = pair(&app, &admin, &id, &secret).await;
    assert_eq!(app.api_get("/v2/users/me", &access).await.status(), 200);
    let credentials: Value = app
        .call_as(&admin, "/api/credentials/get", &[("user", "")])
        .await
        .json()
        .await
        .unwrap();
    let authorization = credentials["authorized_apps"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let revoked = app
        .call_as(
            &admin,
            "/api/credentials/authorized-apps/revoke",
            &[("user", ""), ("authorization_id", &authorization)],
        )
        .await;
    assert_eq!(revoked.status(), 200, "{}", revoked.text().await.unwrap());
    assert_eq!(app.api_get("/v2/users/me", &access).await.status(), 401);
    let (_, error) =
        oauth_error(token_request(&app, &id, &secret, &refresh_with(&refresh)).await).await;
    assert_eq!(error, "invalid_grant");

    // Allowed again, then the person demoted: the token has their new rights.
    let (access, _) = pair(&app, &admin, &id, &secret).await;
    assert_eq!(app.api_get("/v2/users", &access).await.status(), 200);
    sqlx::query("UPDATE users SET role = 'user' WHERE id = $1")
        .bind(admin_id)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(app.api_get("/v2/users", &access).await.status(), 403);

    // The person deleted: their authorizations end.
    sqlx::query("UPDATE users SET role = 'administrator' WHERE id = $1")
        .bind(admin_id)
        .execute(&app.pool)
        .await
        .unwrap();
    let (access, refresh) = pair(&app, &admin, &id, &secret).await;
    let deleted = app
        .call(
            "/api/users/delete",
            &[
                ("user", &admin_id.to_string()),
                ("reason", "left_company"),
                ("confirm", "on"),
                ("password", crate::helpers::OWNER_PASSWORD),
            ],
        )
        .await;
    assert_eq!(deleted.status(), 200, "{}", deleted.text().await.unwrap());
    assert_eq!(app.api_get("/v2/users/me", &access).await.status(), 401);
    let (_, error) =
        oauth_error(token_request(&app, &id, &secret, &refresh_with(&refresh)).await).await;
    assert_eq!(error, "invalid_grant");
    let live: i64 =
        sqlx::query_scalar("SELECT count(*) FROM authorized_apps WHERE revoked_at IS NULL")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(live, 0);

    // The app deleted: the Owner's own authorization of it ends too.
    let (access, refresh) = pair(&app, &app.client, &id, &secret).await;
    let app_id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM oauth_apps WHERE client_id = $1")
        .bind(&id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let deleted = app
        .call(
            "/api/credentials/apps/delete",
            &[("user", ""), ("app_id", &app_id.to_string())],
        )
        .await;
    assert_eq!(deleted.status(), 200);
    assert_eq!(app.api_get("/v2/users/me", &access).await.status(), 401);
    let (status, _) =
        oauth_error(token_request(&app, &id, &secret, &refresh_with(&refresh)).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the app itself is gone");
}

/// Signed out with two-factor on: the password, then a code, and the person
/// is back on the authorization page the app sent them to, and can allow.
#[tokio::test]
async fn a_person_with_two_factor_signs_in_and_comes_back_to_the_question() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let (id, _) = app.make_app(&app.client, "Zap Sync", CALLBACK).await;
    let (secret, _) = crate::two_factor::enable(&app, &app.client).await;
    let address = help_scout_address(&id, "st");

    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let page = open_page(&app, &browser, &address).await;
    let location = page.headers()[header::LOCATION].to_str().unwrap();
    let next = param(&format!("http://roster.test{location}"), "next").unwrap();
    assert_eq!(next, address);
    let signed_in = browser
        .post(app.url("/api/sign-in"))
        .header(header::ORIGIN, &app.address)
        .header(header::ACCEPT, "application/json")
        .form(&[
            ("email", owner.email.as_str()),
            ("password", crate::helpers::OWNER_PASSWORD),
            ("next", next.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.headers()[header::LOCATION], "/sign-in/two-factor");
    app.clock.advance(chrono::TimeDelta::seconds(30));
    let code =
        app::two_factor::totp::code_at(&secret, app::two_factor::totp::step_at(app.clock.now()));
    let verified = app
        .call_as(&browser, "/api/two-factor/verify", &[("code", &code)])
        .await;
    assert_eq!(verified.status(), 200);
    assert_eq!(
        verified.headers()[header::LOCATION].to_str().unwrap(),
        address,
        "back to the question"
    );
    let question = open_page(&app, &browser, &address).await;
    assert_eq!(question.status(), 200);
    assert!(question.text().await.unwrap().contains("Zap Sync"));
    let location = answer(&app, &browser, &address, "allow").await;
    assert!(location.starts_with(CALLBACK), "{location}");
    assert!(param(&location, "code").is_some());
}
