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
