//! API Keys, My Apps, Authorized Apps and an admin's view of someone's
//! Active Sessions: secrets shown once and stored hashed, who may create and
//! who may revoke.

use sha2::Digest as _;
use uuid::Uuid;

use crate::helpers::{plain_client, TestApp};
use app::domain::Role;

async fn credentials(app: &TestApp, client: &reqwest::Client, user: &str) -> serde_json::Value {
    let response = app
        .call_as(client, "/api/credentials/get", &[("user", user)])
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

#[tokio::test]
async fn an_api_key_is_shown_once_stored_hashed_and_regenerating_replaces_it() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let mine = credentials(&app, &app.client, "").await;
    assert!(mine["api_key"].is_null());

    let created = app
        .call("/api/credentials/api-key/create", &[("user", "")])
        .await;
    assert_eq!(created.status(), 200, "{}", created.text().await.unwrap());
    let first = credentials(&app, &app.client, "").await;
    let key = first["api_key"]["new_key"].as_str().unwrap().to_owned();
    assert!(key.starts_with("rk_") && key.len() == 46, "{key}");
    assert!(key.starts_with(first["api_key"]["prefix"].as_str().unwrap()));
    let stored: Vec<u8> =
        sqlx::query_scalar("SELECT key_hash FROM api_keys WHERE revoked_at IS NULL")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(stored, sha2::Sha256::digest(key.as_bytes()).to_vec());
    let dump: String = sqlx::query_scalar("SELECT string_agg(t::text, ' ') FROM api_keys t")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(
        !dump.contains(&key),
        "the key itself is not stored readably"
    );

    // A second view in the same browser shows it again: nothing a view does
    // clears it. Another browser of the same person never sees it, and this
    // one no longer does once its ten minutes are over.
    let again = credentials(&app, &app.client, "").await;
    assert_eq!(again["api_key"]["new_key"].as_str(), Some(key.as_str()));
    let (elsewhere, signed_in) = app
        .sign_in(&owner.email, crate::helpers::OWNER_PASSWORD)
        .await;
    assert_eq!(signed_in.status(), 200);
    let seen_elsewhere = credentials(&app, &elsewhere, "").await;
    assert!(seen_elsewhere["api_key"]["new_key"].is_null());
    assert_eq!(
        seen_elsewhere["api_key"]["prefix"],
        first["api_key"]["prefix"]
    );
    app.clock.advance(chrono::TimeDelta::minutes(10));
    let later = credentials(&app, &app.client, "").await;
    assert!(later["api_key"]["new_key"].is_null());
    assert_eq!(later["api_key"]["prefix"], first["api_key"]["prefix"]);

    app.call("/api/credentials/api-key/create", &[("user", "")])
        .await;
    let regenerated = credentials(&app, &app.client, "").await;
    assert_ne!(regenerated["api_key"]["new_key"].as_str().unwrap(), key);
    assert_eq!(app.count("api_keys WHERE revoked_at IS NULL").await, 1);
    assert_eq!(app.count("api_keys").await, 2);
    assert_eq!(
        app.count("audit_events WHERE action = 'api_key.regenerated'")
            .await,
        1
    );

    let revoked = app
        .call("/api/credentials/api-key/revoke", &[("user", "")])
        .await;
    assert_eq!(revoked.status(), 200);
    assert!(credentials(&app, &app.client, "").await["api_key"].is_null());
    let again = app
        .call("/api/credentials/api-key/revoke", &[("user", "")])
        .await;
    assert_eq!(again.status(), 404, "nothing left to revoke");
}

#[tokio::test]
async fn only_the_user_creates_credentials_and_admins_may_revoke_them() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let user = app.signed_in_browser(Role::User).await;
    let user_id = app.id_of(Role::User).await.to_string();
    let admin = app.signed_in_as(Role::Administrator).await;
    let admin_id = app.id_of(Role::Administrator).await.to_string();

    // Nobody creates a key or an app for someone else, whatever their role.
    let path = "/api/credentials/api-key/create";
    let response = app.call(path, &[("user", &user_id)]).await;
    assert_eq!(response.status(), 403, "the Owner for a User");
    let response = app.call_as(&admin, path, &[("user", &user_id)]).await;
    assert_eq!(response.status(), 403, "an Admin for a User");
    let app_form = |who: &str| {
        vec![
            ("user", who.to_owned()),
            ("name", "Sync".to_owned()),
            ("redirect_url", "https://example.com/cb".to_owned()),
        ]
    };
    let form = app_form(&user_id);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        app.call_as(&admin, "/api/credentials/apps/create", &form)
            .await
            .status(),
        403
    );

    // The user makes their own; an admin sees that they exist, never the secrets.
    assert_eq!(
        app.call_as(&user, "/api/credentials/api-key/create", &[("user", "")])
            .await
            .status(),
        200
    );
    let seen_by_user = credentials(&app, &user, "").await;
    assert!(seen_by_user["api_key"]["new_key"]
        .as_str()
        .unwrap()
        .starts_with("rk_"));
    let form = app_form("");
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        app.call_as(&user, "/api/credentials/apps/create", &form)
            .await
            .status(),
        200
    );
    let seen_by_admin = credentials(&app, &admin, &user_id).await;
    assert!(seen_by_admin["api_key"]["prefix"].is_string());
    assert!(seen_by_admin["api_key"]["new_key"].is_null());
    assert!(seen_by_admin["my_apps"][0]["new_secret"].is_null());
    // … and looking did not use up the user's showing. The newer secret
    // replaced the key's in their browser.
    let seen_by_user = credentials(&app, &user, "").await;
    assert!(seen_by_user["api_key"]["new_key"].is_null());
    assert!(seen_by_user["my_apps"][0]["new_secret"]
        .as_str()
        .unwrap()
        .starts_with("rs_"));

    // A User cannot see or touch the Admin's; an Admin revokes the User's.
    let response = app
        .call_as(&user, "/api/credentials/get", &[("user", &admin_id)])
        .await;
    assert_eq!(response.status(), 403);
    let response = app
        .call_as(
            &user,
            "/api/credentials/api-key/revoke",
            &[("user", &admin_id)],
        )
        .await;
    assert_eq!(response.status(), 403);
    let response = app
        .call_as(
            &admin,
            "/api/credentials/api-key/revoke",
            &[("user", &user_id)],
        )
        .await;
    assert_eq!(response.status(), 200);
    let actor: Uuid = sqlx::query_scalar(
        "SELECT actor_user_id FROM audit_events WHERE action = 'api_key.revoked'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(actor.to_string(), admin_id);

    // Anonymous, another account and a deleted user get nothing.
    let anonymous = plain_client();
    let response = app
        .call_as(&anonymous, "/api/credentials/get", &[("user", "")])
        .await;
    assert_eq!(response.status(), 401);
    let other = app.other_account_client().await;
    let response = app
        .call_as(&other, "/api/credentials/get", &[("user", &user_id)])
        .await;
    assert_eq!(response.status(), 404);
    let deleted = app.deleted_user_client().await;
    let response = app
        .call_as(&deleted, "/api/credentials/api-key/create", &[("user", "")])
        .await;
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn my_apps_get_an_app_id_and_a_secret_once_and_deleting_ends_their_authorizations() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let bad = app
        .call(
            "/api/credentials/apps/create",
            &[
                ("user", ""),
                ("name", " "),
                ("redirect_url", "http://example.com/cb"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let body: serde_json::Value = bad.json().await.unwrap();
    let errors = body.to_string();
    assert!(
        errors.contains("redirect_url") && errors.contains("name"),
        "{errors}"
    );
    assert_eq!(app.count("oauth_apps").await, 0);

    let created = app
        .call(
            "/api/credentials/apps/create",
            &[
                ("user", ""),
                ("name", "Zapier sync"),
                ("redirect_url", "https://zapier.com/cb"),
            ],
        )
        .await;
    assert_eq!(created.status(), 200, "{}", created.text().await.unwrap());
    let mine = credentials(&app, &app.client, "").await;
    let made = &mine["my_apps"][0];
    assert_eq!(made["name"], "Zapier sync");
    assert!(made["client_id"].as_str().unwrap().starts_with("app_"));
    let secret = made["new_secret"].as_str().unwrap();
    let stored: Vec<u8> = sqlx::query_scalar("SELECT secret_hash FROM oauth_apps")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, sha2::Sha256::digest(secret.as_bytes()).to_vec());
    assert_eq!(
        credentials(&app, &app.client, "").await["my_apps"][0]["new_secret"].as_str(),
        Some(secret),
        "a second view shows it again"
    );
    let dump: String = sqlx::query_scalar("SELECT string_agg(t::text, ' ') FROM oauth_apps t")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(!dump.contains(secret), "the secret is not stored readably");

    // Someone authorized it (the OAuth flow comes later: a row stands in).
    let app_id = made["id"].as_str().unwrap().to_owned();
    let owner_id: Uuid = app.id_of(Role::Owner).await;
    sqlx::query(
        "INSERT INTO authorized_apps (user_id, app_id, authorized_at) VALUES ($1, $2::uuid, now())",
    )
    .bind(owner_id)
    .bind(&app_id)
    .execute(&app.pool)
    .await
    .unwrap();
    let authorized = credentials(&app, &app.client, "").await;
    assert_eq!(authorized["authorized_apps"][0]["name"], "Zapier sync");
    let authorization = authorized["authorized_apps"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let revoked = app
        .call(
            "/api/credentials/authorized-apps/revoke",
            &[("user", ""), ("authorization_id", &authorization)],
        )
        .await;
    assert_eq!(revoked.status(), 200);
    assert_eq!(
        credentials(&app, &app.client, "").await["authorized_apps"],
        serde_json::json!([])
    );

    sqlx::query(
        "INSERT INTO authorized_apps (user_id, app_id, authorized_at) VALUES ($1, $2::uuid, now())",
    )
    .bind(owner_id)
    .bind(&app_id)
    .execute(&app.pool)
    .await
    .unwrap();
    let deleted = app
        .call(
            "/api/credentials/apps/delete",
            &[("user", ""), ("app_id", &app_id)],
        )
        .await;
    assert_eq!(deleted.status(), 200);
    let after = credentials(&app, &app.client, "").await;
    assert_eq!(after["my_apps"], serde_json::json!([]));
    assert_eq!(after["authorized_apps"], serde_json::json!([]));
    assert_eq!(
        app.count("authorized_apps WHERE revoked_at IS NULL").await,
        0
    );
    let again = app
        .call(
            "/api/credentials/apps/delete",
            &[("user", ""), ("app_id", &app_id)],
        )
        .await;
    assert_eq!(again.status(), 404);
    let forged = app
        .call(
            "/api/credentials/apps/delete",
            &[("user", ""), ("app_id", "not-an-id")],
        )
        .await;
    assert_eq!(forged.status(), 404);
}

#[tokio::test]
async fn an_admin_sees_and_ends_a_users_sessions_and_a_user_cannot() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let user = app.signed_in_as(Role::User).await;
    let user_id = app.id_of(Role::User).await.to_string();
    let admin = app.signed_in_as(Role::Administrator).await;
    let owner_id: Uuid = app.id_of(Role::Owner).await;

    let listed = app
        .call_as(&admin, "/api/profile/sessions", &[("user", &user_id)])
        .await;
    assert_eq!(listed.status(), 200);
    let rows: serde_json::Value = listed.json().await.unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1);

    // A User sees nobody's; an Admin cannot end the Owner's.
    let response = app
        .call_as(
            &user,
            "/api/profile/sessions",
            &[("user", &owner_id.to_string())],
        )
        .await;
    assert_eq!(response.status(), 403);
    let response = app
        .call_as(
            &admin,
            "/api/profile/sessions/revoke",
            &[("user", &owner_id.to_string()), ("session_id", "")],
        )
        .await;
    assert_eq!(response.status(), 403);

    // One session by its id, then every one that is left.
    let mut conn = app.pool.acquire().await.unwrap();
    app::session::store::start(
        &mut conn,
        Uuid::parse_str(&user_id).unwrap(),
        &app::request::RequestInfo::default(),
        app.clock.now(),
    )
    .await
    .unwrap();
    drop(conn);
    let rows: serde_json::Value = app
        .call_as(&admin, "/api/profile/sessions", &[("user", &user_id)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 2);
    let one = rows[0]["id"].as_str().unwrap().to_owned();
    let revoked = app
        .call_as(
            &admin,
            "/api/profile/sessions/revoke",
            &[("user", &user_id), ("session_id", &one)],
        )
        .await;
    assert_eq!(revoked.status(), 200);
    let again = app
        .call_as(
            &admin,
            "/api/profile/sessions/revoke",
            &[("user", &user_id), ("session_id", &one)],
        )
        .await;
    assert_eq!(again.status(), 404, "that one is already ended");
    let rows: serde_json::Value = app
        .call_as(&admin, "/api/profile/sessions", &[("user", &user_id)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    let revoked = app
        .call_as(
            &admin,
            "/api/profile/sessions/revoke",
            &[("user", &user_id), ("session_id", "")],
        )
        .await;
    assert_eq!(revoked.status(), 200, "{}", revoked.text().await.unwrap());
    let response = app
        .call_as(&user, "/api/credentials/get", &[("user", "")])
        .await;
    assert_eq!(response.status(), 401, "the user is signed out at once");
    assert_eq!(
        app.count("audit_events WHERE action = 'sessions.revoked_by_admin'")
            .await,
        2,
        "one revocation by id, one of all the rest"
    );
}
