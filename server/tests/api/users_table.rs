//! Manage > Users: search, sort, pages and the billing line.

use crate::helpers::TestApp;

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
            "121 users count toward monthly billing: $2420.00 per month ($20.00 per user)."
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
