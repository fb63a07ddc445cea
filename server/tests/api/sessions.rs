//! Active Sessions: listing, confirming the password, revoking.

use chrono::TimeDelta;
use reqwest::header;

use crate::helpers::{plain_client, TestApp, OWNER_PASSWORD};
use app::domain::Role;

async fn sessions(app: &TestApp, client: &reqwest::Client) -> serde_json::Value {
    app.call_as(client, "/api/sessions/list", &[])
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_confirmed_session_revokes_another_which_is_signed_out_at_once() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let (laptop, _) = app.sign_in(&owner.email, OWNER_PASSWORD).await;
    let (phone, _) = app.sign_in(&owner.email, OWNER_PASSWORD).await;

    let listed = sessions(&app, &laptop).await;
    let rows = listed["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3, "setup's, the laptop's and the phone's");
    assert_eq!(rows.iter().filter(|r| r["current"] == true).count(), 1);
    assert_eq!(listed["can_revoke"], false);
    let current = rows.iter().find(|r| r["current"] == true).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let other = rows.iter().find(|r| r["current"] == false).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Revoking needs a fresh password confirmation.
    let response = app
        .call_as(&laptop, "/api/sessions/revoke", &[("session_id", &other)])
        .await;
    assert_eq!(response.status(), 403);
    let response = app
        .call_as(
            &laptop,
            "/api/sessions/confirm",
            &[("password", "not the password at all")],
        )
        .await;
    assert_eq!(response.status(), 401);
    let response = app
        .call_as(
            &laptop,
            "/api/sessions/confirm",
            &[("password", OWNER_PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(sessions(&app, &laptop).await["can_revoke"], true);

    // Its own session is not "another" one; a made-up id is not found.
    let response = app
        .call_as(&laptop, "/api/sessions/revoke", &[("session_id", &current)])
        .await;
    assert_eq!(response.status(), 404);
    let response = app
        .call_as(
            &laptop,
            "/api/sessions/revoke",
            &[("session_id", "not-a-uuid")],
        )
        .await;
    assert_eq!(response.status(), 404);

    // One other session, by its id.
    let response = app
        .call_as(&laptop, "/api/sessions/revoke", &[("session_id", &other)])
        .await;
    assert_eq!(response.status(), 200);
    let rows = sessions(&app, &laptop).await["rows"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r["id"] != other.as_str()));
    let revoked: bool =
        sqlx::query_scalar("SELECT revoked_at IS NOT NULL FROM sessions WHERE id = $1::uuid")
            .bind(&other)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(revoked);

    let response = app
        .call_as(&laptop, "/api/sessions/revoke-others", &[])
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        app.get_as(&phone, "/manage/users").await.status(),
        302,
        "the phone is signed out"
    );
    assert_eq!(
        app.get("/manage/users").await.status(),
        302,
        "so is setup's session"
    );
    assert_eq!(
        app.get_as(&laptop, "/manage/users").await.status(),
        200,
        "the laptop stays"
    );
    assert_eq!(
        sessions(&app, &laptop).await["rows"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // The confirmation lapses.
    app.clock.advance(TimeDelta::minutes(11));
    assert_eq!(sessions(&app, &laptop).await["can_revoke"], false);
}

#[tokio::test]
async fn nobody_revokes_another_users_sessions() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let (owner_client, _) = app.sign_in(&owner.email, OWNER_PASSWORD).await;
    let owners_session: String =
        sqlx::query_scalar("SELECT id::text FROM sessions ORDER BY created_at DESC LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let admin = app.signed_in_as(Role::Administrator).await;
    sqlx::query("UPDATE sessions SET reauthenticated_at = now() + interval '1 day'")
        .execute(&app.pool)
        .await
        .unwrap();
    let response = app
        .call_as(
            &admin,
            "/api/sessions/revoke",
            &[("session_id", &owners_session)],
        )
        .await;
    assert_eq!(response.status(), 404);
    assert_eq!(
        app.get_as(&owner_client, "/manage/users").await.status(),
        200
    );
}

#[tokio::test]
async fn the_page_names_the_device_and_marks_this_session() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .user_agent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36")
        .build()
        .unwrap();
    browser
        .post(app.url("/api/sign-in"))
        .header(header::ORIGIN, &app.address)
        .form(&[
            ("email", owner.email.as_str()),
            ("password", OWNER_PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    let page = app.get_as(&browser, "/profile/active-sessions").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for text in [
        "Active Sessions",
        "Chrome on Linux",
        "This session",
        "Testville, Testland",
        "Confirm password",
    ] {
        assert!(html.contains(text), "the page lacks {text:?}");
    }

    let anonymous = plain_client();
    let response = app.get_as(&anonymous, "/profile/active-sessions").await;
    assert_eq!(response.status(), 302);
}

#[tokio::test]
async fn session_times_are_in_the_viewers_zone_and_clock() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    sqlx::query(
        "UPDATE users SET timezone = 'Asia/Tokyo', time_format = '12h' WHERE role = 'owner'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let mine: serde_json::Value = app
        .call("/api/sessions/list", &[])
        .await
        .json()
        .await
        .unwrap();
    let row = &mine["rows"][0];
    let created = row["created"].as_str().unwrap();
    assert!(created.ends_with(" JST"), "{created}");
    assert!(
        created.contains(" AM ") || created.contains(" PM "),
        "{created}"
    );
    let at = chrono::DateTime::parse_from_rfc3339(row["created_at"].as_str().unwrap()).unwrap();
    // Tokyo keeps UTC+9 all year.
    let tokyo = at.naive_utc() + TimeDelta::hours(9);
    assert_eq!(
        created,
        tokyo.format("%-d %b %Y, %-I:%M %p JST").to_string()
    );
}
