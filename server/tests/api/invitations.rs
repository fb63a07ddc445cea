//! Invitations: the accept page and its dead links, resending, the row
//! menu's actions and who may use them.

use chrono::TimeDelta;
use sha2::Digest as _;
use uuid::Uuid;

use crate::{
    add_user::{create, form},
    helpers::{emails_to, link_in, plain_client, session_cookie, unique_email, TestApp, HTML},
};
use app::domain::Role;

const NEW_PASSWORD: &str = "harbour lantern cobalt meadow";

/// Adds a user (invited unless `invite` is false) and returns their id.
async fn add(app: &TestApp, email: &str, invite: bool) -> Uuid {
    let fields = if invite {
        form(email)
    } else {
        form(email)
            .into_iter()
            .filter(|(k, _)| k != "send_invite")
            .collect()
    };
    assert_eq!(create(app, &fields).await.status(), 200);
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn invite_link(app: &TestApp, email: &str, nth: usize) -> String {
    let mail = emails_to(email, nth).await;
    assert_eq!(mail.len(), nth, "invite emails to {email}");
    link_in(&mail[nth - 1].text, &format!("{}/invite/", app.address))
}

fn path_of(link: &str) -> &str {
    &link[link.find("/invite/").unwrap()..]
}

async fn accept(app: &TestApp, link: &str, name: &str, password: &str) -> reqwest::Response {
    let token = link.rsplit('/').next().unwrap();
    let client = plain_client();
    client
        .post(app.url("/api/invite/accept"))
        .header("origin", &app.address)
        .header("accept", "application/json")
        .form(&[("token", token), ("name", name), ("password", password)])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn accepting_sets_name_and_password_and_signs_in() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let email = unique_email("katherine");
    let user_id = add(&app, &email, true).await;
    let link = invite_link(&app, &email, 1).await;

    // Only the token's SHA-256 is stored.
    let token = link.rsplit('/').next().unwrap();
    let stored: Vec<Vec<u8>> = sqlx::query_scalar("SELECT token_hash FROM invitations")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        stored,
        vec![sha2::Sha256::digest(token.as_bytes()).to_vec()]
    );

    let page = app.get(path_of(&link)).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Ada Lovelace invited you to join Acme Support on Roster."),
        "{html}"
    );
    assert!(html.contains("Katherine Johnson"), "the name to correct");

    let weak = accept(&app, &link, "Katherine G. Johnson", "password1234567").await;
    assert_eq!(weak.status(), 422);
    let body: serde_json::Value = weak.json().await.unwrap();
    assert_eq!(body["Invalid"][0][0], "password");
    let empty_name = accept(&app, &link, " ", NEW_PASSWORD).await;
    assert_eq!(empty_name.status(), 422);

    let accepted = accept(&app, &link, "Katherine G. Johnson", NEW_PASSWORD).await;
    assert_eq!(accepted.status(), 200);
    let cookie = session_cookie(&accepted).expect("signed in");
    let signed_in = reqwest::Client::new()
        .get(app.url("/"))
        .header("cookie", cookie.split(';').next().unwrap())
        .header("accept", HTML)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        signed_in.contains("Katherine G. Johnson")
            && signed_in.contains("You are signed in to Roster."),
        "{signed_in}"
    );
    let name: String = sqlx::query_scalar("SELECT name FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(name, "Katherine G. Johnson");
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'invite.accepted' AND target_user_id = $1",
    )
    .bind(user_id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);

    // Used: the page says so, and the link cannot be used again.
    let used = app.get(path_of(&link)).await;
    assert_eq!(used.status(), 410);
    assert!(used
        .text()
        .await
        .unwrap()
        .contains("This invite was already accepted"));
    assert_eq!(accept(&app, &link, "Eve", NEW_PASSWORD).await.status(), 410);
    let page: serde_json::Value = app
        .call("/api/users/list", &[("q", "katherine")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["rows"][0]["status"], "Active");
}

#[tokio::test]
async fn an_expired_invite_says_so_and_a_resend_replaces_the_link() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let email = unique_email("alan");
    let user_id = add(&app, &email, true).await;
    let old = invite_link(&app, &email, 1).await;

    // Past its expiry (moving the clock a week would end the admin's session too).
    sqlx::query("UPDATE invitations SET expires_at = $1 WHERE user_id = $2")
        .bind(app.clock.now() - TimeDelta::seconds(1))
        .bind(user_id)
        .execute(&app.pool)
        .await
        .unwrap();
    let expired = app.get(path_of(&old)).await;
    assert_eq!(expired.status(), 410);
    let html = expired.text().await.unwrap();
    assert!(html.contains("Invite expired"), "{html}");
    assert!(html.contains("ask an administrator") || html.contains("Ask an administrator"));
    let page: serde_json::Value = app
        .call("/api/users/list", &[("q", "alan")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["rows"][0]["status"], "InviteExpired");
    let table = app.get("/manage/users?q=alan").await.text().await.unwrap();
    assert!(table.contains("aria-label=\"Invite expired\""));
    assert!(table.contains(">Resend invite email<"));

    let resent = app
        .call(
            "/api/users/send-invite",
            &[("user_id", &user_id.to_string())],
        )
        .await;
    assert_eq!(resent.status(), 200);
    let new = invite_link(&app, &email, 2).await;
    assert_ne!(new, old);
    let revoked = app.get(path_of(&old)).await;
    assert_eq!(revoked.status(), 410);
    assert!(revoked
        .text()
        .await
        .unwrap()
        .contains("This invite link was replaced"));
    assert_eq!(accept(&app, &old, "Alan", NEW_PASSWORD).await.status(), 410);
    assert_eq!(
        accept(&app, &new, "Alan Turing", NEW_PASSWORD)
            .await
            .status(),
        200
    );
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_events WHERE target_user_id = $1 ORDER BY id")
            .bind(user_id)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        actions,
        [
            "user.created",
            "invite.sent",
            "invite.resent",
            "invite.accepted"
        ]
    );
}

#[tokio::test]
async fn invite_validity_comes_from_the_account() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    app.call("/api/company/invite-validity", &[("days", "2")])
        .await;
    let email = unique_email("edsger");
    add(&app, &email, true).await;
    let link = invite_link(&app, &email, 1).await;
    app.clock
        .advance(TimeDelta::days(2) - TimeDelta::minutes(1));
    assert_eq!(app.get(path_of(&link)).await.status(), 200);
    app.clock.advance(TimeDelta::minutes(2));
    assert_eq!(app.get(path_of(&link)).await.status(), 410);
}

#[tokio::test]
async fn unknown_and_deleted_user_links_get_their_own_pages() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let unknown = app.get(&format!("/invite/{}", "A".repeat(43))).await;
    assert_eq!(unknown.status(), 404);
    assert!(unknown
        .text()
        .await
        .unwrap()
        .contains("This invite link is not valid"));
    assert_eq!(app.get("/invite/short").await.status(), 404);

    let email = unique_email("barbara");
    let user_id = add(&app, &email, true).await;
    let link = invite_link(&app, &email, 1).await;
    sqlx::query("UPDATE users SET deleted_at = now() WHERE id = $1")
        .bind(user_id)
        .execute(&app.pool)
        .await
        .unwrap();
    let deleted = app.get(path_of(&link)).await;
    assert_eq!(deleted.status(), 410);
    assert!(deleted
        .text()
        .await
        .unwrap()
        .contains("This invite is no longer valid"));
    assert_eq!(
        accept(&app, &link, "Barbara", NEW_PASSWORD).await.status(),
        410
    );
}

#[tokio::test]
async fn send_invite_then_accept_for_a_user_added_without_one() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let email = unique_email("donald");
    let user_id = add(&app, &email, false).await;
    assert_eq!(
        app.count("invitations").await,
        0,
        "no link until an admin sends one"
    );
    let sent = app
        .call(
            "/api/users/send-invite",
            &[("user_id", &user_id.to_string())],
        )
        .await;
    assert_eq!(sent.status(), 200);
    let link = invite_link(&app, &email, 1).await;
    assert_eq!(
        accept(&app, &link, "Donald Knuth", NEW_PASSWORD)
            .await
            .status(),
        200
    );
    // Accepted: no more invites, a reset instead.
    let again = app
        .call(
            "/api/users/send-invite",
            &[("user_id", &user_id.to_string())],
        )
        .await;
    assert_eq!(again.status(), 409);
}

#[tokio::test]
async fn an_admin_sends_a_locked_user_a_reset_and_it_unlocks_them() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let email = unique_email("linus");
    let user_id = add(&app, &email, true).await;
    let link = invite_link(&app, &email, 1).await;
    assert_eq!(
        accept(&app, &link, "Linus", NEW_PASSWORD).await.status(),
        200
    );
    sqlx::query("UPDATE users SET failed_login_attempts = 10, locked_at = now() WHERE id = $1")
        .bind(user_id)
        .execute(&app.pool)
        .await
        .unwrap();
    let table = app.get("/manage/users?q=linus").await.text().await.unwrap();
    assert!(
        table.contains("aria-label=\"Too many failed login attempts\""),
        "{table}"
    );
    assert!(table.contains(">Reset password<"));

    let response = app
        .call(
            "/api/users/send-password-reset",
            &[("user_id", &user_id.to_string())],
        )
        .await;
    assert_eq!(response.status(), 200);
    let mail = emails_to(&email, 2).await;
    assert_eq!(mail[1].subject, "Reset your Roster password");
    let reset = link_in(&mail[1].text, &format!("{}/reset/", app.address));
    let token = reset.rsplit('/').next().unwrap();
    let response = app
        .call(
            "/api/reset",
            &[
                ("token", token),
                ("password", "violet orchard compass tide"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    let locked: bool = sqlx::query_scalar("SELECT locked_at IS NOT NULL FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(!locked);
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'password_reset.requested_by_admin' AND target_user_id = $1",
    )
    .bind(user_id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);

    // A user who never accepted has no password to reset.
    let pending = add(&app, &unique_email("pending"), false).await;
    let response = app
        .call(
            "/api/users/send-password-reset",
            &[("user_id", &pending.to_string())],
        )
        .await;
    assert_eq!(response.status(), 409);
}

/// Every server function of Manage > Users, called by everyone who might.
#[tokio::test]
async fn only_the_owner_and_administrators_manage_users() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let target = add(&app, &unique_email("target"), false).await.to_string();
    let owner_id: Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE role = 'owner' AND email = $1")
            .bind(&owner.email)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let owner_id = owner_id.to_string();

    let anonymous = reqwest::Client::new();
    let callers = [
        ("anonymous", anonymous, 401),
        ("light user", app.signed_in_as(Role::LightUser).await, 403),
        ("user", app.signed_in_as(Role::User).await, 403),
        (
            "deleted administrator",
            app.deleted_user_client().await,
            401,
        ),
        (
            "other account's owner",
            app.other_account_client().await,
            404,
        ),
    ];
    let create_fields = |email: &str| {
        vec![
            ("name".to_owned(), "Intruder".to_owned()),
            ("email".to_owned(), email.to_owned()),
            ("role".to_owned(), "administrator".to_owned()),
        ]
    };
    for (who, client, expected) in &callers {
        let list = app.call_as(client, "/api/users/list", &[]).await.status();
        let invite = app
            .call_as(client, "/api/users/send-invite", &[("user_id", &target)])
            .await
            .status();
        let reset = app
            .call_as(
                client,
                "/api/users/send-password-reset",
                &[("user_id", &owner_id)],
            )
            .await
            .status();
        let email = unique_email("intruder");
        let fields = create_fields(&email);
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let created = app
            .call_as(client, "/api/users/create", &pairs)
            .await
            .status();
        match *expected {
            404 => {
                // Another account's Owner manages their own account only.
                assert_eq!(list, 200, "{who}");
                assert_eq!(invite, 404, "{who}");
                assert_eq!(reset, 404, "{who}");
                assert_eq!(created, 200, "{who} adds to their own account");
                let account: String = sqlx::query_scalar(
                    "SELECT a.name FROM users u JOIN accounts a ON a.id = u.account_id WHERE u.email = $1",
                )
                .bind(&email)
                .fetch_one(&app.pool)
                .await
                .unwrap();
                assert_eq!(account, "Other Co");
            }
            status => {
                for (what, got) in [
                    ("list", list),
                    ("invite", invite),
                    ("reset", reset),
                    ("create", created),
                ] {
                    assert_eq!(got, status, "{who} {what}");
                }
                assert_eq!(
                    app.count(&format!("users WHERE email = '{email}'")).await,
                    0
                );
            }
        }
    }

    // An Administrator manages everyone but the Owner.
    let admin = app.signed_in_as(Role::Administrator).await;
    let reset_owner = app
        .call_as(
            &admin,
            "/api/users/send-password-reset",
            &[("user_id", &owner_id)],
        )
        .await;
    assert_eq!(reset_owner.status(), 403);
    let invite = app
        .call_as(&admin, "/api/users/send-invite", &[("user_id", &target)])
        .await;
    assert_eq!(invite.status(), 200);
    assert_eq!(
        app.call_as(
            &admin,
            "/api/users/send-invite",
            &[("user_id", "not-a-uuid")]
        )
        .await
        .status(),
        404
    );
    // The Owner may reset their own password from the table.
    assert_eq!(
        app.call("/api/users/send-password-reset", &[("user_id", &owner_id)])
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn accepting_in_a_signed_in_browser_ends_the_session_it_had() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let email = unique_email("shafi");
    add(&app, &email, true).await;
    let link = invite_link(&app, &email, 1).await;
    // A browser where an Administrator is signed in opens the invite.
    let admin = app.signed_in_as(Role::Administrator).await;
    assert_eq!(
        app.call_as(&admin, "/api/users/list", &[]).await.status(),
        200
    );
    let token = link.rsplit('/').next().unwrap();
    let accepted = app
        .call_as(
            &admin,
            "/api/invite/accept",
            &[
                ("token", token),
                ("name", "Shafi Goldwasser"),
                ("password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(accepted.status(), 200);
    assert!(
        session_cookie(&accepted).is_some(),
        "a new session for the new user"
    );
    assert_eq!(
        app.call_as(&admin, "/api/users/list", &[]).await.status(),
        401,
        "the old session ended"
    );
}

#[tokio::test]
async fn changing_the_address_kills_the_invite_sent_to_the_old_one() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let email = unique_email("grace");
    let user_id = add(&app, &email, true).await;
    let old_link = invite_link(&app, &email, 1).await;

    let view: serde_json::Value = app
        .call("/api/profile/get", &[("user", &user_id.to_string())])
        .await
        .json()
        .await
        .unwrap();
    let version = view["version"].as_i64().unwrap().to_string();
    let new_email = unique_email("grace.new");
    let changed = app
        .call(
            "/api/profile/email",
            &[
                ("user", user_id.to_string().as_str()),
                ("email", &new_email),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(changed.status(), 200, "{}", changed.text().await.unwrap());

    let dead = app.get(path_of(&old_link)).await;
    assert_eq!(dead.status(), 410);
    assert!(dead
        .text()
        .await
        .unwrap()
        .contains("This invite was for another email address"));
    assert_eq!(
        accept(&app, &old_link, "Grace Hopper", NEW_PASSWORD)
            .await
            .status(),
        410
    );
    let page: serde_json::Value = app
        .call("/api/users/list", &[("q", "grace")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["rows"][0]["status"], "InviteNotYetSent");

    // The admin sends a new one, to the new address, and it works.
    let sent = app
        .call(
            "/api/users/send-invite",
            &[("user_id", &user_id.to_string())],
        )
        .await;
    assert_eq!(sent.status(), 200);
    let new_link = invite_link(&app, &new_email, 1).await;
    assert_eq!(
        accept(&app, &new_link, "Grace Hopper", NEW_PASSWORD)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn a_link_for_an_address_the_user_no_longer_has_does_not_work() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let email = unique_email("barbara");
    let user_id = add(&app, &email, true).await;
    let link = invite_link(&app, &email, 1).await;
    // An address changed without revoking the link (an earlier release, or
    // a hand edit): the link still dies, because the address is checked.
    sqlx::query("UPDATE users SET email = $2 WHERE id = $1")
        .bind(user_id)
        .bind(unique_email("barbara.elsewhere"))
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        accept(&app, &link, "Barbara Liskov", NEW_PASSWORD)
            .await
            .status(),
        410
    );
    // The same address in other capitals is the same address.
    sqlx::query("UPDATE users SET email = upper($2) WHERE id = $1")
        .bind(user_id)
        .bind(&email)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        accept(&app, &link, "Barbara Liskov", NEW_PASSWORD)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn deactivating_kills_the_invite_and_reactivating_does_not_revive_it() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let email = unique_email("ada");
    let user_id = add(&app, &email, true).await;
    let link = invite_link(&app, &email, 1).await;
    for change in ["deactivate", "reactivate"] {
        let done = app
            .call(
                &format!("/api/users/{change}"),
                &[("user", &user_id.to_string())],
            )
            .await;
        assert_eq!(done.status(), 200, "{change}");
        let dead = app.get(path_of(&link)).await;
        assert!(
            dead.status().is_client_error(),
            "after {change}: {}",
            dead.status()
        );
        assert!(accept(&app, &link, "Ada Lovelace", NEW_PASSWORD)
            .await
            .status()
            .is_client_error());
    }
    let ada: Option<String> = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(ada, None, "the dead link set no password");
}

#[tokio::test]
async fn the_profile_offers_the_invite_until_it_is_accepted_then_reset_password() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let email = unique_email("frances");
    assert_eq!(
        app.add_user("Frances Allen", &email, Role::User)
            .await
            .status(),
        200
    );
    let id: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(&email)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let profile = format!("/manage/users/{id}/profile");
    let buttons = |html: &str| {
        ["Send invite email", "Resend invite email", "Reset password"]
            .into_iter()
            .filter(|label| html.contains(&format!(">{label}<")))
            .collect::<Vec<_>>()
    };
    let html = app.get(&profile).await.text().await.unwrap();
    assert_eq!(buttons(&html), ["Send invite email"]);

    let sent = app
        .call("/api/users/send-invite", &[("user_id", &id.to_string())])
        .await;
    assert_eq!(sent.status(), 200);
    let html = app.get(&profile).await.text().await.unwrap();
    assert_eq!(buttons(&html), ["Resend invite email"]);

    sqlx::query("UPDATE users SET password_hash = 'x' WHERE id = $1")
        .bind(id)
        .execute(&app.pool)
        .await
        .unwrap();
    let html = app.get(&profile).await.text().await.unwrap();
    assert_eq!(buttons(&html), ["Reset password"]);
}

#[tokio::test]
async fn revoking_an_invite_kills_its_link_says_so_and_a_new_invite_works() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let email = unique_email("grace");
    let user_id = add(&app, &email, true).await;
    let link = invite_link(&app, &email, 1).await;
    let user = user_id.to_string();

    let revoked = app
        .call("/api/users/revoke-invite", &[("user_id", &user)])
        .await;
    assert_eq!(revoked.status(), 200, "{}", revoked.text().await.unwrap());
    assert!(app.get(path_of(&link)).await.status().is_client_error());
    assert!(accept(&app, &link, "Grace Hopper", NEW_PASSWORD)
        .await
        .status()
        .is_client_error());
    let revoked_by: Option<Uuid> =
        sqlx::query_scalar("SELECT revoked_by FROM invitations WHERE user_id = $1")
            .bind(user_id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(revoked_by, Some(app.id_of(Role::Owner).await));
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'invite.revoked' AND target_user_id = $1",
    )
    .bind(user_id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);

    // The table says so, with its alert; the menu offers a new invite.
    let page = app
        .get(
            "/manage/users?done=invite_revoked&user="
                .to_owned()
                .as_str(),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("aria-label=\"Invite revoked\""), "{page}");
    let html = app
        .get(&format!("/manage/users?done=invite_revoked&user={user}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("invite link no longer works"), "{html}");
    let profile = app
        .get(&format!("/manage/users/{user}/profile"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!profile.contains(">Revoke invite<"));
    assert!(profile.contains(">Resend invite email<"));

    // Nothing open to revoke now.
    let again = app
        .call("/api/users/revoke-invite", &[("user_id", &user)])
        .await;
    assert_eq!(again.status(), 409);

    // A new invite replaces it: its link works, and the status follows.
    let sent = app
        .call("/api/users/send-invite", &[("user_id", &user)])
        .await;
    assert_eq!(sent.status(), 200);
    let html = app.get("/manage/users").await.text().await.unwrap();
    assert!(!html.contains("aria-label=\"Invite revoked\""));
    let link = invite_link(&app, &email, 2).await;
    assert_eq!(
        accept(&app, &link, "Grace Hopper", NEW_PASSWORD)
            .await
            .status(),
        200
    );
}

/// The users table as `client` sees it with `query`.
async fn users_page(app: &TestApp, query: &str) -> String {
    app.get(&format!("/manage/users{query}"))
        .await
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn copying_an_invite_link_kills_the_old_one_shows_the_new_one_once_and_sends_nothing() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let email = unique_email("katherine");
    let user_id = add(&app, &email, true).await;
    let emailed = invite_link(&app, &email, 1).await;
    let user = user_id.to_string();

    let copied = app
        .call("/api/users/copy-invite-link", &[("user_id", &user)])
        .await;
    assert_eq!(copied.status(), 200, "{}", copied.text().await.unwrap());
    // The emailed link died with the copy.
    assert!(app.get(path_of(&emailed)).await.status().is_client_error());
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'invite.link_copied' AND target_user_id = $1",
    )
    .bind(user_id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);
    let queued: i64 =
        sqlx::query_scalar("SELECT count(*) FROM outbox_emails WHERE to_address = $1")
            .bind(&email)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(queued, 1, "copying a link sends no email");

    // This browser is shown the new link; the row says how the invite went.
    let html = users_page(&app, &format!("?done=link_copied&user={user}")).await;
    assert!(html.contains("Invite link for Katherine"), "{html}");
    let prefix = format!("{}/invite/", app.address);
    let link = link_in(&html, &prefix)
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    assert_ne!(link, emailed);
    assert!(html.contains("Invite link copied"), "{html}");
    let profile = app
        .get(&format!("/manage/users/{user}/profile"))
        .await
        .text()
        .await
        .unwrap();
    assert!(profile.contains("Invite link copied"), "{profile}");
    assert!(profile.contains(">Copy invite link<"), "{profile}");

    // Another admin's browser is not shown it, and is told why.
    let other = app.signed_in_browser(Role::Administrator).await;
    let elsewhere = app
        .get_as(
            &other,
            &format!("/manage/users?done=link_copied&user={user}"),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !elsewhere.contains(&prefix),
        "the link shows only where it was made"
    );
    assert!(elsewhere.contains("shown only in the browser that made it"));

    // The copied link works, once; then there is nothing left to copy.
    assert_eq!(
        accept(&app, &link, "Katherine Johnson", NEW_PASSWORD)
            .await
            .status(),
        200
    );
    let html = users_page(&app, &format!("?done=link_copied&user={user}")).await;
    assert!(
        !html.contains(&prefix),
        "an accepted link is not shown again"
    );
    let again = app
        .call("/api/users/copy-invite-link", &[("user_id", &user)])
        .await;
    assert_eq!(again.status(), 409);
}

#[tokio::test]
async fn the_table_and_profile_follow_the_invite_email_through_the_outbox() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let email = unique_email("mary");
    let user_id = add(&app, &email, true).await;
    let profile = format!("/manage/users/{user_id}/profile");

    // The worker sends it; the kept page follows without any other change.
    let mut html = String::new();
    for _ in 0..50 {
        html = users_page(&app, "").await;
        if html.contains("Invite email: Sent") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(html.contains("Invite email: Sent"), "{html}");

    let set = |sql: &'static str| {
        let pool = app.pool.clone();
        let email = email.clone();
        async move {
            sqlx::query(sql).bind(email).execute(&pool).await.unwrap();
        }
    };
    set("UPDATE outbox_emails SET sent_at = NULL, attempts = 3, next_attempt_at = now() + interval '1 hour',
                last_error = 'The mail server refused it (550: 5.1.1 mailbox unavailable)'
         WHERE to_address = $1")
    .await;
    let html = users_page(&app, "").await;
    assert!(
        html.contains("Invite email: Failed. The mail server refused it (550: 5.1.1 mailbox unavailable). Roster will try again (7 retries left)."),
        "{html}"
    );
    set("UPDATE outbox_emails SET attempts = 10, dead_at = now() WHERE to_address = $1").await;
    let page = app.get(&profile).await.text().await.unwrap();
    assert!(page.contains("No retries left"), "{page}");
    set("UPDATE outbox_emails SET attempts = 0, dead_at = NULL, last_error = NULL WHERE to_address = $1")
        .await;
    let html = users_page(&app, "").await;
    assert!(html.contains("Invite email: Queued"), "{html}");

    // Once accepted, the invite's delivery is history.
    sqlx::query("UPDATE invitations SET accepted_at = now() WHERE user_id = $1")
        .bind(user_id)
        .execute(&app.pool)
        .await
        .unwrap();
    let html = users_page(&app, "").await;
    assert!(!html.contains("Invite email:"), "{html}");
}
