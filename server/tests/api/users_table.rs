//! Manage > Users: search, sort, pages and the billing line.

use crate::helpers::TestApp;
use app::domain::Role;

async fn add_users(app: &TestApp, count: i32) {
    sqlx::query(
        "INSERT INTO users (account_id, name, email, role, password_hash)
         SELECT a.id, 'Person ' || lpad(n::text, 4, '0'), 'person' || n || '@example.com', 'user', 'x'
         FROM accounts a, generate_series(1, $1) AS n",
    )
    .bind(count)
    .execute(&app.pool)
    .await
    .unwrap();
}

async fn page(app: &TestApp, form: &[(&str, &str)]) -> serde_json::Value {
    let response = app.call("/api/users/list", form).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn names(page: &serde_json::Value) -> Vec<String> {
    page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn pages_of_fifty_with_the_billing_line() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    add_users(&app, 120).await;

    let first = page(&app, &[]).await;
    assert_eq!(first["matching"], 121);
    assert_eq!(first["page_count"], 3);
    assert_eq!(names(&first).len(), 50);
    assert_eq!(names(&first)[0], "Ada Lovelace");
    assert_eq!(first["billing"]["billable_users"], 121);
    assert_eq!(first["billing"]["price_per_user_cents"], 2000);

    let last = page(&app, &[("page", "3")]).await;
    assert_eq!(names(&last).len(), 21);
    assert_eq!(names(&last).last().unwrap(), "Person 0120");

    let html = app.get("/manage/users?page=2").await.text().await.unwrap();
    assert!(
        html.contains(
            "121 users count toward monthly billing: $2,420.00 per month ($20.00 per user)."
        ),
        "{html}"
    );
    assert!(html.contains("Page 2 of 3"));
}

#[tokio::test]
async fn search_matches_name_or_email_and_sorting_follows_the_column() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    add_users(&app, 30).await;

    let found = page(&app, &[("q", "PERSON 001")]).await;
    assert_eq!(
        names(&found),
        (10..=19)
            .map(|n| format!("Person {n:04}"))
            .collect::<Vec<_>>()
    );
    let by_email = page(&app, &[("q", "person7@")]).await;
    assert_eq!(names(&by_email), ["Person 0007"]);
    // Wildcards are searched for literally.
    assert_eq!(page(&app, &[("q", "%")]).await["matching"], 0);

    let descending = page(&app, &[("sort", "email"), ("dir", "desc")]).await;
    assert_eq!(
        names(&descending)[0],
        "Person 0009",
        "person9@ sorts last by email"
    );
    let by_role = page(&app, &[("sort", "role"), ("dir", "asc")]).await;
    assert_eq!(names(&by_role)[0], "Ada Lovelace", "owner sorts first");
    // A sort nobody offers falls back to names.
    let odd = page(&app, &[("sort", "password_hash"), ("page", "-4")]).await;
    assert_eq!(names(&odd)[0], "Ada Lovelace");
}

/// 120 users whose names, roles and last activity tie in groups, so that
/// every sort key has ties broken only by the id.
async fn add_tied_users(app: &TestApp) {
    sqlx::query(
        "INSERT INTO users (account_id, name, email, role, password_hash, last_active_at)
         SELECT a.id, 'Tied ' || (n % 3), 'tied' || n || '@example.com',
                (ARRAY['user', 'administrator'])[1 + n % 2], 'x',
                CASE WHEN n % 4 = 0 THEN NULL ELSE timestamptz '2026-11-01 09:00Z' END
         FROM accounts a, generate_series(1, 120) AS n",
    )
    .execute(&app.pool)
    .await
    .unwrap();
}

fn ids(page: &serde_json::Value) -> Vec<String> {
    page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn live_ids(app: &TestApp) -> std::collections::BTreeSet<String> {
    sqlx::query_scalar::<_, uuid::Uuid>("SELECT id FROM users WHERE deleted_at IS NULL")
        .fetch_all(&app.pool)
        .await
        .unwrap()
        .into_iter()
        .map(|id| id.to_string())
        .collect()
}

/// Follows Next from the first page to the last (as the page's links do:
/// after the last user shown), then Previous back to the first. Returns the
/// pages seen each way, in the order shown.
/// The page a Next (`after:ID`) or Previous (`before:ID`) link leads to.
async fn step(app: &TestApp, sort: &str, dir: &str, from: String) -> serde_json::Value {
    page(app, &[("sort", sort), ("dir", dir), ("from", &from)]).await
}

async fn walk(app: &TestApp, sort: &str, dir: &str) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    let first = page(app, &[("sort", sort), ("dir", dir)]).await;
    let page_count = first["page_count"].as_i64().unwrap() as usize;
    let mut forward = vec![ids(&first)];
    while forward.len() < page_count {
        let last = forward.last().unwrap().last().unwrap().clone();
        forward.push(ids(&step(app, sort, dir, format!("after:{last}")).await));
    }
    let mut backward = vec![forward.last().unwrap().clone()];
    while backward.len() < forward.len() {
        let first = backward.last().unwrap()[0].clone();
        backward.push(ids(&step(app, sort, dir, format!("before:{first}")).await));
    }
    backward.reverse();
    (forward, backward)
}

#[tokio::test]
async fn next_and_previous_show_everyone_once_in_every_sort_despite_ties() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    add_tied_users(&app).await;
    let everyone = live_ids(&app).await;
    assert_eq!(everyone.len(), 121);

    for sort in ["name", "email", "role", "last_active"] {
        for dir in ["asc", "desc"] {
            let (forward, backward) = walk(&app, sort, dir).await;
            let seen: Vec<String> = forward.concat();
            assert_eq!(seen.len(), 121, "{sort} {dir}: nobody twice");
            assert_eq!(
                seen.iter()
                    .cloned()
                    .collect::<std::collections::BTreeSet<_>>(),
                everyone,
                "{sort} {dir}: nobody skipped"
            );
            assert_eq!(
                backward, forward,
                "{sort} {dir}: Previous shows the pages Next showed"
            );
            assert_eq!(
                forward.iter().map(Vec::len).collect::<Vec<_>>(),
                [50, 50, 21]
            );
            // A page bookmarked by number (the last walked from the end) is
            // the page the walk showed.
            for (number, shown) in forward.iter().enumerate() {
                let number = (number + 1).to_string();
                let bookmarked =
                    page(&app, &[("sort", sort), ("dir", dir), ("page", &number)]).await;
                assert_eq!(&ids(&bookmarked), shown, "{sort} {dir} page {number}");
            }
        }
    }
}

#[tokio::test]
async fn a_walk_skips_and_repeats_nobody_while_users_are_added_and_deleted() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    add_tied_users(&app).await;
    let at_start = live_ids(&app).await;

    let first = ids(&page(&app, &[("sort", "name")]).await);
    let mut seen = first.clone();
    // Between page views: users join on both sides of where the walk is,
    // one not yet shown is deleted, and so is the last user shown (the one
    // the next page starts after).
    sqlx::query(
        "INSERT INTO users (account_id, name, email, role, password_hash)
         SELECT a.id, n, n || '@joined.example', 'user', 'x'
         FROM accounts a, unnest(ARRAY['Aaron Early', 'Zoe Late']) AS n",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let boundary = first.last().unwrap().clone();
    let unseen: String = sqlx::query_scalar(
        "SELECT id::text FROM users WHERE deleted_at IS NULL AND NOT (id::text = ANY($1))
         ORDER BY lower(name) DESC, id DESC LIMIT 1",
    )
    .bind(&first)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE users SET deleted_at = now() WHERE id::text = ANY($1)")
        .bind([boundary.clone(), unseen.clone()])
        .execute(&app.pool)
        .await
        .unwrap();

    let mut after = boundary;
    loop {
        let listed = page(
            &app,
            &[("sort", "name"), ("from", &format!("after:{after}"))],
        )
        .await;
        let shown = ids(&listed);
        if shown.is_empty() || shown.iter().any(|id| seen.contains(id)) {
            // Past the end the page falls back to its number: already seen.
            break;
        }
        after = shown.last().unwrap().clone();
        seen.extend(shown);
    }
    let unique: std::collections::BTreeSet<_> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "nobody shown twice");
    for id in &at_start {
        assert!(unique.contains(id) || *id == unseen, "{id} was skipped");
    }
    assert!(
        !unique.contains(&unseen),
        "a user deleted before their page was shown"
    );
}

#[tokio::test]
async fn the_page_links_walk_from_the_users_shown() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    add_tied_users(&app).await;
    let first = ids(&page(&app, &[]).await);
    let html = app.get("/manage/users").await.text().await.unwrap();
    let next = format!(
        "/manage/users?sort=name&amp;dir=asc&amp;page=2&amp;after={}",
        first.last().unwrap()
    );
    assert!(
        html.contains(&next),
        "Next starts after the last user shown: {html}"
    );

    let second = ids(&page(
        &app,
        &[("from", &format!("after:{}", first.last().unwrap()))],
    )
    .await);
    let path = format!(
        "/manage/users?sort=name&dir=asc&page=3&after={}",
        second.last().unwrap()
    );
    let html = app.get(&path).await.text().await.unwrap();
    assert!(html.contains("Page 3 of 3"), "{html}");
    let third = ids(&page(&app, &[("page", "3")]).await);
    let previous = format!(
        "/manage/users?sort=name&amp;dir=asc&amp;page=2&amp;before={}",
        third[0]
    );
    assert!(
        html.contains(&previous),
        "Previous ends before the first user shown: {html}"
    );
}

fn row<'a>(page: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("{name} is not on the page: {page}"))
}

async fn run(app: &TestApp, sql: &str) {
    sqlx::query(sql).execute(&app.pool).await.unwrap();
}

/// A page is kept between views, and every change it shows is seen on the
/// very next view: renames, locks, inboxes, invitations (and their expiry),
/// photos, the price, and who is looking.
#[tokio::test]
async fn a_kept_page_gives_way_to_every_change_it_shows() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    add_users(&app, 3).await;
    let admin = app.signed_in_as(Role::Administrator).await;
    let before = page(&app, &[]).await;
    assert!(row(&before, "Person 0001")["last_active_at"].is_null());

    // "Last active" alone is not part of the version: the kept page stands
    // (for at most half a minute).
    run(
        &app,
        "UPDATE users SET last_active_at = now() WHERE name = 'Person 0001'",
    )
    .await;
    let kept = page(&app, &[]).await;
    assert!(
        row(&kept, "Person 0001")["last_active_at"].is_null(),
        "the page was kept"
    );
    assert_ne!(
        kept["add_user"]["request_key"], before["add_user"]["request_key"],
        "every page gets its own Add User key"
    );

    let html = || async { app.get("/manage/users").await.text().await.unwrap() };
    assert!(html().await.contains(">Person 0001<"));
    assert!(
        html().await.contains(">Person 0001<"),
        "shown again from the kept page"
    );
    run(
        &app,
        "UPDATE users SET name = 'Renamed Person' WHERE name = 'Person 0001'",
    )
    .await;
    let shown = html().await;
    assert!(
        shown.contains(">Renamed Person<") && !shown.contains(">Person 0001<"),
        "the table's kept HTML gives way too: {shown}"
    );
    let renamed = page(&app, &[]).await;
    assert!(!row(&renamed, "Renamed Person")["last_active_at"].is_null());

    run(
        &app,
        "UPDATE users SET locked_at = now() WHERE name = 'Person 0002'",
    )
    .await;
    assert_eq!(
        row(&page(&app, &[]).await, "Person 0002")["status"],
        "Locked"
    );

    run(
        &app,
        "WITH inbox AS (INSERT INTO inboxes (account_id, name, email)
                        SELECT id, 'Escalations', 'escalations@example.com' FROM accounts RETURNING id)
         INSERT INTO user_inboxes (user_id, inbox_id)
         SELECT u.id, inbox.id FROM users u, inbox WHERE u.name = 'Person 0003'",
    )
    .await;
    let with_inbox = page(&app, &[]).await;
    assert_eq!(row(&with_inbox, "Person 0003")["inbox_count"], 1);
    assert!(
        with_inbox["add_user"]["inboxes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|inbox| inbox["name"] == "Escalations"),
        "Add User offers the new inbox"
    );

    let expires_at = app.clock.now() + chrono::TimeDelta::minutes(1);
    run(
        &app,
        "UPDATE users SET password_hash = NULL WHERE name = 'Person 0003'",
    )
    .await;
    sqlx::query(
        "INSERT INTO invitations (user_id, token_hash, created_at, expires_at, sent_to)
         SELECT id, sha256('kept-page'::bytea), $1, $2, email FROM users WHERE name = 'Person 0003'",
    )
    .bind(app.clock.now())
    .bind(expires_at)
    .execute(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        row(&page(&app, &[]).await, "Person 0003")["status"],
        "Invited"
    );
    // The invitation runs out while the page is kept: the status follows.
    app.clock.advance(chrono::TimeDelta::minutes(2));
    assert_eq!(
        row(&page(&app, &[]).await, "Person 0003")["status"],
        "InviteExpired"
    );

    run(
        &app,
        "INSERT INTO user_photos (user_id, image, etag, updated_at)
         SELECT id, '\\x00'::bytea, 'photo-1', now() FROM users WHERE name = 'Person 0002'",
    )
    .await;
    assert_eq!(
        row(&page(&app, &[]).await, "Person 0002")["photo"],
        "photo-1"
    );

    run(&app, "UPDATE accounts SET price_per_user_cents = 1500").await;
    assert_eq!(
        page(&app, &[]).await["billing"]["price_per_user_cents"],
        1500
    );

    // An Administrator looking at the page the Owner just saw: the Owner's
    // row is not theirs to manage.
    assert_eq!(
        row(&page(&app, &[]).await, "Ada Lovelace")["manageable"],
        true
    );
    let response = app.call_as(&admin, "/api/users/list", &[]).await;
    assert_eq!(response.status(), 200);
    let as_admin: serde_json::Value = response.json().await.unwrap();
    assert_eq!(row(&as_admin, "Ada Lovelace")["manageable"], false);
}

#[tokio::test]
async fn a_done_that_names_no_action_shows_no_notice_and_never_fails() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let owner: uuid::Uuid = sqlx::query_scalar("SELECT id FROM users")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let owner = owner.to_string();
    for done in ["\0", "x\0y", "nonsense", "deleted\u{202E}"] {
        let response = app
            .call("/api/users/list", &[("done", done), ("user", &owner)])
            .await;
        assert_eq!(response.status(), 200, "{done:?}");
        let page: serde_json::Value = response.json().await.unwrap();
        assert!(page["notice"].is_null(), "{done:?}");
    }
    for done in ["%00", "x%00y"] {
        let page = app
            .get(&format!("/manage/users?done={done}&user={owner}"))
            .await;
        assert_eq!(page.status(), 200, "{done}");
    }
    let page: serde_json::Value = app
        .call("/api/users/list", &[("done", "reset"), ("user", &owner)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        page["notice"],
        "We've emailed Ada Lovelace a link to reset their password."
    );
}

#[tokio::test]
async fn last_active_is_shown_in_the_viewers_zone_and_clock() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    sqlx::query("UPDATE users SET last_active_at = '2026-12-01T13:05:00Z'")
        .execute(&app.pool)
        .await
        .unwrap();
    let html = app.get("/manage/users").await.text().await.unwrap();
    assert!(html.contains("1 Dec 2026, 13:05 UTC"), "{html}");

    // Kept pages are per way of reading times: the next view is in Tokyo's.
    sqlx::query("UPDATE users SET timezone = 'Asia/Tokyo', time_format = '12h'")
        .execute(&app.pool)
        .await
        .unwrap();
    let html = app.get("/manage/users").await.text().await.unwrap();
    assert!(html.contains("1 Dec 2026, 10:05 PM JST"), "{html}");
}

/// The script nonce a page's policy allows, and every nonce its HTML carries.
fn nonces(response_csp: &str, html: &str) -> (String, Vec<String>) {
    let allowed = response_csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("the page's policy names a nonce")
        .to_owned();
    let carried = html
        .split("nonce=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect();
    (allowed, carried)
}

fn request_key(html: &str) -> String {
    html.split("name=\"request_key\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("Add User's form carries a request key")
        .to_owned()
}

/// Manage > Users seen again is sent from the kept view: each time with
/// the nonce of its own policy and a request key of its own, made for the
/// session looking, and given up when anything on it changes, including
/// what the page shows of the viewer (their name, their company's name).
#[tokio::test]
async fn views_asked_for_at_once_after_a_change_each_have_their_own_nonce_and_key() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    add_users(&app, 3).await;
    let path = "/manage/users?sort=email";
    assert_eq!(app.get_as(&app.client, path).await.status(), 200);
    // A change: the kept page and view give way, and the views asked for
    // at once are served by one reading and rendering (the others wait).
    run(
        &app,
        "UPDATE users SET name = 'Person Changed' WHERE name = 'Person 0002'",
    )
    .await;
    let views = futures_util::future::join_all((0..12).map(|_| async {
        let response = app.get_as(&app.client, path).await;
        assert_eq!(response.status(), 200);
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        (csp, response.text().await.unwrap())
    }))
    .await;
    let mut seen_nonces = Vec::new();
    let mut seen_keys = Vec::new();
    let mut first = None;
    for (csp, html) in views {
        let (allowed, carried) = nonces(&csp, &html);
        assert!(!carried.is_empty() && carried.iter().all(|n| *n == allowed));
        assert!(
            html.contains("Person Changed"),
            "a view from before the change"
        );
        let key = request_key(&html);
        let same = html.replace(&allowed, "NONCE").replace(&key, "KEY");
        assert_eq!(*first.get_or_insert_with(|| same.clone()), same);
        seen_nonces.push(allowed);
        seen_keys.push(key);
    }
    seen_nonces.sort();
    seen_nonces.dedup();
    seen_keys.sort();
    seen_keys.dedup();
    assert_eq!(seen_nonces.len(), 12, "a nonce for every response");
    assert_eq!(seen_keys.len(), 12, "an Add User key for every view");
}

#[tokio::test]
async fn a_kept_view_has_its_own_nonce_and_key_and_gives_way_to_changes() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    add_users(&app, 3).await;
    let view = |client: reqwest::Client, path: &'static str| {
        let app = &app;
        async move {
            let response = app.get_as(&client, path).await;
            assert_eq!(response.status(), 200);
            let csp = response.headers()["content-security-policy"]
                .to_str()
                .unwrap()
                .to_owned();
            (csp, response.text().await.unwrap())
        }
    };

    let mut seen_nonces = Vec::new();
    let mut seen_keys = Vec::new();
    let mut first = None;
    for _ in 0..3 {
        let (csp, html) = view(app.client.clone(), "/manage/users?sort=email").await;
        let (allowed, carried) = nonces(&csp, &html);
        assert!(!carried.is_empty() && carried.iter().all(|n| *n == allowed));
        let key = request_key(&html);
        // Apart from its nonce and key, the page is the same each time.
        let same = html.replace(&allowed, "NONCE").replace(&key, "KEY");
        assert_eq!(*first.get_or_insert_with(|| same.clone()), same);
        seen_nonces.push(allowed);
        seen_keys.push(key);
    }
    seen_nonces.dedup();
    seen_keys.dedup();
    assert_eq!(seen_nonces.len(), 3, "a nonce for every response");
    assert_eq!(seen_keys.len(), 3, "an Add User key for every view");

    // Another person at the same address sees their own top bar.
    let email_of = |role: Role| {
        let app = &app;
        async move {
            let email: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
                .bind(app.id_of(role).await)
                .fetch_one(&app.pool)
                .await
                .unwrap();
            // Where the top bar's menu says who is signed in.
            format!("<p class=\"muted\">{email}")
        }
    };
    let admin = app.signed_in_as(Role::Administrator).await;
    let (_, as_admin) = view(admin, "/manage/users?sort=email").await;
    assert!(as_admin.contains(&email_of(Role::Administrator).await));
    assert!(!as_admin.contains(&email_of(Role::Owner).await));
    let (_, as_owner) = view(app.client.clone(), "/manage/users?sort=email").await;
    assert!(
        as_owner.contains(&email_of(Role::Owner).await),
        "the Owner's view is still theirs"
    );

    // The company's name is in the top bar, not in the users' version.
    run(&app, "UPDATE accounts SET name = 'Renamed Company'").await;
    let (_, renamed) = view(app.client.clone(), "/manage/users?sort=email").await;
    assert!(renamed.contains("Renamed Company"), "{renamed}");

    // A change to a user on the page shows at once.
    run(
        &app,
        "UPDATE users SET email = 'zz-moved@example.com' WHERE name = 'Person 0002'",
    )
    .await;
    let (_, changed) = view(app.client.clone(), "/manage/users?sort=email").await;
    assert!(changed.contains("zz-moved@example.com"));
}
