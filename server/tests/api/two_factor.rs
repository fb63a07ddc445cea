//! Two-factor authentication: set up by the user alone, codes work once,
//! the secret is sealed at rest, sign-in asks for a code.

use app::two_factor::totp;
use chrono::TimeDelta;
use data_encoding::BASE32_NOPAD;

use crate::helpers::{TestApp, OWNER_PASSWORD};
use app::domain::Role;

/// Turns two-factor on for the signed-in `client`; returns the secret and
/// the recovery codes.
pub async fn enable(app: &TestApp, client: &reqwest::Client) -> (Vec<u8>, Vec<String>) {
    let status: serde_json::Value = app
        .call_as(client, "/api/two-factor/status", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["enabled"], false);
    let grouped = status["setup"]["secret"].as_str().unwrap();
    assert!(status["setup"]["qr_code"]
        .as_str()
        .unwrap()
        .starts_with("data:image/svg+xml;base64,"));
    let secret = BASE32_NOPAD
        .decode(grouped.replace(' ', "").as_bytes())
        .unwrap();
    assert_eq!(secret.len(), 20, "a 160-bit secret");

    let code = totp::code_at(&secret, totp::step_at(app.clock.now()));
    let wrong = app
        .call_as(
            client,
            "/api/two-factor/enable",
            &[("password", OWNER_PASSWORD), ("code", "000000")],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    let no_password = app
        .call_as(
            client,
            "/api/two-factor/enable",
            &[("password", "nope nope nope nope"), ("code", &code)],
        )
        .await;
    assert_eq!(no_password.status(), 422);
    let response = app
        .call_as(
            client,
            "/api/two-factor/enable",
            &[("password", OWNER_PASSWORD), ("code", &code)],
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());

    let status: serde_json::Value = app
        .call_as(client, "/api/two-factor/status", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["enabled"], true);
    let codes: Vec<String> = status["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 10);
    let again: serde_json::Value = app
        .call_as(client, "/api/two-factor/status", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        again["recovery_codes"], status["recovery_codes"],
        "a second view shows them again: no view clears them"
    );
    (secret, codes)
}

async fn answer(app: &TestApp, client: &reqwest::Client, code: &str) -> reqwest::Response {
    app.call_as(client, "/api/two-factor/verify", &[("code", code)])
        .await
}

#[tokio::test]
async fn with_two_factor_on_sign_in_needs_a_code_that_works_once() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let (secret, recovery) = enable(&app, &app.client).await;

    let sealed: Vec<u8> = sqlx::query_scalar("SELECT secret_ciphertext FROM two_factor")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(
        !sealed.windows(secret.len()).any(|w| w == secret.as_slice()),
        "the secret is stored encrypted"
    );
    let hashes: Vec<String> = sqlx::query_scalar("SELECT code_hash FROM recovery_codes")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert!(hashes.iter().all(|h| h.starts_with("$argon2id$")));

    // The password alone opens no session.
    let (browser, response) = app.sign_in(&owner.email, OWNER_PASSWORD).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["location"], "/sign-in/two-factor");
    assert!(crate::helpers::session_cookie(&response).is_none());
    assert_eq!(app.get_as(&browser, "/manage/users").await.status(), 302);

    // A minute after enabling: two steps back is too old (and was used to
    // enable); a future code is not accepted either.
    app.clock.advance(TimeDelta::seconds(60));
    let step = totp::step_at(app.clock.now());
    assert_eq!(
        answer(&app, &browser, &totp::code_at(&secret, step - 2))
            .await
            .status(),
        401
    );
    assert_eq!(
        answer(&app, &browser, &totp::code_at(&secret, step + 1))
            .await
            .status(),
        401
    );
    // One step back is fine.
    let previous = totp::code_at(&secret, step - 1);
    let response = answer(&app, &browser, &previous).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["location"], "/manage/users");
    assert_eq!(app.get_as(&browser, "/manage/users").await.status(), 200);

    // The same code does not work twice.
    let (second, _) = app.sign_in(&owner.email, OWNER_PASSWORD).await;
    assert_eq!(answer(&app, &second, &previous).await.status(), 401);
    // A recovery code works, once.
    assert_eq!(answer(&app, &second, &recovery[0]).await.status(), 200);
    let (third, _) = app.sign_in(&owner.email, OWNER_PASSWORD).await;
    assert_eq!(answer(&app, &third, &recovery[0]).await.status(), 401);
    app.clock.advance(TimeDelta::seconds(30));
    let fresh = totp::code_at(&secret, totp::step_at(app.clock.now()));
    assert_eq!(answer(&app, &third, &fresh).await.status(), 200);
}

#[tokio::test]
async fn a_challenge_dies_after_five_minutes_or_five_wrong_codes() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let (secret, _) = enable(&app, &app.client).await;

    let (browser, _) = app.sign_in(&owner.email, OWNER_PASSWORD).await;
    for _ in 0..5 {
        assert_eq!(answer(&app, &browser, "000000").await.status(), 401);
    }
    app.clock.advance(TimeDelta::seconds(30));
    let code = totp::code_at(&secret, totp::step_at(app.clock.now()));
    assert_eq!(answer(&app, &browser, &code).await.status(), 410);

    let (slow, _) = app.sign_in(&owner.email, OWNER_PASSWORD).await;
    app.clock
        .advance(TimeDelta::minutes(5) + TimeDelta::seconds(1));
    let code = totp::code_at(&secret, totp::step_at(app.clock.now()));
    assert_eq!(answer(&app, &slow, &code).await.status(), 410);
}

#[tokio::test]
async fn turning_it_off_needs_the_password_and_a_code() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let (secret, _) = enable(&app, &app.client).await;
    app.clock.advance(TimeDelta::seconds(30));
    let code = totp::code_at(&secret, totp::step_at(app.clock.now()));
    let no_code = app
        .call_as(
            &app.client,
            "/api/two-factor/disable",
            &[("password", OWNER_PASSWORD), ("code", "123456")],
        )
        .await;
    assert_eq!(no_code.status(), 422);
    let ok = app
        .call_as(
            &app.client,
            "/api/two-factor/disable",
            &[("password", OWNER_PASSWORD), ("code", &code)],
        )
        .await;
    assert_eq!(ok.status(), 200);
    let mail = crate::helpers::emails_to(&owner.email, 2).await;
    assert!(mail
        .iter()
        .any(|m| m.subject == "Two-factor authentication is on"));
    assert!(mail
        .iter()
        .any(|m| m.subject == "Two-factor authentication is off"));
    let (_, response) = app.sign_in(&owner.email, OWNER_PASSWORD).await;
    assert_eq!(response.headers()["location"], "/manage/users");
}

#[tokio::test]
async fn nobody_sets_up_two_factor_for_someone_else() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let owner_id: String = sqlx::query_scalar("SELECT id::text FROM users WHERE role = 'owner'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let admin = app.signed_in_as(Role::Administrator).await;
    for path in ["/api/two-factor/enable", "/api/two-factor/disable"] {
        let response = app
            .call_as(
                &admin,
                path,
                &[
                    ("password", OWNER_PASSWORD),
                    ("code", "123456"),
                    ("user_id", &owner_id),
                ],
            )
            .await;
        assert_eq!(response.status(), 422, "{path} takes no user");
    }
    assert_eq!(app.count("two_factor").await, 0);
}

#[tokio::test]
async fn new_recovery_codes_replace_the_old_set() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let (_, old_codes) = enable(&app, &app.client).await;
    let wrong = app
        .call(
            "/api/two-factor/recovery-codes",
            &[("password", "nope nope nope nope")],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    let response = app
        .call(
            "/api/two-factor/recovery-codes",
            &[("password", OWNER_PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), 200);
    let status: serde_json::Value = app
        .call("/api/two-factor/status", &[])
        .await
        .json()
        .await
        .unwrap();
    let new_codes: Vec<String> = status["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(new_codes.len(), 10);
    assert!(new_codes.iter().all(|code| !old_codes.contains(code)));

    let (browser, _) = app.sign_in(&owner.email, OWNER_PASSWORD).await;
    assert_eq!(
        answer(&app, &browser, &old_codes[0]).await.status(),
        401,
        "old codes are dead"
    );
    assert_eq!(answer(&app, &browser, &new_codes[0]).await.status(), 200);
}

#[tokio::test]
async fn ten_wrong_codes_in_a_row_refuse_codes_for_a_while_across_challenges() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let (secret, recovery) = enable(&app, &app.client).await;
    let code_now = |app: &TestApp| totp::code_at(&secret, totp::step_at(app.clock.now()));

    // Five wrong codes end a challenge; a new challenge does not start the
    // count again. (The clock moves past the per-minute request limit.)
    for _ in 0..2 {
        let (browser, _) = app.sign_in(&owner.email, OWNER_PASSWORD).await;
        for _ in 0..5 {
            assert_eq!(answer(&app, &browser, "000000").await.status(), 401);
        }
        app.clock.advance(TimeDelta::seconds(61));
    }

    // The right code is refused now, and so is a recovery code.
    let (browser, _) = app.sign_in(&owner.email, OWNER_PASSWORD).await;
    let refused = answer(&app, &browser, &code_now(&app)).await;
    assert_eq!(refused.status(), 429);
    let wait: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((800..=900).contains(&wait), "about 15 minutes: {wait}");
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["CodesRefused"]["retry_after"], wait);
    assert_eq!(answer(&app, &browser, &recovery[0]).await.status(), 429);
    assert_eq!(
        app.count("audit_events WHERE action = 'two_factor.codes_refused'")
            .await,
        1
    );
    // "Two-factor authentication is on", then this.
    let mail = crate::helpers::emails_to(&owner.email, 2).await;
    assert!(
        mail.iter()
            .any(|m| m.subject == "Wrong two-factor codes on your Roster account"),
        "the person is told"
    );

    // After the cool-down a wrong code starts a longer one...
    app.clock.advance(TimeDelta::minutes(15));
    let (browser, _) = app.sign_in(&owner.email, OWNER_PASSWORD).await;
    assert_eq!(answer(&app, &browser, "000000").await.status(), 401);
    app.clock.advance(TimeDelta::minutes(15));
    let (browser, _) = app.sign_in(&owner.email, OWNER_PASSWORD).await;
    assert_eq!(
        answer(&app, &browser, &code_now(&app)).await.status(),
        429,
        "30 minutes after the eleventh"
    );
    // ...and a right one after it clears the count.
    app.clock.advance(TimeDelta::minutes(16));
    let (browser, _) = app.sign_in(&owner.email, OWNER_PASSWORD).await;
    assert_eq!(answer(&app, &browser, &code_now(&app)).await.status(), 200);
    let failures: i32 = sqlx::query_scalar("SELECT code_failures FROM two_factor")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(failures, 0);
}

#[tokio::test]
async fn with_two_factor_on_the_password_failures_stand_until_a_code_passes() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let (secret, _) = enable(&app, &app.client).await;
    // (Turning two-factor on tried a wrong password once, which counts.)
    sqlx::query("UPDATE users SET failed_login_attempts = 0")
        .execute(&app.pool)
        .await
        .unwrap();
    for _ in 0..3 {
        app.sign_in(&owner.email, "not the password at all").await;
    }
    let failures = |app: &TestApp| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, i32>("SELECT failed_login_attempts FROM users")
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(failures(&app).await, 3);
    // The right password alone does not clear them: someone who has it
    // cannot keep the count low while guessing codes.
    let (browser, _) = app.sign_in(&owner.email, OWNER_PASSWORD).await;
    assert_eq!(failures(&app).await, 3);
    app.clock.advance(TimeDelta::seconds(30));
    let code = totp::code_at(&secret, totp::step_at(app.clock.now()));
    assert_eq!(answer(&app, &browser, &code).await.status(), 200);
    assert_eq!(failures(&app).await, 0);
}

#[test]
fn the_cool_down_starts_at_the_tenth_wrong_code_and_doubles_to_a_day() {
    use app::two_factor::codes::code_cool_down;
    assert_eq!(code_cool_down(9), None);
    assert_eq!(code_cool_down(10), Some(TimeDelta::minutes(15)));
    assert_eq!(code_cool_down(11), Some(TimeDelta::minutes(30)));
    assert_eq!(code_cool_down(15), Some(TimeDelta::minutes(480)));
    assert_eq!(code_cool_down(16), Some(TimeDelta::hours(16)));
    assert_eq!(code_cool_down(17), Some(TimeDelta::hours(24)));
    assert_eq!(code_cool_down(i32::MAX), Some(TimeDelta::hours(24)));
}

#[tokio::test]
async fn signing_in_with_a_code_ends_the_session_the_browser_had() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let (secret, _) = enable(&app, &app.client).await;
    // The browser still signed in from setup signs in again.
    let password_step = app
        .call(
            "/api/sign-in",
            &[
                ("email", owner.email.as_str()),
                ("password", OWNER_PASSWORD),
                ("next", "/manage/users"),
            ],
        )
        .await;
    assert_eq!(password_step.headers()["location"], "/sign-in/two-factor");
    assert_eq!(app.count("sessions WHERE revoked_at IS NULL").await, 1);
    app.clock.advance(TimeDelta::seconds(30));
    let code = totp::code_at(&secret, totp::step_at(app.clock.now()));
    assert_eq!(answer(&app, &app.client, &code).await.status(), 200);
    assert_eq!(
        app.count("sessions WHERE revoked_at IS NOT NULL").await,
        1,
        "the setup session ended"
    );
    assert_eq!(app.count("sessions WHERE revoked_at IS NULL").await, 1);
    assert_eq!(
        app.get("/manage/users").await.status(),
        200,
        "on the new one"
    );
}
