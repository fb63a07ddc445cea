//! Invite from CSV: a file is checked row by row in Add User's words, and
//! Create makes every good row (each with their invite) once; files that
//! cannot be read are refused plainly, creating nobody.

use reqwest::multipart::{Form, Part};

use crate::helpers::{emails_to, TestApp};
use app::domain::Role;

const PAGE: &str = "/manage/users/invite-from-csv";

async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    bytes: Vec<u8>,
    html: bool,
) -> reqwest::Response {
    let form = Form::new().part("file", Part::bytes(bytes).file_name("people.csv"));
    client
        .post(app.url("/api/users/invite-from-csv/check"))
        .header("origin", &app.address)
        .header(
            "accept",
            if html {
                "text/html"
            } else {
                "application/json"
            },
        )
        .header("referer", app.url(PAGE))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// Uploads `csv` and returns the id of the kept file.
async fn checked_file(app: &TestApp, csv: &str) -> String {
    let response = upload(app, &app.client, csv.as_bytes().to_vec(), true).await;
    assert_eq!(response.status(), 302, "{}", response.text().await.unwrap());
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    location
        .strip_prefix(&format!("{PAGE}?file="))
        .unwrap_or_else(|| panic!("{location}"))
        .to_owned()
}

/// The file `id` as its page shows it.
async fn file_view(app: &TestApp, id: &str) -> serde_json::Value {
    app.call("/api/users/invite-from-csv/get", &[("file", id)])
        .await
        .json()
        .await
        .unwrap()
}

async fn live_users(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM users WHERE deleted_at IS NULL")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_file_is_checked_then_its_good_rows_are_created_with_invites_once() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    assert_eq!(
        app.add_user("Grace Hopper", "grace@example.com", Role::User)
            .await
            .status(),
        200
    );
    let csv = "\u{feff}Name;Email;Role;Inboxes\r\n\
        Ada Lovelace;ada@example.com;Administrator;\"Support, sales\"\r\n\
        Grace Again;GRACE@example.com;User;\r\n\
        Kay;kay@example.com;;\r\n\
        Kay Twice;Kay@Example.com;user;\r\n\
        The Boss;boss@example.com;Owner;\r\n\
        Light;light@example.com;Light User;\r\n\
        Shipping;ship@example.com;User;Returns\r\n\
        \"=HYPERLINK(\"\"http://evil.example\"\")\";formula@example.com;;\r\n\
        Linus Torvalds;linus@example.com;;Billing\r\n";
    let before = live_users(&app).await;
    let id = checked_file(&app, csv).await;
    assert_eq!(live_users(&app).await, before, "a check creates nobody");

    let file = file_view(&app, &id).await;
    let rows = file["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 9);
    let problems = |line: u64| -> String {
        let row = rows.iter().find(|row| row["line"] == line).unwrap();
        row["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect::<Vec<_>>()
            .join(" | ")
    };
    assert_eq!(problems(2), "");
    assert_eq!(
        problems(3),
        "Email: A user with this email address already exists."
    );
    assert_eq!(
        problems(4),
        "Email: This email address is also on line 5 of the file."
    );
    assert_eq!(
        problems(5),
        "Email: This email address is also on line 4 of the file."
    );
    assert!(problems(6).starts_with("Role: The Account Owner can't be invited"));
    assert_eq!(
        problems(7),
        "Role: Light Users are available on the Plus and Pro plans."
    );
    assert_eq!(problems(8), "Inboxes: There is no inbox called “Returns”.");
    assert_eq!(
        problems(9),
        "",
        "a name that looks like a formula is only a name"
    );
    assert_eq!(problems(10), "");
    assert_eq!(file["ready"], 3);
    assert!(file["finished"].is_null());

    // The page, with and without a file.
    let page = app.get(&format!("{PAGE}?file={id}")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("3 of 9 rows are ready to invite."));
    assert!(html.contains("Create 3 users"));
    assert!(html.contains("There is no inbox called “Returns”."));
    assert_eq!(app.get(PAGE).await.status(), 200);

    let created_events = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM audit_events WHERE action = 'user.created'",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap()
    };
    let events_before = created_events().await;
    // Create, twice: the second press finds the file finished.
    for _ in 0..2 {
        let created = app
            .call("/api/users/invite-from-csv/create", &[("file", &id)])
            .await;
        assert_eq!(created.status(), 200, "{}", created.text().await.unwrap());
    }
    assert_eq!(live_users(&app).await, before + 3);
    let ada: (String, i64) = sqlx::query_as(
        "SELECT u.role, (SELECT count(*) FROM user_inboxes ui WHERE ui.user_id = u.id)
         FROM users u WHERE email = 'ada@example.com'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(ada, ("administrator".to_owned(), 2));
    let invited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM invitations i JOIN users u ON u.id = i.user_id
         WHERE u.email IN ('ada@example.com', 'linus@example.com', 'formula@example.com')",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(invited, 3);
    let mail = emails_to("linus@example.com", 1).await;
    assert!(mail[0].subject.contains("invited you"));
    assert_eq!(
        created_events().await,
        events_before + 3,
        "each user's creation is audited"
    );

    let file = file_view(&app, &id).await;
    assert_eq!(file["finished"]["created"], 3);
    assert_eq!(file["finished"]["left_out"], 6);
    let html = app
        .get(&format!("{PAGE}?file={id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Created 3 users and sent their invite emails"));
    assert!(!html.contains("Create 3 users"), "no second Create");
}

#[tokio::test]
async fn unreadable_files_are_refused_plainly_and_create_nobody() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let before = live_users(&app).await;
    let mut ten_thousand = String::from("name,email\n");
    for i in 0..10_001 {
        ten_thousand.push_str(&format!("P{i},p{i}@example.com\n"));
    }
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (Vec::new(), "The file is empty."),
        (b"\n\n".to_vec(), "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(), "not a CSV file"),
        (
            b"name,email\nJos\xe9,jose@example.com\nZo\xc3\xab,zoe@example.com\n".to_vec(),
            "not a CSV file",
        ),
        (
            b"name,email,salary\nAda,ada@example.com,1\n".to_vec(),
            "“salary” is not one of them",
        ),
        (ten_thousand.into_bytes(), "at most 1,000 people"),
    ];
    for (bytes, expected) in cases {
        let response = upload(&app, &app.client, bytes, false).await;
        assert_eq!(response.status(), 422);
        let body = response.text().await.unwrap();
        assert!(body.contains(expected), "{expected}: {body}");
    }

    // 10 MB: refused before it is read; a browser without JavaScript is
    // sent back to the page with the reason next to the field.
    let response = upload(&app, &app.client, vec![b'a'; 10 * 1024 * 1024], true).await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let page = app.get(&location).await;
    assert_eq!(page.status(), 422);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("A CSV file can be at most 1 MB."));
    assert_eq!(app.count("csv_invites").await, 0);
    assert_eq!(live_users(&app).await, before);

    // Garbage ids: not found, never a 5xx.
    for file in [
        "x",
        "00000000-0000-0000-0000-000000000000",
        "'; DROP TABLE users; --",
    ] {
        for path in [
            "/api/users/invite-from-csv/get",
            "/api/users/invite-from-csv/create",
        ] {
            let response = app.call(path, &[("file", file)]).await;
            assert_eq!(response.status(), 404, "{path} {file}");
        }
    }
}

#[tokio::test]
async fn only_who_uploaded_a_file_sees_or_creates_it() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let id = checked_file(&app, "name,email\nAda Lovelace,ada@example.com\n").await;
    let admin = app.signed_in_as(Role::Administrator).await;
    for path in [
        "/api/users/invite-from-csv/get",
        "/api/users/invite-from-csv/create",
    ] {
        let response = app.call_as(&admin, path, &[("file", &id)]).await;
        assert_eq!(response.status(), 404, "{path}");
    }
    let user = app.signed_in_as(Role::User).await;
    let refused = upload(
        &app,
        &user,
        b"name,email\nKay,kay@example.com\n".to_vec(),
        false,
    )
    .await;
    assert_eq!(refused.status(), 403);
    assert_eq!(app.count("csv_invites").await, 1);
    let template = app.get("/manage/users/invite-from-csv/template.csv").await;
    assert_eq!(template.status(), 200);
    assert_eq!(
        template.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert!(template
        .text()
        .await
        .unwrap()
        .starts_with("name,email,role,inboxes\r\n"));
}
