//! Manage > Audit log: events in words, newest first, filtered by person,
//! kind and days in the viewer's zone, pages that neither skip nor repeat,
//! and the CSV export.

use std::collections::HashSet;

use reqwest::StatusCode;
use serde_json::Value;
use uuid::Uuid;

use crate::helpers::TestApp;
use app::domain::Role;

async fn list(app: &TestApp, form: &[(&str, &str)]) -> Value {
    let response = app.call("/api/audit-log/list", form).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn sentences(page: &Value) -> Vec<String> {
    page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["sentence"].as_str().unwrap().to_owned())
        .collect()
}

/// `count` events of `action` about `target`, all at `at` (ties on time).
async fn seed(app: &TestApp, count: i32, action: &str, target: Option<Uuid>, at: &str) {
    sqlx::query(
        "INSERT INTO audit_events (account_id, actor_user_id, target_user_id, action, details, occurred_at)
         SELECT u.account_id, u.id, $2, $1, '{}', $4::timestamptz
         FROM users u, generate_series(1, $3)
         WHERE u.role = 'owner'",
    )
    .bind(action)
    .bind(target)
    .bind(count)
    .bind(at)
    .execute(&app.pool)
    .await
    .unwrap();
}

async fn add(app: &TestApp, name: &str, email: &str, role: Role) -> Uuid {
    assert_eq!(app.add_user(name, email, role).await.status(), 200);
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_log_says_who_did_what_to_whom_newest_first() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let grace = add(&app, "Grace Hopper", "grace@example.com", Role::User).await;
    let version = app.version_of(grace).await;
    let changed = app
        .call(
            "/api/profile/role",
            &[
                ("user", grace.to_string().as_str()),
                ("role", "administrator"),
                ("version", version.as_str()),
            ],
        )
        .await;
    assert_eq!(changed.status(), 200, "{}", changed.text().await.unwrap());

    let page = list(&app, &[]).await;
    let said = sentences(&page);
    assert_eq!(
        said[..2],
        [
            "Ada Lovelace changed Grace Hopper's role from User to Administrator",
            "Ada Lovelace added Grace Hopper as a User",
        ]
    );
    assert_eq!(
        said.last().unwrap(),
        "Ada Lovelace created the account Acme Support"
    );
    assert_eq!(page["zone"], "UTC");
    assert_eq!(page["entries"][0]["actor"], "Ada Lovelace");
    assert_eq!(page["entries"][0]["target"], "Grace Hopper");

    // In the viewer's zone and clock, the zone named.
    sqlx::query(
        "UPDATE users SET timezone = 'Asia/Tokyo', time_format = '12h' WHERE role = 'owner'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    seed(&app, 1, "user.signed_in", None, "2026-12-01T13:05:00Z").await;
    let html = app
        .get("/manage/audit-log?from=2026-12-01&to=2026-12-31")
        .await;
    assert_eq!(html.status(), 200);
    let html = html.text().await.unwrap();
    assert!(html.contains("Times are in Asia/Tokyo"), "{html}");
    assert!(html.contains("1 Dec 2026, 10:05 PM JST"), "{html}");
    assert!(html.contains("Ada Lovelace signed in"), "{html}");
}

#[tokio::test]
async fn pages_neither_skip_nor_repeat_while_events_arrive() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    // 130 events that share one instant, between older and newer ones.
    seed(&app, 10, "user.signed_in", None, "2026-01-01T00:00:00Z").await;
    seed(&app, 130, "user.signed_in", None, "2026-06-01T00:00:00Z").await;
    let total = app.count("audit_events").await;

    let mut seen = HashSet::new();
    let mut order = Vec::new();
    let mut before = String::new();
    loop {
        let page = list(&app, &[("before", before.as_str())]).await;
        for entry in page["entries"].as_array().unwrap() {
            assert!(
                seen.insert(entry["id"].as_i64().unwrap()),
                "shown twice: {entry}"
            );
            order.push((
                entry["when_iso"].as_str().unwrap().to_owned(),
                entry["id"].as_i64().unwrap(),
            ));
        }
        // New events while someone reads: they are newer than every page after the first.
        seed(&app, 3, "user.signed_in", None, "2026-12-31T00:00:00Z").await;
        match page["older"].as_object() {
            Some(older) => {
                before = format!("{}.{}", older["at_micros"], older["id"]);
            }
            None => break,
        }
    }
    assert_eq!(
        seen.len() as i64,
        total,
        "every event of the first view, once"
    );
    let mut sorted = order.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(order, sorted, "newest first, ties by id");

    let html = app.get("/manage/audit-log").await.text().await.unwrap();
    assert!(html.contains(">Older events"), "{html}");
    assert!(!html.contains(">Newest events"));
}

#[tokio::test]
async fn filters_by_person_kind_and_the_viewers_days() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let grace = add(&app, "Grace Hopper", "grace@example.com", Role::User).await;
    let alan = add(&app, "Alan Turing", "alan@example.com", Role::User).await;
    seed(&app, 60, "user.locked", Some(grace), "2026-03-01T12:00:00Z").await;
    seed(&app, 5, "user.locked", Some(alan), "2026-03-01T12:00:00Z").await;

    // By id (the profile's link) or by email, as typed.
    let by_id = list(&app, &[("person", &grace.to_string())]).await;
    let by_email = list(&app, &[("person", " GRACE@example.com ")]).await;
    assert_eq!(by_id["entries"], by_email["entries"]);
    assert_eq!(by_id["person"], "Grace Hopper (grace@example.com)");
    assert_eq!(by_id["entries"].as_array().unwrap().len(), 50);
    assert!(sentences(&by_id)
        .iter()
        .all(|said| said.contains("Grace Hopper")));
    let second = list(
        &app,
        &[
            ("person", &grace.to_string()),
            (
                "before",
                &format!("{}.{}", by_id["older"]["at_micros"], by_id["older"]["id"]),
            ),
        ],
    )
    .await;
    // 60 locks and the Add User event.
    assert_eq!(second["entries"].as_array().unwrap().len(), 11);

    let nobody = list(&app, &[("person", "nobody@example.com")]).await;
    assert_eq!(nobody["entries"], serde_json::json!([]));
    assert_eq!(nobody["person"], Value::Null);

    let locks = list(&app, &[("kind", "user.locked")]).await;
    assert_eq!(locks["entries"].as_array().unwrap().len(), 50);
    let created = list(&app, &[("kind", "user.created")]).await;
    assert_eq!(sentences(&created).len(), 2);

    // Days are the viewer's: in Tokyo, 12:00 UTC on 1 Mar is 21:00 on 1 Mar,
    // and 20:00 UTC on 1 Mar is already 2 Mar.
    sqlx::query("UPDATE users SET timezone = 'Asia/Tokyo' WHERE role = 'owner'")
        .execute(&app.pool)
        .await
        .unwrap();
    seed(&app, 2, "user.signed_in", None, "2026-03-01T20:00:00Z").await;
    let first_of_march = list(&app, &[("from", "2026-03-01"), ("to", "2026-03-01")]).await;
    assert_eq!(first_of_march["entries"].as_array().unwrap().len(), 50);
    assert!(sentences(&first_of_march)
        .iter()
        .all(|said| said.contains("locked out")));
    // Its next page: the cursor and the day's end together bound the walk.
    let older = &first_of_march["older"];
    let rest = list(
        &app,
        &[
            ("from", "2026-03-01"),
            ("to", "2026-03-01"),
            ("before", &format!("{}.{}", older["at_micros"], older["id"])),
        ],
    )
    .await;
    assert_eq!(rest["entries"].as_array().unwrap().len(), 15);
    assert_eq!(rest["older"], Value::Null);
    let second_of_march = list(&app, &[("from", "2026-03-02"), ("to", "2026-03-02")]).await;
    assert_eq!(
        sentences(&second_of_march),
        ["Ada Lovelace signed in", "Ada Lovelace signed in"]
    );
}

#[tokio::test]
async fn garbage_in_the_address_is_a_4xx_never_a_5xx() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let bad: &[(&str, &str)] = &[
        ("from", "yesterday"),
        ("to", "2026-02-30"),
        ("from", "99999-01-01"),
        ("before", "1.0"),
        ("before", "-5.5"),
        ("before", "9223372036854775807.9223372036854775807"),
        ("before", "253402300800000000.1"),
        ("kind", "user.exploded"),
        ("kind", "'; DROP TABLE audit_events; --"),
        ("person", &"x".repeat(400)),
        ("person", "nul\0@example.com"),
    ];
    for (field, value) in bad {
        let response = app.call("/api/audit-log/list", &[(field, value)]).await;
        assert_eq!(response.status(), 400, "{field}={value}");
        let page: Value = response.json().await.unwrap();
        assert!(
            page["errors"]
                .as_array()
                .is_some_and(|errors| !errors.is_empty()),
            "{page}"
        );
        assert_eq!(page["entries"], serde_json::json!([]));

        let address = format!("/manage/audit-log?{field}={}", urlencode(value));
        let html = app.get(&address).await;
        assert_eq!(html.status(), 400, "{address}");
        assert!(html.text().await.unwrap().contains("class=\"field-error\""));

        let export = app
            .get(&format!(
                "/manage/audit-log/export?{field}={}",
                urlencode(value)
            ))
            .await;
        if *field == "before" {
            // The export ignores paging.
            assert_eq!(export.status(), 200);
        } else {
            assert_eq!(export.status(), 400, "export {field}={value}");
        }
    }
    // Ids and addresses that name nobody here: an empty log, not an error.
    for person in [
        Uuid::new_v4().to_string(),
        "not an email".to_owned(),
        "%00".to_owned(),
    ] {
        let page = list(&app, &[("person", person.as_str())]).await;
        assert_eq!(page["entries"], serde_json::json!([]), "{person}");
    }
    let broken = app.get("/manage/audit-log/export?from=%ff%fe").await;
    assert!(broken.status().is_client_error(), "{}", broken.status());
}

#[tokio::test]
async fn export_streams_every_matching_event_as_csv_a_spreadsheet_cannot_run() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let mallory: Uuid = sqlx::query_scalar(
        "INSERT INTO users (account_id, name, email, role)
         SELECT account_id, '=cmd|'' /C calc''!A0', 'mallory@example.com', 'user' FROM users LIMIT 1
         RETURNING id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    seed(
        &app,
        2_345,
        "user.locked",
        Some(mallory),
        "2026-03-01T12:00:00Z",
    )
    .await;
    seed(&app, 7, "user.signed_in", None, "2026-03-01T12:00:00Z").await;

    let response = app.get("/manage/audit-log/export?kind=user.locked").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8; header=present"
    );
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let body = response.text().await.unwrap();
    let lines: Vec<&str> = body.split_terminator("\r\n").collect();
    assert_eq!(
        lines.len(),
        1 + 2_345,
        "the header and every lock, across batches"
    );
    assert!(lines[0].starts_with("\"Time (UTC)\",\"Time (UTC)\",\"Kind\",\"Event\",\"By\""));
    assert!(
        lines[1]
            .contains("\"'=cmd|' /C calc'!A0 was locked out after some failed sign-in attempts\""),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].contains(",\"'=cmd|' /C calc'!A0\",\"mallory@example.com\","),
        "{}",
        lines[1]
    );
    assert!(lines
        .iter()
        .skip(1)
        .all(|line| line.contains("\"User locked out\"")));

    let all = app
        .get("/manage/audit-log/export")
        .await
        .text()
        .await
        .unwrap();
    let total = app.count("audit_events").await as usize;
    assert_eq!(all.split_terminator("\r\n").count(), 1 + total);
}

#[tokio::test]
async fn only_the_owner_and_administrators_see_the_log() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let user = app.signed_in_as(Role::User).await;
    let page = app.get_as(&user, "/manage/audit-log").await;
    assert_eq!(page.status(), 403);
    let export = app.get_as(&user, "/manage/audit-log/export").await;
    assert_eq!(export.status(), StatusCode::FORBIDDEN);
    let signed_out = crate::helpers::plain_client();
    let export = signed_out
        .get(app.url("/manage/audit-log/export"))
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), StatusCode::UNAUTHORIZED);

    let admin = app.signed_in_as(Role::Administrator).await;
    let page = app.get_as(&admin, "/manage/audit-log").await;
    assert_eq!(page.status(), 200);
    // Another account's events are not theirs to see.
    let other = app.other_account_client().await;
    let theirs = app.call_as(&other, "/api/audit-log/list", &[]).await;
    let theirs: Value = theirs.json().await.unwrap();
    assert_eq!(theirs["entries"], serde_json::json!([]));
}

fn urlencode(text: &str) -> String {
    app::domain::query_value(text)
}
