//! Rate limits: a fixed one-minute window per action and client, counted
//! in PostgreSQL, so servers sharing a database share the limits.

use app::rate_limit::{count, Limited};
use chrono::TimeDelta;

use crate::helpers::TestApp;

#[tokio::test]
async fn the_request_past_the_limit_waits_for_its_window() {
    let app = TestApp::spawn().await;
    let now = app.clock.now();
    let at = |seconds: i64| now + TimeDelta::seconds(seconds);
    for _ in 0..5 {
        let counted = count(&app.pool, Limited::RecoverPassword, "192.0.2.1", now).await;
        assert_eq!(counted.unwrap(), Ok(()));
    }
    let over = count(&app.pool, Limited::RecoverPassword, "192.0.2.1", at(20)).await;
    assert_eq!(over.unwrap(), Err(40));
    // Other clients and other actions are counted apart.
    let other_client = count(&app.pool, Limited::RecoverPassword, "192.0.2.2", at(20)).await;
    assert_eq!(other_client.unwrap(), Ok(()));
    let other_action = count(&app.pool, Limited::SignIn, "192.0.2.1", at(20)).await;
    assert_eq!(other_action.unwrap(), Ok(()));
    // A new minute, a new allowance.
    let next_minute = count(&app.pool, Limited::RecoverPassword, "192.0.2.1", at(60)).await;
    assert_eq!(next_minute.unwrap(), Ok(()));
}

#[tokio::test]
async fn two_servers_on_one_database_count_the_same_requests() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let other = app.second_server().await;
    // Thirty sign-ins a minute from one address, spread over both servers.
    for attempt in 0..30 {
        let server = if attempt % 2 == 0 { &app } else { &other };
        let (_, response) = server
            .sign_in("nobody@acme.example", "not the password at all")
            .await;
        assert_eq!(response.status(), 401, "attempt {attempt}");
    }
    for server in [&app, &other] {
        let (_, limited) = server
            .sign_in("nobody@acme.example", "not the password at all")
            .await;
        assert_eq!(limited.status(), 429);
        assert!(limited.headers().contains_key("retry-after"));
    }
    app.clock.advance(TimeDelta::seconds(61));
    let (_, again) = other
        .sign_in("nobody@acme.example", "not the password at all")
        .await;
    assert_eq!(again.status(), 401, "a new window");
    assert!(app.count("rate_limit_windows").await >= 1);
}
