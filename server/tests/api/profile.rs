//! The Profile section: saving one's own and (for admins) others', the
//! version check, and who may open whose.

use uuid::Uuid;

use crate::helpers::{plain_client, TestApp, OWNER_PASSWORD};
use app::domain::Role;

async fn profile(app: &TestApp, client: &reqwest::Client, user: &str) -> reqwest::Response {
    app.call_as(client, "/api/profile/get", &[("user", user)])
        .await
}

fn form<'a>(user: &'a str, version: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("user", user),
        ("name", "Ada King"),
        ("job_title", "Head of Support"),
        ("phone", "+44 20 7946 0000"),
        ("pronouns", "she/her"),
        ("timezone", "Europe/London"),
        ("time_format", "12h"),
        ("version", version),
    ]
}

fn with<'a>(
    mut form: Vec<(&'a str, &'a str)>,
    field: &'a str,
    value: &'a str,
) -> Vec<(&'a str, &'a str)> {
    form.retain(|(name, _)| *name != field);
    form.push((field, value));
    form
}

#[tokio::test]
async fn the_owner_saves_their_profile_and_a_stale_save_is_refused() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let mine: serde_json::Value = profile(&app, &app.client, "").await.json().await.unwrap();
    assert_eq!(mine["is_self"], true);
    assert_eq!(mine["timezone"], "UTC");
    let version = mine["version"].as_i64().unwrap().to_string();

    let saved = app.call("/api/profile/update", &form("", &version)).await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    let mine: serde_json::Value = profile(&app, &app.client, "").await.json().await.unwrap();
    assert_eq!(mine["name"], "Ada King");
    assert_eq!(mine["job_title"], "Head of Support");
    assert_eq!(mine["time_format"], "TwelveHour");
    let details: serde_json::Value =
        sqlx::query_scalar("SELECT details FROM audit_events WHERE action = 'profile.updated'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        details["name"],
        serde_json::json!({ "old": "Ada Lovelace", "new": "Ada King" })
    );
    assert_eq!(details["timezone"]["new"], "Europe/London");

    // The same (now old) version again: someone else's save came first.
    let stale = app
        .call(
            "/api/profile/update",
            &with(form("", &version), "name", "Ada Byron"),
        )
        .await;
    assert_eq!(stale.status(), 409);
    let mine: serde_json::Value = profile(&app, &app.client, "").await.json().await.unwrap();
    assert_eq!(mine["name"], "Ada King", "the stale save changed nothing");
}

#[tokio::test]
async fn bad_input_is_refused_on_its_field_and_nothing_changes() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let mine: serde_json::Value = profile(&app, &app.client, "").await.json().await.unwrap();
    let version = mine["version"].as_i64().unwrap().to_string();
    let long = "x".repeat(101);
    for (field, value) in [
        ("name", ""),
        ("name", "Ada\u{0}"),
        ("job_title", long.as_str()),
        ("job_title", "CEO\u{202e}"),
        ("phone", "call me maybe"),
        ("pronouns", long.as_str()),
        ("timezone", "Mars/Olympus_Mons"),
        ("timezone", "Europe/London'; --"),
        ("time_format", "25h"),
    ] {
        let response = app
            .call(
                "/api/profile/update",
                &with(form("", &version), field, value),
            )
            .await;
        assert_eq!(response.status(), 422, "{field}={value:?}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["Invalid"][0][0], field, "{body}");
    }
    for extra in [
        ("role", "owner"),
        ("email", "eve@example.com"),
        ("password_hash", "x"),
    ] {
        let response = app
            .call(
                "/api/profile/update",
                &with(form("", &version), extra.0, extra.1),
            )
            .await;
        assert_eq!(response.status(), 422, "{extra:?}");
    }
    let unchanged = app.version_of(app.id_of(Role::Owner).await).await;
    assert_eq!(unchanged, version);
}

#[tokio::test]
async fn who_may_open_and_save_whose_profile() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let owner = app.id_of(Role::Owner).await.to_string();
    let user_client = app.signed_in_as(Role::User).await;
    let user = app.id_of(Role::User).await.to_string();
    let admin = app.signed_in_as(Role::Administrator).await;

    // Everyone opens their own.
    assert_eq!(profile(&app, &user_client, "").await.status(), 200);
    // A User opens nobody else's; an Administrator anyone's but the Owner's.
    assert_eq!(profile(&app, &user_client, &owner).await.status(), 403);
    assert_eq!(profile(&app, &admin, &owner).await.status(), 403);
    let theirs: serde_json::Value = profile(&app, &admin, &user).await.json().await.unwrap();
    assert_eq!(theirs["is_self"], false);
    let version = theirs["version"].as_i64().unwrap().to_string();
    let saved = app
        .call_as(&admin, "/api/profile/update", &form(&user, &version))
        .await;
    assert_eq!(saved.status(), 200);
    assert_eq!(
        app.call_as(&user_client, "/api/profile/update", &form(&owner, "1"))
            .await
            .status(),
        403
    );
    // The Owner opens everyone's.
    assert_eq!(profile(&app, &app.client, &user).await.status(), 200);

    // Outsiders.
    let other = app.other_account_client().await;
    assert_eq!(profile(&app, &other, &user).await.status(), 404);
    assert_eq!(
        app.call_as(&other, "/api/profile/update", &form(&user, "2"))
            .await
            .status(),
        404
    );
    let deleted = app.deleted_user_client().await;
    assert_eq!(profile(&app, &deleted, "").await.status(), 401);
    let anonymous = plain_client();
    assert_eq!(profile(&app, &anonymous, "").await.status(), 401);
    assert_eq!(profile(&app, &app.client, "not-a-uuid").await.status(), 404);
    // The time zone list is the Profile section's own, for anyone signed in.
    let zones = |client: reqwest::Client| {
        let app = &app;
        async move { app.call_as(&client, "/api/profile/timezones", &[]).await }
    };
    assert_eq!(zones(anonymous.clone()).await.status(), 401);
    let listed: Vec<String> = zones(app.client.clone()).await.json().await.unwrap();
    assert!(listed.len() > 400 && listed.iter().any(|zone| zone == "Europe/London"));

    // The pages answer with the same statuses.
    assert_eq!(
        app.get(&format!("/manage/users/{user}/profile"))
            .await
            .status(),
        200
    );
    assert_eq!(
        app.get_as(&user_client, &format!("/manage/users/{owner}/profile"))
            .await
            .status(),
        403
    );
    let own = app.get_as(&user_client, "/profile/profile").await;
    assert_eq!(own.status(), 200);
    assert!(own.text().await.unwrap().contains("aria-current=\"page\""));
}

#[tokio::test]
async fn auto_bcc_is_an_address_or_nothing() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let version = |v: &serde_json::Value| v["version"].as_i64().unwrap().to_string();
    let mine: serde_json::Value = profile(&app, &app.client, "").await.json().await.unwrap();
    for bad in ["not an address", "a@b.example\r\nBcc: eve@x.example"] {
        let response = app
            .call(
                "/api/profile/auto-bcc",
                &[("auto_bcc", bad), ("version", &version(&mine))],
            )
            .await;
        assert_eq!(response.status(), 422, "{bad:?}");
    }
    let saved = app
        .call(
            "/api/profile/auto-bcc",
            &[
                ("auto_bcc", "archive@acme.example"),
                ("version", &version(&mine)),
            ],
        )
        .await;
    assert_eq!(saved.status(), 200);
    let mine: serde_json::Value = profile(&app, &app.client, "").await.json().await.unwrap();
    assert_eq!(mine["auto_bcc"], "archive@acme.example");
    let cleared = app
        .call(
            "/api/profile/auto-bcc",
            &[("auto_bcc", ""), ("version", &version(&mine))],
        )
        .await;
    assert_eq!(cleared.status(), 200);
    let mine: serde_json::Value = profile(&app, &app.client, "").await.json().await.unwrap();
    assert_eq!(mine["auto_bcc"], "");
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'profile.auto_bcc_changed'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(audited, 2);
}

#[tokio::test]
async fn admins_set_a_users_inbox_access_and_nobody_else_does() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let user_client = app.signed_in_as(Role::User).await;
    let user = app.id_of(Role::User).await.to_string();
    let theirs: serde_json::Value = profile(&app, &app.client, &user)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        theirs.get("inboxes").is_none() && theirs.get("timezones").is_none(),
        "a profile carries no section's lists: {theirs}"
    );
    let access = |client: reqwest::Client| {
        let (app, user) = (&app, user.clone());
        async move {
            app.call_as(&client, "/api/profile/inbox-access/get", &[("user", &user)])
                .await
        }
    };
    // Another User may not see theirs.
    let other_user = app.signed_in_as(Role::User).await;
    assert_eq!(access(other_user).await.status(), 403);
    let listed: serde_json::Value = access(app.client.clone()).await.json().await.unwrap();
    assert_eq!(listed["granted"], serde_json::json!([]));
    let inboxes: Vec<String> = listed["inboxes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    let version = theirs["version"].as_i64().unwrap().to_string();

    // The user cannot grant themselves inboxes.
    let own = app
        .call_as(
            &user_client,
            "/api/profile/inbox-access",
            &[("inboxes[]", inboxes[0].as_str()), ("version", &version)],
        )
        .await;
    assert_eq!(own.status(), 403);
    // Another account's inbox is refused.
    let foreign = Uuid::new_v4().to_string();
    let response = app
        .call(
            "/api/profile/inbox-access",
            &[
                ("user", &user),
                ("inboxes[]", &foreign),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);

    let saved = app
        .call(
            "/api/profile/inbox-access",
            &[
                ("user", user.as_str()),
                ("inboxes[]", inboxes[0].as_str()),
                ("inboxes[]", inboxes[1].as_str()),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    let listed: serde_json::Value = access(app.client.clone()).await.json().await.unwrap();
    assert_eq!(listed["granted"].as_array().unwrap().len(), 2);
    // The old version is stale now.
    let stale = app
        .call(
            "/api/profile/inbox-access",
            &[("user", &user), ("version", &version)],
        )
        .await;
    assert_eq!(stale.status(), 409);
    // Owners and Administrators see every inbox: nothing to set.
    let mine: serde_json::Value = profile(&app, &app.client, "").await.json().await.unwrap();
    let response = app
        .call(
            "/api/profile/inbox-access",
            &[("version", &mine["version"].as_i64().unwrap().to_string())],
        )
        .await;
    assert_eq!(response.status(), 422);
}

async fn role_of(app: &TestApp, id: &str) -> String {
    sqlx::query_scalar("SELECT role FROM users WHERE id = $1::uuid")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn set_role(
    app: &TestApp,
    client: &reqwest::Client,
    user: &str,
    role: &str,
    confirm: bool,
) -> reqwest::Response {
    let current: serde_json::Value = profile(app, client, user).await.json().await.unwrap();
    let version = current["version"].as_i64().unwrap_or(0).to_string();
    let mut form = vec![
        ("user", user),
        ("role", role),
        ("version", version.as_str()),
    ];
    if confirm {
        form.push(("confirm", "on"));
        form.push(("password", OWNER_PASSWORD));
    }
    app.call_as(client, "/api/profile/role", &form).await
}

#[tokio::test]
async fn roles_change_by_the_rules() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let owner = app.id_of(Role::Owner).await.to_string();
    let admin = app.signed_in_as(Role::Administrator).await;
    let admin_id = app.id_of(Role::Administrator).await.to_string();
    let user_client = app.signed_in_as(Role::User).await;
    let user = app.id_of(Role::User).await.to_string();

    // Nobody changes their own role; a User changes nobody's.
    assert_eq!(
        set_role(&app, &admin, "", "user", false).await.status(),
        403
    );
    assert_eq!(
        set_role(&app, &user_client, "", "administrator", false)
            .await
            .status(),
        403
    );
    // An Administrator never makes an Owner, nor touches the Owner.
    assert_eq!(
        set_role(&app, &admin, &user, "owner", true).await.status(),
        403
    );
    assert_eq!(
        set_role(&app, &admin, &owner, "user", false).await.status(),
        403
    );
    // Light Users need Plus or Pro, and a confirmation (they leave their teams).
    assert_eq!(
        set_role(&app, &admin, &user, "light_user", true)
            .await
            .status(),
        422
    );
    app.set_plan("plus").await;
    let team: Uuid = sqlx::query_scalar("INSERT INTO teams (account_id, name) SELECT id, 'Tier 1' FROM accounts ORDER BY created_at LIMIT 1 RETURNING id")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO team_members (team_id, user_id) VALUES ($1, $2::uuid)")
        .bind(team)
        .bind(&user)
        .execute(&app.pool)
        .await
        .unwrap();
    let unconfirmed = set_role(&app, &admin, &user, "light_user", false).await;
    assert_eq!(unconfirmed.status(), 422);
    let body: serde_json::Value = unconfirmed.json().await.unwrap();
    assert_eq!(body["Invalid"][0][0], "confirm");
    assert_eq!(
        set_role(&app, &admin, &user, "light_user", true)
            .await
            .status(),
        200
    );
    assert_eq!(role_of(&app, &user).await, "light_user");
    assert_eq!(
        app.count(&format!("team_members WHERE user_id = '{user}'"))
            .await,
        0
    );

    // Demotion applies on the next request.
    assert_eq!(
        app.call_as(&admin, "/api/users/list", &[]).await.status(),
        200
    );
    assert_eq!(
        set_role(&app, &app.client, &admin_id, "user", false)
            .await
            .status(),
        200
    );
    assert_eq!(
        app.call_as(&admin, "/api/users/list", &[]).await.status(),
        403
    );

    // The Owner hands over ownership once confirmed, with their password,
    // and becomes an Administrator.
    assert_eq!(
        set_role(&app, &app.client, &admin_id, "owner", false)
            .await
            .status(),
        422
    );
    let current: serde_json::Value = profile(&app, &app.client, &admin_id)
        .await
        .json()
        .await
        .unwrap();
    let version = current["version"].as_i64().unwrap().to_string();
    for password in ["", "not my password at all"] {
        let without = app
            .call(
                "/api/profile/role",
                &[
                    ("user", admin_id.as_str()),
                    ("role", "owner"),
                    ("version", version.as_str()),
                    ("confirm", "on"),
                    ("password", password),
                ],
            )
            .await;
        assert_eq!(without.status(), 422, "{password:?}");
        let body: serde_json::Value = without.json().await.unwrap();
        assert_eq!(body["Invalid"][0][0], "password", "{body}");
        assert_eq!(role_of(&app, &owner).await, "owner");
    }
    let counted: i32 =
        sqlx::query_scalar("SELECT failed_login_attempts FROM users WHERE id = $1::uuid")
            .bind(&owner)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        counted, 1,
        "the wrong password counts toward the Owner's lock"
    );
    assert_eq!(
        set_role(&app, &app.client, &admin_id, "owner", true)
            .await
            .status(),
        200
    );
    assert_eq!(role_of(&app, &admin_id).await, "owner");
    assert_eq!(role_of(&app, &owner).await, "administrator");
    let transfers: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'account.ownership_transferred'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(transfers, 1);
}

#[tokio::test]
async fn notifications_start_from_defaults_and_save_per_event_and_channel() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let mine: serde_json::Value = profile(&app, &app.client, "").await.json().await.unwrap();
    let defaults = mine["notifications"].as_array().unwrap();
    assert!(defaults.contains(&serde_json::json!(["Mentioned", "Email"])));
    assert!(!defaults.contains(&serde_json::json!(["NewConversation", "Email"])));
    let version = mine["version"].as_i64().unwrap().to_string();

    let bad = app
        .call(
            "/api/profile/notifications",
            &[("on[]", "mentioned:pigeon"), ("version", &version)],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let saved = app
        .call(
            "/api/profile/notifications",
            &[
                ("on[]", "new_conversation:email"),
                ("on[]", "mentioned:browser"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(saved.status(), 200);
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT notifications FROM users WHERE role = 'owner'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(stored, ["new_conversation:email", "mentioned:browser"]);
    // Nothing ticked is a choice too: no notifications at all.
    let mine: serde_json::Value = profile(&app, &app.client, "").await.json().await.unwrap();
    let none = app
        .call(
            "/api/profile/notifications",
            &[("version", &mine["version"].as_i64().unwrap().to_string())],
        )
        .await;
    assert_eq!(none.status(), 200);
    let mine: serde_json::Value = profile(&app, &app.client, "").await.json().await.unwrap();
    assert_eq!(mine["notifications"], serde_json::json!([]));
}

#[tokio::test]
async fn admins_see_two_factor_status_and_nothing_to_set_it_up() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    app.signed_in_as(Role::User).await;
    let user = app.id_of(Role::User).await;
    let page = app.get(&format!("/manage/users/{user}/security")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Two-factor authentication is off."), "{html}");
    assert!(!html.contains("name=\"code\""), "no control to set it up");
    sqlx::query(
        "INSERT INTO two_factor (user_id, secret_ciphertext, created_at, enabled_at) VALUES ($1, '\\x00', now(), now())",
    )
    .bind(user)
    .execute(&app.pool)
    .await
    .unwrap();
    let html = app
        .get(&format!("/manage/users/{user}/security"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Two-factor authentication is on."));
}

async fn version(app: &TestApp, client: &reqwest::Client, user: &str) -> String {
    let view: serde_json::Value = profile(app, client, user).await.json().await.unwrap();
    view["version"].as_i64().unwrap().to_string()
}

#[tokio::test]
async fn changing_ones_email_needs_the_password_tells_the_old_address_and_ends_reset_links() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let new_email = crate::helpers::unique_email("ada.new");
    app.call("/api/recover", &[("email", owner.email.as_str())])
        .await;
    assert_eq!(
        app.count("password_resets WHERE revoked_at IS NULL").await,
        1
    );

    let v = version(&app, &app.client, "").await;
    let wrong = app
        .call(
            "/api/profile/email",
            &[
                ("email", &new_email),
                ("current_password", "not my password at all"),
                ("version", &v),
            ],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    assert!(wrong.text().await.unwrap().contains("current_password"));

    let changed = app
        .call(
            "/api/profile/email",
            &[
                ("email", &new_email),
                ("current_password", crate::helpers::OWNER_PASSWORD),
                ("version", &v),
            ],
        )
        .await;
    assert_eq!(changed.status(), 200, "{}", changed.text().await.unwrap());
    let mine: serde_json::Value = profile(&app, &app.client, "").await.json().await.unwrap();
    assert_eq!(mine["email"], new_email.as_str());
    assert_eq!(
        app.count("password_resets WHERE revoked_at IS NULL").await,
        0
    );
    let told = crate::helpers::emails_to(&owner.email, 2).await;
    let notice = told
        .iter()
        .find(|e| e.subject == "Your Roster email address was changed")
        .expect("the old address is told");
    assert!(notice.text.contains(&new_email));
    let (_, signed_in) = app
        .sign_in(&new_email, crate::helpers::OWNER_PASSWORD)
        .await;
    assert_eq!(signed_in.status(), 200, "the new address signs in");
    assert_eq!(
        app.count("audit_events WHERE action = 'profile.email_changed'")
            .await,
        1
    );
}

#[tokio::test]
async fn admins_change_a_users_email_without_a_password_but_never_to_one_in_use() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let admin = app.signed_in_as(Role::Administrator).await;
    app.signed_in_as(Role::User).await;
    let user: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE role = 'user'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let user = user.to_string();

    let v = version(&app, &admin, &user).await;
    let taken = app
        .call_as(
            &admin,
            "/api/profile/email",
            &[
                ("user", &user),
                ("email", &owner.email.to_uppercase()),
                ("version", &v),
            ],
        )
        .await;
    assert_eq!(taken.status(), 422);
    assert!(taken.text().await.unwrap().contains("already in use"));
    let bad = app
        .call_as(
            &admin,
            "/api/profile/email",
            &[
                ("user", &user),
                ("email", "evil@example.com\r\nBcc: x@y.z"),
                ("version", &v),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);

    let new_email = crate::helpers::unique_email("user.new");
    let changed = app
        .call_as(
            &admin,
            "/api/profile/email",
            &[("user", &user), ("email", &new_email), ("version", &v)],
        )
        .await;
    assert_eq!(changed.status(), 200, "{}", changed.text().await.unwrap());
    let stale = app
        .call_as(
            &admin,
            "/api/profile/email",
            &[
                ("user", &user),
                ("email", "someone.else@example.com"),
                ("version", &v),
            ],
        )
        .await;
    assert_eq!(stale.status(), 409);

    // Alternate emails: a list, never the main address.
    let v = version(&app, &admin, &user).await;
    let form = |alternates: &'static str, v: String| {
        let mut f: Vec<(&str, String)> = form(&user, "x")
            .into_iter()
            .map(|(k, val)| (k, val.to_owned()))
            .collect();
        f.retain(|(k, _)| *k != "version");
        f.push(("version", v));
        f.push(("alternate_emails", alternates.to_owned()));
        f
    };
    let repeated = form("a@example.com\n", v.clone());
    let mut repeated = repeated;
    repeated.retain(|(k, _)| *k != "alternate_emails");
    repeated.push((
        "alternate_emails",
        format!("a@example.com\n{}", new_email.to_uppercase()),
    ));
    let repeated: Vec<(&str, &str)> = repeated.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = app.call_as(&admin, "/api/profile/update", &repeated).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("alternate_emails"));
    let good = form("a@example.com, b@example.com", v);
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let saved = app.call_as(&admin, "/api/profile/update", &good).await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    let view: serde_json::Value = profile(&app, &admin, &user).await.json().await.unwrap();
    assert_eq!(
        view["alternate_emails"],
        serde_json::json!(["a@example.com", "b@example.com"])
    );
}

#[tokio::test]
async fn wrong_passwords_when_confirming_count_toward_the_lock_which_ends_the_sessions() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let v = version(&app, &app.client, "").await;
    let new_email = crate::helpers::unique_email("ada.guess");
    for attempt in 1..=10 {
        let wrong = app
            .call(
                "/api/profile/email",
                &[
                    ("email", new_email.as_str()),
                    (
                        "current_password",
                        &format!("guess number {attempt} of many"),
                    ),
                    ("version", &v),
                ],
            )
            .await;
        assert_eq!(wrong.status(), 422, "attempt {attempt}");
        if attempt == 9 {
            assert_eq!(app.failed_logins(&owner.email).await, 9);
            assert_eq!(app.get("/manage/users").await.status(), 200, "not yet");
        }
    }
    assert_eq!(app.count("users WHERE locked_at IS NOT NULL").await, 1);
    assert_eq!(
        app.get("/manage/users").await.status(),
        302,
        "the session that guessed is over"
    );
    let (_, refused) = app
        .sign_in(&owner.email, crate::helpers::OWNER_PASSWORD)
        .await;
    assert_eq!(refused.status(), 401, "locked until a reset");
}

#[tokio::test]
async fn a_role_change_rotates_the_sessions_of_those_whose_role_changed() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let admin = app.signed_in_as(Role::Administrator).await;
    app.signed_in_as(Role::User).await;
    let admin_id = app.id_of(Role::Administrator).await.to_string();
    // Handing over ownership changes two roles.
    let handed_over = set_role(&app, &app.client, &admin_id, "owner", true).await;
    assert_eq!(
        handed_over.status(),
        200,
        "{}",
        handed_over.text().await.unwrap()
    );
    assert_eq!(
        app.count("sessions WHERE rotate").await,
        2,
        "not the User's"
    );

    // The old Owner's browser gets a new session on its next request, and goes on.
    let next = app.get("/manage/users").await;
    assert_eq!(next.status(), 200);
    assert!(
        crate::helpers::session_cookie(&next).is_some(),
        "a new session cookie"
    );
    assert_eq!(app.get("/manage/users").await.status(), 200);
    // The new Owner's request rotates theirs too; the old token is dead after it.
    assert_eq!(app.get_as(&admin, "/manage/users").await.status(), 200);
    assert_eq!(app.get_as(&admin, "/manage/users").await.status(), 302);
    assert_eq!(app.count("sessions WHERE rotate").await, 0);
    assert_eq!(app.count("sessions WHERE revoked_at IS NOT NULL").await, 2);
}
