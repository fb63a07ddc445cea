//! Plans and what Plus and Pro unlock: teams, role default permissions and a
//! user's Feature Permissions and Teams. Each refused on Standard, by role,
//! across accounts, and on bad input.

use uuid::Uuid;

use crate::helpers::TestApp;
use app::domain::Role;

async fn change_plan(app: &TestApp, client: &reqwest::Client, plan: &str) -> u16 {
    app.call_as(client, "/api/company/plan", &[("plan", plan)])
        .await
        .status()
        .as_u16()
}

#[tokio::test]
async fn only_the_owner_changes_the_plan_and_standard_waits_for_light_users_to_go() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let admin = app.signed_in_as(Role::Administrator).await;
    let user = app.signed_in_as(Role::User).await;
    assert_eq!(change_plan(&app, &admin, "pro").await, 403);
    assert_eq!(change_plan(&app, &user, "pro").await, 403);
    assert_eq!(change_plan(&app, &app.client, "enterprise").await, 422);
    assert_eq!(change_plan(&app, &app.client, "plus").await, 200);
    let plan: String = sqlx::query_scalar("SELECT plan FROM accounts")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(plan, "plus");

    app.signed_in_as(Role::LightUser).await;
    assert_eq!(change_plan(&app, &app.client, "standard").await, 409);
    assert_eq!(change_plan(&app, &app.client, "pro").await, 200);
    assert_eq!(
        app.count("audit_events WHERE action = 'account.plan_changed'")
            .await,
        2
    );
}

#[tokio::test]
async fn teams_need_plus_and_an_admin_and_light_users_stay_off_them() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let create = |name: &'static str| [("name", name)];
    let refused = app.call("/api/teams/create", &create("Tier 2")).await;
    assert_eq!(refused.status(), 403, "Standard has no teams");
    change_plan(&app, &app.client, "plus").await;

    let user = app.signed_in_as(Role::User).await;
    assert_eq!(
        app.call_as(&user, "/api/teams/create", &create("Mine"))
            .await
            .status(),
        403
    );
    assert_eq!(
        app.call("/api/teams/create", &create(" ")).await.status(),
        422
    );
    assert_eq!(
        app.call("/api/teams/create", &create("Tier 2"))
            .await
            .status(),
        200
    );
    assert_eq!(
        app.call("/api/teams/create", &create("Tier 2"))
            .await
            .status(),
        409
    );
    let team: Uuid = sqlx::query_scalar("SELECT id FROM teams")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let team = team.to_string();

    let user_email: String = sqlx::query_scalar("SELECT email FROM users WHERE role = 'user'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let added = app
        .call(
            "/api/teams/add-member",
            &[("team_id", &team), ("email", &user_email)],
        )
        .await;
    assert_eq!(added.status(), 200, "{}", added.text().await.unwrap());
    app.signed_in_as(Role::LightUser).await;
    let light_email: String =
        sqlx::query_scalar("SELECT email FROM users WHERE role = 'light_user'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let light = app
        .call(
            "/api/teams/add-member",
            &[("team_id", &team), ("email", &light_email)],
        )
        .await;
    assert_eq!(light.status(), 422);
    let nobody = app
        .call(
            "/api/teams/add-member",
            &[("team_id", &team), ("email", "nobody@example.com")],
        )
        .await;
    assert_eq!(nobody.status(), 422);

    // Another account sees neither the team nor its members.
    let other = app.other_account_client().await;
    app.set_plan("pro").await;
    let foreign = app
        .call_as(
            &other,
            "/api/teams/add-member",
            &[("team_id", &team), ("email", &user_email)],
        )
        .await;
    assert_eq!(foreign.status(), 404);
    let listed: serde_json::Value = app
        .call_as(&other, "/api/teams/list", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["teams"], serde_json::json!([]));

    let overview: serde_json::Value = app.call("/api/teams/list", &[]).await.json().await.unwrap();
    assert_eq!(overview["teams"][0]["name"], "Tier 2");
    assert_eq!(overview["teams"][0]["members"].as_array().unwrap().len(), 1);
    let member = overview["teams"][0]["members"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let removed = app
        .call(
            "/api/teams/remove-member",
            &[("team_id", &team), ("user_id", &member)],
        )
        .await;
    assert_eq!(removed.status(), 200);
    let again = app
        .call(
            "/api/teams/remove-member",
            &[("team_id", &team), ("user_id", &member)],
        )
        .await;
    assert_eq!(again.status(), 404, "not on the team any more");
    assert_eq!(app.count("team_members").await, 0);
    assert_eq!(
        app.count("audit_events WHERE action = 'team.member_removed'")
            .await,
        1
    );
    app.call(
        "/api/teams/add-member",
        &[("team_id", &team), ("email", &user_email)],
    )
    .await;

    // A user's Teams section: exactly these teams, version-checked.
    let user_id = app.id_of(Role::User).await.to_string();
    let version = app.version_of(&user_id).await;
    let cleared = app
        .call(
            "/api/profile/teams/update",
            &[("user", &user_id), ("version", &version)],
        )
        .await;
    assert_eq!(cleared.status(), 200);
    assert_eq!(app.count("team_members").await, 0);
    let stale = app
        .call(
            "/api/profile/teams/update",
            &[
                ("user", &user_id),
                ("teams[]", &team),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(stale.status(), 409);
    let version = app.version_of(&user_id).await;
    let forged = app
        .call(
            "/api/profile/teams/update",
            &[
                ("user", &user_id),
                ("teams[]", &Uuid::new_v4().to_string()),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(forged.status(), 422);
    let joined = app
        .call(
            "/api/profile/teams/update",
            &[
                ("user", &user_id),
                ("teams[]", &team),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(joined.status(), 200);
    let teams: serde_json::Value = app
        .call("/api/profile/teams", &[("user", &user_id)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(teams["member_of"][0], team.as_str());
    let light_id = app.id_of(Role::LightUser).await.to_string();
    let version = app.version_of(&light_id).await;
    let light = app
        .call(
            "/api/profile/teams/update",
            &[
                ("user", &light_id),
                ("teams[]", &team),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(light.status(), 422);
}

#[tokio::test]
async fn feature_permissions_follow_the_role_until_custom_and_billing_stays_with_the_owner() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let admin = app.signed_in_as(Role::Administrator).await;
    app.signed_in_as(Role::User).await;
    let user_id = app.id_of(Role::User).await.to_string();
    let save = |mode: &'static str, boxes: Vec<&'static str>, version: String| {
        let mut form = vec![
            ("user", user_id.clone()),
            ("mode", mode.to_owned()),
            ("version", version),
        ];
        form.extend(boxes.into_iter().map(|b| ("permissions[]", b.to_owned())));
        form
    };

    // Standard: built-in defaults, and nothing can be changed.
    let standard: serde_json::Value = app
        .call_as(
            &app.client,
            "/api/profile/feature-permissions",
            &[("user", user_id.as_str())],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(standard["custom"], serde_json::Value::Null);
    assert_eq!(
        standard["effective"],
        serde_json::json!(["ManageSavedReplies", "ManageTags", "ViewReports"])
    );
    let form = save(
        "custom",
        vec!["manage_tags"],
        app.version_of(&user_id).await,
    );
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        app.call("/api/profile/feature-permissions/update", &form)
            .await
            .status(),
        403
    );
    assert_eq!(
        app.call(
            "/api/company/permissions/update",
            &[("role", "user"), ("permissions[]", "manage_tags")]
        )
        .await
        .status(),
        403
    );

    change_plan(&app, &app.client, "pro").await;
    // Role defaults: the account's own, for every user following them.
    let defaults = app
        .call_as(
            &admin,
            "/api/company/permissions/update",
            &[("role", "user"), ("permissions[]", "delete_conversations")],
        )
        .await;
    assert_eq!(defaults.status(), 200);
    for bad in [
        [("role", "owner"), ("permissions[]", "manage_tags")],
        [("role", "user"), ("permissions[]", "manage_billing")],
    ] {
        assert_eq!(
            app.call("/api/company/permissions/update", &bad)
                .await
                .status(),
            422,
            "{bad:?}"
        );
    }
    let following: serde_json::Value = app
        .call_as(
            &admin,
            "/api/profile/feature-permissions",
            &[("user", user_id.as_str())],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        following["effective"],
        serde_json::json!(["DeleteConversations"])
    );

    // Custom: exactly the boxes ticked; never billing; never for the Owner or oneself.
    let form = save(
        "custom",
        vec!["manage_workflows", "manage_tags"],
        app.version_of(&user_id).await,
    );
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let saved = app
        .call_as(&admin, "/api/profile/feature-permissions/update", &form)
        .await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    let custom: serde_json::Value = app
        .call_as(
            &admin,
            "/api/profile/feature-permissions",
            &[("user", user_id.as_str())],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        custom["effective"],
        serde_json::json!(["ManageTags", "ManageWorkflows"])
    );
    assert_eq!(
        custom["role_defaults"],
        serde_json::json!(["DeleteConversations"])
    );

    let form = save(
        "custom",
        vec!["manage_billing"],
        app.version_of(&user_id).await,
    );
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        app.call_as(&admin, "/api/profile/feature-permissions/update", &form)
            .await
            .status(),
        422
    );
    let form = save("whatever", vec![], app.version_of(&user_id).await);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        app.call_as(&admin, "/api/profile/feature-permissions/update", &form)
            .await
            .status(),
        422
    );

    let owner_id = app.id_of(Role::Owner).await.to_string();
    let owner_version = app.version_of(&owner_id).await;
    let for_owner = app
        .call(
            "/api/profile/feature-permissions/update",
            &[
                ("user", owner_id.as_str()),
                ("mode", "custom"),
                ("version", owner_version.as_str()),
            ],
        )
        .await;
    // Only the Owner opens the Owner's profile, and nobody sets their own.
    assert_eq!(for_owner.status(), 403);
    let admin_id = app.id_of(Role::Administrator).await.to_string();
    let admin_version = app.version_of(&admin_id).await;
    let own = app
        .call_as(
            &admin,
            "/api/profile/feature-permissions/update",
            &[
                ("user", admin_id.as_str()),
                ("mode", "custom"),
                ("version", admin_version.as_str()),
            ],
        )
        .await;
    assert_eq!(own.status(), 403);

    // Back to Default: the role's defaults again.
    let form = save("default", vec![], app.version_of(&user_id).await);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        app.call_as(&admin, "/api/profile/feature-permissions/update", &form)
            .await
            .status(),
        200
    );
    let back: serde_json::Value = app
        .call_as(
            &admin,
            "/api/profile/feature-permissions",
            &[("user", user_id.as_str())],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(back["custom"], serde_json::Value::Null);
    assert_eq!(
        back["effective"],
        serde_json::json!(["DeleteConversations"])
    );
    assert_eq!(
        app.count("audit_events WHERE action = 'profile.permissions_changed'")
            .await,
        2
    );
}

#[tokio::test]
async fn workflows_open_to_whoever_has_manage_workflows_and_the_profile_says_why() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let admin = app.signed_in_as(Role::Administrator).await;
    let user = app.signed_in_as(Role::User).await;
    let admin_id = app.id_of(Role::Administrator).await.to_string();
    let user_id = app.id_of(Role::User).await.to_string();
    let opens = |client: reqwest::Client| {
        let app = &app;
        async move {
            app.call_as(&client, "/api/workflows/list", &[])
                .await
                .status()
                .as_u16()
        }
    };
    // Standard: the roles' built-in defaults decide.
    assert_eq!(opens(admin.clone()).await, 200);
    assert_eq!(opens(user.clone()).await, 403);
    let user_page = app.get_as(&user, "/inboxes").await.text().await.unwrap();
    assert!(!user_page.contains("href=\"/workflows\""));
    let why = |id: String| {
        let app = &app;
        async move {
            let view: serde_json::Value = app
                .call("/api/profile/feature-permissions", &[("user", id.as_str())])
                .await
                .json()
                .await
                .unwrap();
            let workflows = view["explained"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["permission"] == "ManageWorkflows")
                .unwrap()
                .clone();
            (workflows["granted"].clone(), workflows["because"].clone())
        }
    };
    assert_eq!(
        why(user_id.clone()).await,
        (serde_json::json!(false), serde_json::json!("NeedsPlus"))
    );
    assert_eq!(
        why(admin_id.clone()).await,
        (
            serde_json::json!(true),
            serde_json::json!({"RoleDefault": "administrator"})
        )
    );

    // Plus: the User is given it, the Administrator's own set leaves it out.
    change_plan(&app, &app.client, "plus").await;
    for (id, permission) in [(&user_id, "manage_workflows"), (&admin_id, "manage_tags")] {
        let version = app.version_of(id).await;
        let saved = app
            .call(
                "/api/profile/feature-permissions/update",
                &[
                    ("user", id.as_str()),
                    ("mode", "custom"),
                    ("permissions[]", permission),
                    ("version", version.as_str()),
                ],
            )
            .await;
        assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    }
    // The top bar links to Workflows for whoever may open it, and only them.
    let links_workflows = |client: reqwest::Client| {
        let app = &app;
        async move {
            let page = app.get_as(&client, "/inboxes").await.text().await.unwrap();
            page.contains("href=\"/workflows\"")
        }
    };
    assert!(links_workflows(user.clone()).await);
    assert!(!links_workflows(admin.clone()).await);
    assert!(links_workflows(app.client.clone()).await, "the Owner's");
    assert_eq!(opens(user).await, 200);
    assert_eq!(opens(admin).await, 403);
    assert_eq!(
        why(user_id).await,
        (serde_json::json!(true), serde_json::json!("Custom"))
    );
}

#[tokio::test]
async fn manage_users_lists_whoever_has_a_permission_as_their_profile_explains_it() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let _admin = app.signed_in_as(Role::Administrator).await;
    let _user = app.signed_in_as(Role::User).await;
    let _light = app.signed_in_as(Role::LightUser).await;
    let user_id = app.id_of(Role::User).await.to_string();
    let listed = |permission: &'static str| {
        let app = &app;
        async move {
            let page: serde_json::Value = app
                .call("/api/users/list", &[("permission", permission)])
                .await
                .json()
                .await
                .unwrap();
            let mut roles: Vec<String> = page["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|row| row["role"].as_str().unwrap().to_owned())
                .collect();
            roles.sort();
            assert_eq!(page["matching"], roles.len(), "{permission}");
            roles
        }
    };
    // Standard: the built-in defaults.
    assert_eq!(listed("manage_workflows").await, ["administrator", "owner"]);
    assert_eq!(
        listed("manage_tags").await,
        ["administrator", "owner", "user"]
    );
    // Billing is nobody's to filter by; nonsense lists everyone.
    assert_eq!(listed("manage_billing").await.len(), 4);
    assert_eq!(listed("x' OR 1=1 --").await.len(), 4);

    // Plus: the User's own set, and the Administrators' account defaults.
    change_plan(&app, &app.client, "plus").await;
    let version = app.version_of(&user_id).await;
    let saved = app
        .call(
            "/api/profile/feature-permissions/update",
            &[
                ("user", user_id.as_str()),
                ("mode", "custom"),
                ("permissions[]", "manage_workflows"),
                ("version", version.as_str()),
            ],
        )
        .await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    let defaults = app
        .call(
            "/api/company/permissions/update",
            &[("role", "administrator"), ("permissions[]", "manage_tags")],
        )
        .await;
    assert_eq!(defaults.status(), 200);
    // Each read after a change is fresh (the kept page's version moved).
    assert_eq!(listed("manage_workflows").await, ["owner", "user"]);
    assert_eq!(listed("manage_tags").await, ["administrator", "owner"]);

    // The page: the filter in the address, the list's choice kept, links keep it.
    let html = app
        .get("/manage/users?permission=manage_workflows")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("<option value=\"manage_workflows\" selected"),
        "the choice is kept"
    );
    assert!(html.contains("Page 1 of 1 · 2 users"));
    assert!(
        html.contains("permission=manage_workflows"),
        "sort links keep the filter"
    );
}
