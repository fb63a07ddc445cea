//! Behind reverse proxies: the client is the address the trusted proxies
//! name, for the per-address limits, sessions and audit rows.

use app::trusted_proxies::{ForwardingHeader, TrustedProxies};
use reqwest::header;

use crate::helpers::{TestApp, OWNER_PASSWORD};

/// A sign-in whose request carries `X-Forwarded-For: forwarded_for`.
async fn sign_in_forwarded(
    app: &TestApp,
    forwarded_for: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/api/sign-in"))
        .header(header::ORIGIN, &app.address)
        .header("x-forwarded-for", forwarded_for)
        .form(&[("email", email), ("password", password), ("next", "/")])
        .send()
        .await
        .unwrap()
}

/// A wrong sign-in, as forwarded by a proxy that names `client`.
async fn wrong_sign_in(app: &TestApp, forwarded_for: &str) -> u16 {
    sign_in_forwarded(
        app,
        forwarded_for,
        "nobody@acme.example",
        "whatever it may be",
    )
    .await
    .status()
    .as_u16()
}

fn behind_loopback_proxy() -> TrustedProxies {
    TrustedProxies::parse("127.0.0.1/32, ::1", ForwardingHeader::XForwardedFor).unwrap()
}

#[tokio::test]
async fn behind_a_trusted_proxy_one_client_cannot_lock_out_the_others() {
    let app = TestApp::spawn_behind(behind_loopback_proxy()).await;
    for _ in 0..30 {
        assert_eq!(wrong_sign_in(&app, "203.0.113.1").await, 401);
    }
    assert_eq!(wrong_sign_in(&app, "203.0.113.1").await, 429);
    // Whatever the attacker writes in front of the hop the proxy added.
    assert_eq!(wrong_sign_in(&app, "198.51.100.9, 203.0.113.1").await, 429);
    assert_eq!(
        wrong_sign_in(&app, "203.0.113.2").await,
        401,
        "another client signs in as usual"
    );
}

#[tokio::test]
async fn ipv6_clients_are_limited_per_64() {
    let app = TestApp::spawn_behind(behind_loopback_proxy()).await;
    for n in 0..30 {
        assert_eq!(
            wrong_sign_in(&app, &format!("2001:db8:1:2::{n:x}")).await,
            401
        );
    }
    assert_eq!(
        wrong_sign_in(&app, "2001:db8:1:2:ffff::1").await,
        429,
        "the same /64"
    );
    assert_eq!(wrong_sign_in(&app, "2001:db8:1:3::1").await, 401);
}

#[tokio::test]
async fn without_trusted_proxies_forwarding_headers_are_ignored() {
    let app = TestApp::spawn().await;
    for n in 0..30 {
        assert_eq!(wrong_sign_in(&app, &format!("203.0.113.{n}")).await, 401);
    }
    assert_eq!(
        wrong_sign_in(&app, "203.0.113.200").await,
        429,
        "a made-up header does not make a new client"
    );
}

#[tokio::test]
async fn sessions_and_audit_rows_record_the_client_not_the_proxy() {
    let app = TestApp::spawn_behind(behind_loopback_proxy()).await;
    let owner = app.set_up_owner().await;
    let response = sign_in_forwarded(&app, "203.0.113.77", &owner.email, OWNER_PASSWORD).await;
    assert!(response.status().is_redirection() || response.status().is_success());
    let count = |sql: &'static str| {
        let app = &app;
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&app.pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        count("SELECT count(*) FROM sessions WHERE ip = '203.0.113.77'").await,
        1
    );
    assert_eq!(
        count(
            "SELECT count(*) FROM audit_events
             WHERE action = 'user.signed_in' AND ip = '203.0.113.77'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn without_trusted_proxies_a_forwarded_for_header_does_not_change_the_recorded_ip() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    sign_in_forwarded(&app, "203.0.113.9", &owner.email, OWNER_PASSWORD).await;
    let ips: Vec<String> = sqlx::query_scalar("SELECT ip FROM sessions")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(ips.len(), 2);
    assert!(ips.iter().all(|ip| ip == "127.0.0.1"), "{ips:?}");
}
