//! The Users API (`/v2/users…`) with API keys: Help Scout's shapes, who
//! sees what, pagination a client can follow, and every bad credential or
//! parameter a clear 4xx in the vnd.error shape.

use reqwest::{header, StatusCode};
use serde_json::Value;
use sha2::Digest as _;
use uuid::Uuid;

use crate::helpers::{plain_client, TestApp};
use app::domain::Role;

async fn json(response: reqwest::Response) -> Value {
    response.json().await.unwrap()
}

async fn owner_key(app: &TestApp) -> String {
    let owner = app.id_of(Role::Owner).await;
    app.api_key_for(owner).await
}

/// Adds `count` users (User role) to the first account, straight in the database.
async fn add_users(app: &TestApp, count: usize) {
    add_users_from(app, 1, count).await;
}

/// Adds `count` users numbered from `first` (person<first>@example.com…).
async fn add_users_from(app: &TestApp, first: usize, count: usize) {
    let account_id = app.first_account_id().await;
    sqlx::query(
        "INSERT INTO users (account_id, name, email, role)
         SELECT $1, 'Person ' || n, 'person' || n || '@example.com', 'user'
         FROM generate_series($2, $2 + $3 - 1) n",
    )
    .bind(account_id)
    .bind(first as i32)
    .bind(count as i32)
    .execute(&app.pool)
    .await
    .unwrap();
}

fn assert_vnd_error(status: StatusCode, expected: StatusCode, content_type: &str, body: &Value) {
    assert_eq!(status, expected, "{body}");
    assert_eq!(content_type, "application/vnd.error+json");
    assert!(
        body["logRef"].as_str().is_some_and(|r| !r.is_empty()),
        "{body}"
    );
    assert!(body["message"].as_str().is_some(), "{body}");
}

async fn expect_error(response: reqwest::Response, expected: StatusCode) -> Value {
    let status = response.status();
    let content_type = response.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned();
    let body = json(response).await;
    assert_vnd_error(status, expected, &content_type, &body);
    body
}

#[tokio::test]
async fn a_key_made_in_api_keys_reads_the_users_api_as_its_owner() {
    let app = TestApp::spawn().await;
    let owner = app.set_up_owner().await;
    let created = app
        .call("/api/credentials/api-key/create", &[("user", "")])
        .await;
    assert_eq!(created.status(), 200);
    let shown: Value = app
        .call("/api/credentials/get", &[("user", "")])
        .await
        .json()
        .await
        .unwrap();
    let key = shown["api_key"]["new_key"].as_str().unwrap().to_owned();

    let me = app.api_get("/v2/users/me", &key).await;
    assert_eq!(me.status(), 200);
    assert_eq!(me.headers()[header::CONTENT_TYPE], "application/hal+json");
    let me = json(me).await;
    assert_eq!(me["email"], owner.email.as_str());
    assert_eq!(me["role"], "owner");
    assert_eq!(me["type"], "user");
    assert!(me["id"].is_i64(), "ids are numbers, as Help Scout's: {me}");
    assert_eq!(
        me["_links"]["self"]["href"],
        app.url(&format!("/v2/users/{}", me["id"]))
    );
    let created_at = me["createdAt"].as_str().unwrap();
    assert!(
        created_at.len() == 20 && created_at.ends_with('Z'),
        "{created_at}"
    );

    // HTTP Basic with the key as user name, and any password, works too.
    let basic = plain_client()
        .get(app.url("/v2/users/me"))
        .basic_auth(&key, Some("X"))
        .send()
        .await
        .unwrap();
    assert_eq!(json(basic).await["email"], owner.email.as_str());

    // Regenerating the key in the profile ends the old one at once.
    app.call("/api/credentials/api-key/create", &[("user", "")])
        .await;
    expect_error(
        app.api_get("/v2/users/me", &key).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

#[tokio::test]
async fn no_credential_or_a_bad_one_is_a_401_and_cookies_count_for_nothing() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let key = owner_key(&app).await;

    let none = plain_client()
        .get(app.url("/v2/users"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        none.headers()[header::WWW_AUTHENTICATE],
        "Bearer realm=\"Roster\""
    );
    expect_error(none, StatusCode::UNAUTHORIZED).await;
    // The Owner's signed-in browser session is no credential here.
    let with_cookie = app
        .client
        .get(app.url("/v2/users/me"))
        .send()
        .await
        .unwrap();
    expect_error(with_cookie, StatusCode::UNAUTHORIZED).await;
    // Never in the URL.
    let in_url = plain_client()
        .get(app.url(&format!("/v2/users/me?api_key={key}")))
        .send()
        .await
        .unwrap();
    expect_error(in_url, StatusCode::UNAUTHORIZED).await;
    let truncated = &key[..key.len() - 1];
    for bad in [
        truncated,
        "rk_",
        "garbage",
        "rk_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "rk_' OR 1=1 --aaaaaaaaaaaaaaaaaaaaaaaaaaa",
    ] {
        expect_error(
            app.api_get("/v2/users/me", bad).await,
            StatusCode::UNAUTHORIZED,
        )
        .await;
    }
    for header_value in ["Basic %%%", "Digest abc", "Bearer", "", "Basic cms6"] {
        let response = plain_client()
            .get(app.url("/v2/users/me"))
            .header(header::AUTHORIZATION, header_value)
            .send()
            .await
            .unwrap();
        expect_error(response, StatusCode::UNAUTHORIZED).await;
    }

    // A revoked key, and the key of a deleted or locked user, fail at once.
    app.signed_in_as(Role::User).await;
    let revoked = app.api_key_for(app.id_of(Role::User).await).await;
    assert_eq!(app.api_get("/v2/users/me", &revoked).await.status(), 200);
    sqlx::query("UPDATE api_keys SET revoked_at = now() WHERE key_hash = $1")
        .bind(sha2::Sha256::digest(revoked.as_bytes()).to_vec())
        .execute(&app.pool)
        .await
        .unwrap();
    expect_error(
        app.api_get("/v2/users/me", &revoked).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    app.signed_in_as(Role::Administrator).await;
    let admin = app.id_of(Role::Administrator).await;
    let admin_key = app.api_key_for(admin).await;
    assert_eq!(app.api_get("/v2/users", &admin_key).await.status(), 200);
    sqlx::query("UPDATE users SET locked_at = now() WHERE id = $1")
        .bind(admin)
        .execute(&app.pool)
        .await
        .unwrap();
    expect_error(
        app.api_get("/v2/users", &admin_key).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    sqlx::query("UPDATE users SET locked_at = NULL, deleted_at = now() WHERE id = $1")
        .bind(admin)
        .execute(&app.pool)
        .await
        .unwrap();
    expect_error(
        app.api_get("/v2/users", &admin_key).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    // The key still works for the Owner: nothing else changed.
    assert_eq!(app.api_get("/v2/users/me", &key).await.status(), 200);
}

#[tokio::test]
async fn a_client_following_next_gets_every_user_once() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    add_users(&app, 120).await;
    let key = owner_key(&app).await;

    let mut next = Some(app.url("/v2/users"));
    let mut seen = Vec::new();
    let mut pages = 0;
    while let Some(url) = next {
        let page = json(
            plain_client()
                .get(url)
                .bearer_auth(&key)
                .send()
                .await
                .unwrap(),
        )
        .await;
        pages += 1;
        assert_eq!(page["page"]["totalElements"], 121);
        assert_eq!(page["page"]["totalPages"], 3);
        assert_eq!(page["page"]["size"], 50);
        assert_eq!(page["page"]["number"], pages);
        for user in page["_embedded"]["users"].as_array().unwrap() {
            seen.push(user["id"].as_i64().unwrap());
        }
        next = page["_links"]["next"]["href"].as_str().map(str::to_owned);
    }
    assert_eq!(pages, 3);
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!((seen.len(), unique.len()), (121, 121));

    let last = json(app.api_get("/v2/users?page=3", &key).await).await;
    assert_eq!(last["_embedded"]["users"].as_array().unwrap().len(), 21);
    assert_eq!(last["_links"]["prev"]["href"], app.url("/v2/users?page=2"));
    assert!(last["_links"].get("next").is_none());
    let beyond = app.api_get("/v2/users?page=4", &key).await;
    assert_eq!(beyond.status(), 200);
    let beyond = json(beyond).await;
    assert_eq!(beyond["_embedded"]["users"], serde_json::json!([]));
    assert_eq!(beyond["page"]["totalElements"], 121, "still counted");

    // The back half of the list is read from its end: with 151 users the
    // pages still hold 50, 50, 50 and 1, in order, each user once.
    add_users_from(&app, 121, 30).await;
    let mut walked = Vec::new();
    for page in 1..=4 {
        let read = json(app.api_get(&format!("/v2/users?page={page}"), &key).await).await;
        assert_eq!(read["page"]["totalElements"], 151);
        let ids: Vec<i64> = read["_embedded"]["users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|user| user["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids.len(), if page < 4 { 50 } else { 1 }, "page {page}");
        walked.extend(ids);
    }
    let mut sorted = walked.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted, walked, "in order, each once");
    assert_eq!(walked.len(), 151);
}

#[tokio::test]
async fn filters_by_exact_email_and_by_mailbox() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    add_users(&app, 3).await;
    let key = owner_key(&app).await;

    let found = json(
        app.api_get("/v2/users?email=PERSON2@Example.com", &key)
            .await,
    )
    .await;
    let users = found["_embedded"]["users"].as_array().unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0]["email"], "person2@example.com");
    assert_eq!(users[0]["firstName"], "Person");
    assert_eq!(users[0]["lastName"], "2");
    assert_eq!(
        found["_links"]["self"]["href"],
        app.url("/v2/users?email=PERSON2%40example.com&page=1")
    );
    let none = json(
        app.api_get("/v2/users?email=nobody@example.com", &key)
            .await,
    )
    .await;
    assert_eq!(none["page"]["totalElements"], 0);

    // Users with access to the mailbox, and the Owner, who sees every one.
    let (inbox, number): (Uuid, i64) =
        sqlx::query_as("SELECT id, number FROM inboxes ORDER BY number LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    sqlx::query(
        "INSERT INTO user_inboxes (user_id, inbox_id) SELECT id, $1 FROM users WHERE email = 'person1@example.com'",
    )
    .bind(inbox)
    .execute(&app.pool)
    .await
    .unwrap();
    let in_mailbox = json(
        app.api_get(&format!("/v2/users?mailbox={number}"), &key)
            .await,
    )
    .await;
    let mut emails: Vec<&str> = in_mailbox["_embedded"]["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|user| user["email"].as_str().unwrap())
        .collect();
    emails.sort_unstable();
    assert_eq!(emails.len(), 2, "{emails:?}");
    assert!(emails.contains(&"person1@example.com"));
    let unknown = json(app.api_get("/v2/users?mailbox=999999", &key).await).await;
    assert_eq!(unknown["page"]["totalElements"], 0);
}

#[tokio::test]
async fn bad_parameters_are_a_400_naming_the_parameter() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let key = owner_key(&app).await;
    for (query, parameter) in [
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=x", "page"),
        ("page=99999999999999999999", "page"),
        ("email=not-an-address", "email"),
        ("email=a%00b@example.com", "email"),
        ("email='%20OR%201=1%20--", "email"),
        ("mailbox=abc", "mailbox"),
        ("mailbox=-5", "mailbox"),
    ] {
        let body = expect_error(
            app.api_get(&format!("/v2/users?{query}"), &key).await,
            StatusCode::BAD_REQUEST,
        )
        .await;
        assert_eq!(body["_embedded"]["errors"][0]["path"], parameter, "{query}");
    }
    for path in [
        "/v2/users/abc",
        "/v2/users/0",
        "/v2/users/-1",
        "/v2/users/99999999",
        "/v2/nothing",
    ] {
        expect_error(app.api_get(path, &key).await, StatusCode::NOT_FOUND).await;
    }
}

#[tokio::test]
async fn users_see_themselves_admins_see_their_account_and_nobody_another() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let owner_key = owner_key(&app).await;
    app.signed_in_as(Role::User).await;
    let user = app.id_of(Role::User).await;
    let user_key = app.api_key_for(user).await;

    let me = json(app.api_get("/v2/users/me", &user_key).await).await;
    assert_eq!(me["role"], "user");
    let own = app
        .api_get(&format!("/v2/users/{}", me["id"]), &user_key)
        .await;
    assert_eq!(own.status(), 200);
    expect_error(
        app.api_get("/v2/users", &user_key).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    let owner = json(app.api_get("/v2/users/me", &owner_key).await).await;
    expect_error(
        app.api_get(&format!("/v2/users/{}", owner["id"]), &user_key)
            .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    // The Owner reads the User by number.
    let read = json(
        app.api_get(&format!("/v2/users/{}", me["id"]), &owner_key)
            .await,
    )
    .await;
    assert_eq!(read["email"], me["email"]);

    // Another account's Owner finds none of this account's users.
    app.other_account_client().await;
    let other_owner: Uuid = sqlx::query_scalar(
        "SELECT u.id FROM users u JOIN accounts a ON a.id = u.account_id WHERE a.name = 'Other Co'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let other_key = app.api_key_for(other_owner).await;
    for id in [&me["id"], &owner["id"]] {
        expect_error(
            app.api_get(&format!("/v2/users/{id}"), &other_key).await,
            StatusCode::NOT_FOUND,
        )
        .await;
    }
    let theirs = json(app.api_get("/v2/users", &other_key).await).await;
    assert_eq!(theirs["page"]["totalElements"], 1);
}

#[tokio::test]
async fn mailboxes_are_the_inboxes_each_person_sees() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let owner_key = owner_key(&app).await;
    app.signed_in_as(Role::User).await;
    let user = app.id_of(Role::User).await;
    let user_key = app.api_key_for(user).await;

    let all = json(app.api_get("/v2/mailboxes", &owner_key).await).await;
    let mailboxes = all["_embedded"]["mailboxes"].as_array().unwrap();
    assert_eq!(mailboxes.len(), 3, "the starter inboxes: {all}");
    assert_eq!(all["page"]["totalElements"], 3);
    let first = &mailboxes[0];
    assert!(first["id"].is_i64() && first["slug"].as_str().unwrap().len() == 16);
    assert_eq!(first["name"], "Support");
    let id = first["id"].as_i64().unwrap();
    assert_eq!(
        first["_links"]["self"]["href"],
        app.url(&format!("/v2/mailboxes/{id}"))
    );
    let one = json(
        app.api_get(&format!("/v2/mailboxes/{id}"), &owner_key)
            .await,
    )
    .await;
    assert_eq!(one["email"], first["email"]);

    // A User sees only the inboxes they were given.
    let none = json(app.api_get("/v2/mailboxes", &user_key).await).await;
    assert_eq!(none["page"]["totalElements"], 0);
    expect_error(
        app.api_get(&format!("/v2/mailboxes/{id}"), &user_key).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    sqlx::query(
        "INSERT INTO user_inboxes (user_id, inbox_id) SELECT $1, id FROM inboxes WHERE number = $2",
    )
    .bind(user)
    .bind(id)
    .execute(&app.pool)
    .await
    .unwrap();
    let given = json(app.api_get("/v2/mailboxes", &user_key).await).await;
    assert_eq!(given["_embedded"]["mailboxes"][0]["id"], id);
    assert_eq!(
        app.api_get(&format!("/v2/mailboxes/{id}"), &user_key)
            .await
            .status(),
        200
    );
    for bad in ["/v2/mailboxes/x", "/v2/mailboxes/0", "/v2/mailboxes/999999"] {
        expect_error(app.api_get(bad, &owner_key).await, StatusCode::NOT_FOUND).await;
    }
    expect_error(
        app.api_get("/v2/mailboxes?page=0", &owner_key).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
}

/// Pages of the list are kept between changes (see `app::api::kept`): each
/// change a user resource shows, made straight in the database as any
/// server sharing it would, shows on the next request.
#[tokio::test]
async fn a_kept_page_shows_every_change_at_once() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    add_users(&app, 2).await;
    let key = owner_key(&app).await;
    let person = |list: &Value| -> Value {
        list["_embedded"]["users"]
            .as_array()
            .unwrap()
            .iter()
            .find(|user| user["email"] == "person1@example.com")
            .cloned()
            .unwrap_or(Value::Null)
    };
    let list = json(app.api_get("/v2/users", &key).await).await;
    assert_eq!(person(&list)["jobTitle"], "");
    let changes = [
        (
            "job_title = 'Support lead'",
            "jobTitle",
            Value::from("Support lead"),
        ),
        (
            "phone = '+44 20 7946 0000'",
            "phone",
            Value::from("+44 20 7946 0000"),
        ),
        (
            "timezone = 'Europe/Paris'",
            "timezone",
            Value::from("Europe/Paris"),
        ),
        (
            "alternate_emails = '{p1@elsewhere.com}'",
            "alternateEmails",
            serde_json::json!(["p1@elsewhere.com"]),
        ),
        ("name = 'Grace Hopper'", "lastName", Value::from("Hopper")),
        ("role = 'administrator'", "role", Value::from("admin")),
        (
            "updated_at = '2030-01-01T00:00:00Z'",
            "updatedAt",
            Value::from("2030-01-01T00:00:00Z"),
        ),
    ];
    for (set, field, shown) in changes {
        sqlx::query(&format!(
            "UPDATE users SET {set} WHERE email = 'person1@example.com'"
        ))
        .execute(&app.pool)
        .await
        .unwrap();
        let list = json(app.api_get("/v2/users", &key).await).await;
        assert_eq!(person(&list)[field], shown, "after SET {set}");
    }

    sqlx::query(
        "INSERT INTO user_photos (user_id, image, etag, updated_at)
         SELECT id, '\\x89'::bytea, 'e1', now() FROM users WHERE email = 'person1@example.com'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let list = json(app.api_get("/v2/users", &key).await).await;
    assert!(person(&list)["photoUrl"].is_string(), "{list}");

    sqlx::query("UPDATE users SET deleted_at = now() WHERE email = 'person1@example.com'")
        .execute(&app.pool)
        .await
        .unwrap();
    let list = json(app.api_get("/v2/users", &key).await).await;
    assert_eq!(person(&list), Value::Null);
    assert_eq!(list["page"]["totalElements"], 2, "the Owner and person2");
}
