//! The authorization matrix of the profile's and Manage's server functions:
//! every one asked, with otherwise valid input, by someone signed out, by a
//! deleted user's session, by another account's Owner, and by a User and a
//! Light User about somebody else. Each must refuse before changing
//! anything.

use uuid::Uuid;

use crate::helpers::{plain_client, TestApp};
use app::domain::Role;

/// Stands for the target's current version, for the functions that check it.
const VERSION: &str = "<version>";

/// Each function that names a user, with otherwise valid fields.
const ABOUT_A_USER: &[(&str, &[(&str, &str)])] = &[
    ("/api/profile/get", &[]),
    (
        "/api/profile/update",
        &[
            ("version", VERSION),
            ("name", "Ada King"),
            ("timezone", "UTC"),
            ("time_format", "24h"),
        ],
    ),
    (
        "/api/profile/email",
        &[("version", VERSION), ("email", "new.address@example.com")],
    ),
    (
        "/api/profile/auto-bcc",
        &[("version", VERSION), ("auto_bcc", "crm@example.com")],
    ),
    ("/api/profile/inbox-access/get", &[]),
    ("/api/profile/inbox-access", &[("version", VERSION)]),
    (
        "/api/profile/role",
        &[("version", VERSION), ("role", "user")],
    ),
    ("/api/profile/notifications", &[("version", VERSION)]),
    ("/api/profile/sessions", &[]),
    ("/api/profile/sessions/revoke", &[]),
    ("/api/profile/teams", &[]),
    ("/api/profile/teams/update", &[("version", VERSION)]),
    ("/api/profile/feature-permissions", &[]),
    (
        "/api/profile/feature-permissions/update",
        &[("version", VERSION), ("mode", "default")],
    ),
    ("/api/profile/photo/remove", &[]),
    ("/api/credentials/get", &[]),
    ("/api/credentials/api-key/create", &[]),
    ("/api/credentials/api-key/revoke", &[]),
    (
        "/api/credentials/apps/create",
        &[("name", "Sync"), ("redirect_url", "https://example.com/cb")],
    ),
    (
        "/api/credentials/apps/delete",
        &[("app_id", "00000000-0000-0000-0000-000000000000")],
    ),
    (
        "/api/credentials/authorized-apps/revoke",
        &[("authorization_id", "00000000-0000-0000-0000-000000000000")],
    ),
];

/// Manage's functions, for the Owner and Administrators only.
const MANAGE: &[(&str, &[(&str, &str)])] = &[
    (
        "/api/users/delete/preview",
        &[("user", "00000000-0000-0000-0000-000000000000")],
    ),
    (
        "/api/users/delete",
        &[
            ("user", "00000000-0000-0000-0000-000000000000"),
            ("reason", "left_company"),
            ("confirm", "on"),
        ],
    ),
    (
        "/api/users/access/preview",
        &[("user", "00000000-0000-0000-0000-000000000000")],
    ),
    (
        "/api/users/deactivate",
        &[("user", "00000000-0000-0000-0000-000000000000")],
    ),
    (
        "/api/users/reactivate",
        &[("user", "00000000-0000-0000-0000-000000000000")],
    ),
    ("/api/audit-log/list", &[]),
    (
        "/api/users/revoke-invite",
        &[("user_id", "00000000-0000-0000-0000-000000000000")],
    ),
    (
        "/api/users/copy-invite-link",
        &[("user_id", "00000000-0000-0000-0000-000000000000")],
    ),
    ("/api/provisioning/get", &[]),
    ("/api/provisioning/token/create", &[]),
    ("/api/provisioning/token/revoke", &[]),
    ("/api/teams/list", &[]),
    ("/api/teams/create", &[("name", "Tier 3")]),
    (
        "/api/teams/add-member",
        &[
            ("team_id", "00000000-0000-0000-0000-000000000000"),
            ("email", "a@example.com"),
        ],
    ),
    (
        "/api/teams/remove-member",
        &[
            ("team_id", "00000000-0000-0000-0000-000000000000"),
            ("user_id", "00000000-0000-0000-0000-000000000000"),
        ],
    ),
    ("/api/company/settings", &[]),
    ("/api/company/plan", &[("plan", "pro")]),
    ("/api/company/two-factor", &[("roles[]", "user")]),
    ("/api/users/invite-from-csv/get", &[]),
    (
        "/api/users/invite-from-csv/create",
        &[("file", "00000000-0000-0000-0000-000000000000")],
    ),
    ("/api/company/permissions", &[]),
    ("/api/company/permissions/update", &[("role", "user")]),
];

#[tokio::test]
async fn nobody_reaches_a_profile_or_manage_function_they_may_not_use() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let target = app.signed_in_as(Role::User).await;
    let target_id: Uuid = app.id_of(Role::User).await;
    let target_id = target_id.to_string();
    let version: i64 = app
        .version_of(app.id_of(Role::User).await)
        .await
        .parse()
        .unwrap();
    let version = version.to_string();
    let other_user = app.signed_in_as(Role::User).await;
    let light_user = app.signed_in_as(Role::LightUser).await;
    let outsider = app.other_account_client().await;
    let deleted = app.deleted_user_client().await;
    // Every account on Pro, so no answer is only about the plan.
    app.set_plan("pro").await;
    let anonymous = plain_client();
    let audit_before = app.count("audit_events").await;
    drop(target);

    let askers: [(&str, &reqwest::Client, u16); 5] = [
        ("signed out", &anonymous, 401),
        ("a deleted user", &deleted, 401),
        ("another account's Owner", &outsider, 404),
        ("another User", &other_user, 403),
        ("a Light User", &light_user, 403),
    ];
    for (path, fields) in ABOUT_A_USER {
        let mut form: Vec<(&str, &str)> = fields
            .iter()
            .map(|&(name, value)| {
                (
                    name,
                    if value == VERSION {
                        version.as_str()
                    } else {
                        value
                    },
                )
            })
            .collect();
        form.push(("user", &target_id));
        for (who, client, expected) in &askers {
            let status = app.call_as(client, path, &form).await.status();
            assert_eq!(status.as_u16(), *expected, "{path} asked by {who}");
        }
    }
    for (path, fields) in MANAGE {
        for (who, client, expected) in &askers {
            let expected = match *expected {
                404 => continue, // an Owner manages their own account
                other => other,
            };
            let status = app.call_as(client, path, fields).await.status();
            assert_eq!(status.as_u16(), expected, "{path} asked by {who}");
        }
    }
    assert_eq!(
        app.count("audit_events").await,
        audit_before,
        "nothing changed"
    );
}

/// The API's routes, asked with each one's own API key (or none): the same
/// refusals as the pages give, and nothing of another account.
#[tokio::test]
async fn nobody_reads_more_of_the_api_than_the_pages_show_them() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let key_of = |email_like: &'static str| {
        let app = &app;
        async move {
            let id: Uuid = sqlx::query_scalar(
                "SELECT id FROM users WHERE email LIKE $1 ORDER BY created_at DESC LIMIT 1",
            )
            .bind(email_like)
            .fetch_one(&app.pool)
            .await
            .unwrap();
            app.api_key_for(id).await
        }
    };
    app.signed_in_as(Role::User).await;
    let target: i64 = sqlx::query_scalar("SELECT number FROM users WHERE role = 'user'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let user_key = key_of("%@example.com").await;
    app.signed_in_as(Role::LightUser).await;
    let light_key = key_of("%@example.com").await;
    app.other_account_client().await;
    let outsider_key = key_of("%@example.com").await;
    app.deleted_user_client().await;
    let deleted_key = key_of("%@example.com").await;
    // The User asks about themselves below; the other askers are not them.
    app.signed_in_as(Role::User).await;
    let other_user_key = key_of("%@example.com").await;

    let about_a_user = format!("/v2/users/{target}");
    let askers: [(&str, Option<&str>, u16, u16); 5] = [
        // who, key, the answer about a user, the answer to the list
        ("signed out", None, 401, 401),
        ("a deleted user", Some(&deleted_key), 401, 401),
        ("another account's Owner", Some(&outsider_key), 404, 200),
        ("another User", Some(&other_user_key), 403, 403),
        ("a Light User", Some(&light_key), 403, 403),
    ];
    for (who, key, about, list) in askers {
        for (path, expected) in [(about_a_user.as_str(), about), ("/v2/users", list)] {
            let mut request = plain_client().get(app.url(path));
            if let Some(key) = key {
                request = request.bearer_auth(key);
            }
            let response = request.send().await.unwrap();
            assert_eq!(
                response.status().as_u16(),
                expected,
                "{path} asked by {who}"
            );
            if expected == 200 {
                let body: serde_json::Value = response.json().await.unwrap();
                assert_eq!(body["page"]["totalElements"], 1, "only their own account");
            }
        }
    }
    let own = plain_client()
        .get(app.url(&about_a_user))
        .bearer_auth(&user_key)
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 200, "a User reads themselves");
}
