//! Signing in and out, lockout, sessions' lifetimes, password recovery.

use chrono::TimeDelta;
use reqwest::header;

use crate::helpers::{
    emails_to, link_in, plain_client, session_cookie, unique_email, TestApp, OWNER_PASSWORD,
};
use app::domain::Role;

impl TestApp {
    /// Signs in on a fresh client; returns it and the response.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
    ) -> (reqwest::Client, reqwest::Response) {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .unwrap();
        let response = client
            .post(self.url("/api/sign-in"))
            .header(header::ORIGIN, &self.address)
            .header(header::ACCEPT, "application/json")
            .form(&[
                ("email", email),
                ("password", password),
                ("next", "/manage/users"),
            ])
            .send()
            .await
            .unwrap();
        (client, response)
    }

    pub async fn failed_logins(&self, email: &str) -> i32 {
        sqlx::query_scalar("SELECT failed_login_attempts FROM users WHERE email = $1")
            .bind(email)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn the_owner_signs_in_with_a_new_session_and_goes_where_they_were_going() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let (client, response) = app.sign_in(&owner.email, OWNER_PASSWORD).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["location"], "/manage/users");
    let cookie = session_cookie(&response).expect("a new session cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    assert_eq!(
        app.count("sessions").await,
        2,
        "setup's session and this one"
    );
    assert_eq!(app.get_as(&client, "/manage/users").await.status(), 200);
}

#[tokio::test]
async fn every_failure_looks_the_same_and_costs_one_hash() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    sqlx::query("INSERT INTO users (account_id, name, email, role) SELECT id, 'Invited', 'invited@acme.example', 'user' FROM accounts")
        .execute(&app.pool)
        .await
        .unwrap();
    let deleted = unique_email("deleted");
    sqlx::query("INSERT INTO users (account_id, name, email, role, password_hash, deleted_at) SELECT id, 'Gone', $1, 'user', 'x', now() FROM accounts")
        .bind(&deleted)
        .execute(&app.pool)
        .await
        .unwrap();

    let mut answers = Vec::new();
    for (email, password) in [
        ("nobody@acme.example", OWNER_PASSWORD),
        (owner.email.as_str(), "wrong password entirely"),
        ("invited@acme.example", OWNER_PASSWORD),
        (deleted.as_str(), OWNER_PASSWORD),
    ] {
        let before = app::crypto::password_hash::verifications();
        let (_, response) = app.sign_in(email, password).await;
        let after = app::crypto::password_hash::verifications();
        assert!(after > before, "{email}: no Argon2 verification ran");
        let status = response.status();
        let body = response.text().await.unwrap();
        answers.push((status, body));
    }
    // A locked account answers the same, even with the right password.
    sqlx::query("UPDATE users SET locked_at = now() WHERE email = $1")
        .bind(&owner.email)
        .execute(&app.pool)
        .await
        .unwrap();
    let (_, response) = app.sign_in(&owner.email, OWNER_PASSWORD).await;
    answers.push((response.status(), response.text().await.unwrap()));

    for answer in &answers {
        assert_eq!(answer, &answers[0]);
    }
    assert_eq!(answers[0].0, 401);
}

#[tokio::test]
async fn ten_failures_lock_the_account_until_a_reset() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    app.signed_in_as(Role::Administrator).await;
    app.signed_in_as(Role::User).await;
    let address_of = |role: &'static str| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT email FROM users WHERE role = $1")
                .bind(role)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let (admin, user) = (address_of("administrator").await, address_of("user").await);
    let told = |address: String| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT count(*) FROM outbox_emails WHERE to_address = $1 AND subject = 'Ada Lovelace''s Roster account is locked'",
            )
            .bind(address)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    for _ in 0..10 {
        let (_, response) = app.sign_in(&owner.email, "not the password at all").await;
        assert_eq!(response.status(), 401);
    }
    let (_, response) = app.sign_in(&owner.email, OWNER_PASSWORD).await;
    assert_eq!(
        response.status(),
        401,
        "the right password fails once locked"
    );
    let locked: bool =
        sqlx::query_scalar("SELECT locked_at IS NOT NULL FROM users WHERE email = $1")
            .bind(&owner.email)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(locked);
    let mail = emails_to(&owner.email, 1).await;
    assert_eq!(mail[0].subject, "Your Roster account is locked");
    assert!(mail[0].text.contains(&format!("{}/recover", app.address)));
    assert!(mail[0]
        .html
        .as_deref()
        .is_some_and(|html| html.contains("/recover")));
    let to_admin = emails_to(&admin, 1).await;
    assert_eq!(
        to_admin[0].subject,
        "Ada Lovelace's Roster account is locked"
    );
    assert!(to_admin[0].text.contains(&owner.email));
    assert_eq!(
        told(user.clone()).await,
        0,
        "only Owner and Administrators are told"
    );

    // Resetting the password unlocks it.
    reset_through_email(&app, &owner.email, "a brand new harbour light").await;
    let (_, response) = app.sign_in(&owner.email, "a brand new harbour light").await;
    assert_eq!(response.status(), 200);
    assert_eq!(app.failed_logins(&owner.email).await, 0);

    // Locked again within the hour: the admins are not told twice.
    for _ in 0..10 {
        app.sign_in(&owner.email, "not the password at all").await;
    }
    assert_eq!(app.count("users WHERE locked_at IS NOT NULL").await, 1);
    assert_eq!(told(admin).await, 1);
}

#[tokio::test]
async fn parallel_failures_are_all_counted() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let attempts = (0..20).map(|_| app.sign_in(&owner.email, "not the password at all"));
    futures_util::future::join_all(attempts).await;
    assert_eq!(app.failed_logins(&owner.email).await, 20);
}

#[tokio::test]
async fn sign_in_is_throttled_per_ip() {
    let app = TestApp::spawn().await;
    let mut statuses = Vec::new();
    for _ in 0..31 {
        let (_, response) = app
            .sign_in("nobody@acme.example", "whatever it may be")
            .await;
        statuses.push((
            response.status().as_u16(),
            response.headers().get("retry-after").cloned(),
        ));
    }
    assert!(statuses[..30].iter().all(|(status, _)| *status == 401));
    let (status, retry_after) = &statuses[30];
    assert_eq!(*status, 429);
    assert!(retry_after.is_some());
}

#[tokio::test]
async fn sessions_end_after_the_idle_and_absolute_timeouts() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    assert_eq!(app.get("/manage/users").await.status(), 200);
    app.clock
        .advance(TimeDelta::hours(12) + TimeDelta::seconds(1));
    assert_eq!(
        app.get("/manage/users").await.status(),
        302,
        "idle for over 12 hours"
    );

    let owner = app.set_up_owner_again().await;
    let (client, _) = app.sign_in(&owner, OWNER_PASSWORD).await;
    // Active every 11 hours: still signed in after 165 hours…
    for _ in 0..15 {
        app.clock.advance(TimeDelta::hours(11));
        assert_eq!(app.get_as(&client, "/manage/users").await.status(), 200);
    }
    // …but not past 7 days (168 hours) in all.
    app.clock.advance(TimeDelta::hours(11));
    assert_eq!(app.get_as(&client, "/manage/users").await.status(), 302);
}

impl TestApp {
    /// The Owner's email (the account is already set up).
    async fn set_up_owner_again(&self) -> String {
        sqlx::query_scalar("SELECT email FROM users WHERE role = 'owner'")
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }
}

/// Asks for a reset link, follows it from the email, sets `new_password`.
async fn reset_through_email(app: &TestApp, email: &str, new_password: &str) {
    let response = app.call("/api/recover", &[("email", email)]).await;
    assert_eq!(response.status(), 200);
    let mail = emails_to(email, 2).await;
    let reset = mail
        .iter()
        .find(|m| m.subject == "Reset your Roster password")
        .expect("a reset email");
    let link = link_in(&reset.text, &format!("{}/reset/", app.address));
    let token = link.rsplit('/').next().unwrap();
    let response = app
        .call(
            "/api/reset",
            &[("token", token), ("password", new_password)],
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
}

#[tokio::test]
async fn recovery_answers_the_same_for_unknown_addresses_and_sends_nothing() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let unknown = app
        .call("/api/recover", &[("email", "nobody@acme.example")])
        .await;
    let known = app.call("/api/recover", &[("email", &owner.email)]).await;
    assert_eq!(unknown.status(), known.status());
    assert_eq!(
        unknown.headers().get("serverfnredirect"),
        known.headers().get("serverfnredirect")
    );
    assert_eq!(unknown.text().await.unwrap(), known.text().await.unwrap());
    assert_eq!(app.count("password_resets").await, 1);
    assert_eq!(app.count("outbox_emails").await, 1);

    // At most one email per account per five minutes.
    app.call("/api/recover", &[("email", &owner.email)]).await;
    assert_eq!(app.count("password_resets").await, 1);
    app.clock
        .advance(TimeDelta::minutes(5) + TimeDelta::seconds(1));
    app.call("/api/recover", &[("email", &owner.email)]).await;
    assert_eq!(app.count("password_resets").await, 2);
}

#[tokio::test]
async fn a_reset_ends_every_session_and_tells_the_owner() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    assert_eq!(app.get("/manage/users").await.status(), 200);

    reset_through_email(&app, &owner.email, "a brand new harbour light").await;
    assert_eq!(
        app.get("/manage/users").await.status(),
        302,
        "the old session ended"
    );
    let mail = emails_to(&owner.email, 2).await;
    assert!(mail
        .iter()
        .any(|m| m.subject == "Your Roster password was changed"));
    let (_, response) = app.sign_in(&owner.email, OWNER_PASSWORD).await;
    assert_eq!(response.status(), 401, "the old password is gone");
}

#[tokio::test]
async fn reset_links_work_once_and_for_an_hour() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    app.call("/api/recover", &[("email", &owner.email)]).await;
    let mail = emails_to(&owner.email, 1).await;
    let link = link_in(&mail[0].text, &format!("{}/reset/", app.address));
    let token = link.rsplit('/').next().unwrap().to_owned();
    let path = format!("/reset/{token}");
    assert_eq!(app.get(&path).await.status(), 200);

    // No raw token is stored.
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM password_resets WHERE encode(token_hash, 'hex') LIKE '%' || $1 || '%' OR encode(token_hash, 'escape') = $1")
        .bind(&token)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, 0);

    app.clock
        .advance(TimeDelta::minutes(60) + TimeDelta::seconds(1));
    let page = app.get(&path).await;
    assert_eq!(page.status(), 410);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("This reset link has expired"));
    let response = app
        .call(
            "/api/reset",
            &[("token", &token), ("password", "a brand new harbour light")],
        )
        .await;
    assert_eq!(response.status(), 410);

    // A fresh link works once.
    app.call("/api/recover", &[("email", &owner.email)]).await;
    let mail = emails_to(&owner.email, 2).await;
    let fresh = mail
        .iter()
        .map(|m| link_in(&m.text, &format!("{}/reset/", app.address)))
        .find(|l| !l.ends_with(&token))
        .unwrap();
    let fresh_token = fresh.rsplit('/').next().unwrap();
    let weak = app
        .call(
            "/api/reset",
            &[("token", fresh_token), ("password", "short")],
        )
        .await;
    assert_eq!(
        weak.status(),
        422,
        "a weak password does not use up the link"
    );
    let ok = app
        .call(
            "/api/reset",
            &[
                ("token", fresh_token),
                ("password", "a brand new harbour light"),
            ],
        )
        .await;
    assert_eq!(ok.status(), 200);
    let again = app
        .call(
            "/api/reset",
            &[
                ("token", fresh_token),
                ("password", "another fresh harbour light"),
            ],
        )
        .await;
    assert_eq!(again.status(), 410);
    let page = app.get(&format!("/reset/{fresh_token}")).await;
    assert!(page.text().await.unwrap().contains("already used"));
}

#[tokio::test]
async fn return_paths_stay_on_this_site() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let client = plain_client();
    let response = client
        .post(app.url("/api/sign-in"))
        .header(header::ORIGIN, &app.address)
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, app.url("/sign-in"))
        .form(&[
            ("email", owner.email.as_str()),
            ("password", OWNER_PASSWORD),
            ("next", "//evil.example/phish"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "/");
}

/// The password as typed in fullwidth letters (an East Asian keyboard's
/// wide mode), with an ideographic space.
fn fullwidth(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            ' ' => '\u{3000}',
            '!'..='~' => char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap(),
            other => other,
        })
        .collect()
}

#[tokio::test]
async fn a_password_typed_in_fullwidth_still_signs_in_and_confirms() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let typed = fullwidth(OWNER_PASSWORD);
    assert_ne!(typed, OWNER_PASSWORD);
    let (client, response) = app.sign_in(&owner.email, &typed).await;
    assert_eq!(response.status(), 200, "the same password, in another form");
    let response = app
        .call_as(&client, "/api/sessions/confirm", &[("password", &typed)])
        .await;
    assert_eq!(response.status(), 200, "re-authentication reads it alike");
    let (_, response) = app
        .sign_in(&owner.email, &fullwidth("compass lantern orchard"))
        .await;
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn a_full_hashing_pool_answers_503_with_retry_after_and_then_recovers() {
    use std::time::Duration;

    use app::crypto::password_hash::HashingPool;
    // One hash at a time, nobody waiting.
    let app = TestApp::spawn_with(|_| {}, HashingPool::new(1, 0, Duration::from_secs(5))).await;
    let owner = app.set_up_owner().await;
    let held = HeldPool::take(&app).await;

    let (_, busy) = app.sign_in(&owner.email, OWNER_PASSWORD).await;
    assert_eq!(busy.status(), 503);
    assert_eq!(busy.headers()["retry-after"], "2");
    let body: serde_json::Value = busy.json().await.unwrap();
    assert_eq!(body["Busy"]["retry_after"], 2);
    let message = app::session::AuthError::Busy { retry_after: 2 }.to_string();
    assert_eq!(
        message,
        "Roster is busy right now. Wait 2 seconds, then try again."
    );

    held.let_go().await;
    let (_, signed_in) = app.sign_in(&owner.email, OWNER_PASSWORD).await;
    assert_eq!(signed_in.status(), 200);
}

#[tokio::test]
async fn past_the_requests_in_flight_or_the_timeout_the_answer_is_503() {
    use std::time::Duration;

    use app::crypto::password_hash::HashingPool;
    // Two requests at once, a second each; a sign-in waits up to 5 s for
    // the hashing pool, which the test holds.
    let app = TestApp::spawn_with(
        |settings| {
            settings.request_limits = app::state::RequestLimits {
                in_flight: 2,
                timeout: Duration::from_secs(1),
                ..Default::default()
            }
        },
        HashingPool::new(1, 8, Duration::from_secs(5)),
    )
    .await;
    let owner = app.set_up_owner().await;
    let held = HeldPool::take(&app).await;

    let waiting = (0..2).map(|_| app.sign_in(&owner.email, OWNER_PASSWORD));
    let waiting = futures_util::future::join_all(waiting);
    let (waited, turned_away) = tokio::join!(waiting, async {
        // Both sign-ins are in flight (waiting for the pool) by now.
        tokio::time::sleep(Duration::from_millis(300)).await;
        app.get("/healthz").await
    });
    assert_eq!(turned_away.status(), 503, "a third request at once");
    assert_eq!(turned_away.headers()["retry-after"], "1");
    for (_, response) in waited {
        assert_eq!(response.status(), 503, "waited past the timeout");
        assert_eq!(response.headers()["retry-after"], "1");
    }

    held.let_go().await;
    assert_eq!(app.get("/healthz").await.status(), 200);
}

/// The server's only hashing slot, taken by the test until [`HeldPool::let_go`].
struct HeldPool {
    release: std::sync::mpsc::Sender<()>,
    holder: tokio::task::JoinHandle<()>,
}

impl HeldPool {
    async fn take(app: &TestApp) -> Self {
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let hashing = app.hashing.clone();
        let holder = tokio::spawn(async move {
            hashing.run(move || hold.recv()).await.unwrap().unwrap();
        });
        while app.hashing.busy() == 0 {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        Self { release, holder }
    }

    async fn let_go(self) {
        self.release.send(()).unwrap();
        self.holder.await.unwrap();
    }
}
