//! SCIM's writes to users: POST, PUT, PATCH and DELETE, each through
//! Roster's own rules (invitations, deactivation, deletion), with ETags,
//! searches, attribute lists, and SCIM's 4xx for every bad request, after
//! which nothing has changed.

use reqwest::{header, Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::{
    helpers::{emails_to, plain_client, unique_email, TestApp},
    scim::{assert_scim_error, scim_token},
};
use app::domain::Role;

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

struct Scim<'a> {
    app: &'a TestApp,
    token: String,
}

struct Answer {
    status: StatusCode,
    headers: header::HeaderMap,
    body: Value,
}

impl Scim<'_> {
    async fn new(app: &TestApp) -> Scim<'_> {
        app.set_up_owner().await;
        let token = scim_token(app, app.first_account_id().await).await;
        Scim { app, token }
    }

    async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Answer {
        self.send_with(method, path, body, None).await
    }

    async fn send_with(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        if_match: Option<&str>,
    ) -> Answer {
        let mut request = plain_client()
            .request(method, self.app.url(&format!("/scim/v2{path}")))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request
                .header(header::CONTENT_TYPE, "application/scim+json")
                .body(body.to_string());
        }
        if let Some(tag) = if_match {
            request = request.header(header::IF_MATCH, tag);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            assert_eq!(
                headers[header::CONTENT_TYPE],
                "application/scim+json",
                "{path}"
            );
            serde_json::from_str(&text).unwrap()
        };
        Answer {
            status,
            headers,
            body,
        }
    }

    async fn create(&self, user: Value) -> Answer {
        self.send(Method::POST, "/Users", Some(user)).await
    }

    async fn patch(&self, id: &str, operations: Value) -> Answer {
        self.send(
            Method::PATCH,
            &format!("/Users/{id}"),
            Some(json!({ "schemas": [PATCH_OP], "Operations": operations })),
        )
        .await
    }
}

fn new_user(email: &str) -> Value {
    json!({
        "schemas": [USER],
        "userName": email,
        "externalId": "00u-ada",
        "name": { "givenName": "Ada", "familyName": "Lovelace" },
        "emails": [{ "value": email, "type": "work", "primary": true }],
    })
}

async fn roster_row(app: &TestApp, id: &str) -> (String, String, String, bool, bool) {
    sqlx::query_as(
        "SELECT name, email, role::text, deactivated_at IS NULL, deleted_at IS NULL FROM users WHERE id = $1::uuid",
    )
    .bind(id)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn an_identity_provider_creates_a_user_who_is_invited() {
    let app = TestApp::spawn().await;
    let scim = Scim::new(&app).await;
    let email = unique_email("ada");
    let created = scim.create(new_user(&email)).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    let location = app.url(&format!("/scim/v2/Users/{id}"));
    assert_eq!(created.headers[header::LOCATION], location.as_str());
    assert_eq!(created.body["meta"]["location"], location);
    assert_eq!(
        created.headers[header::ETAG].to_str().unwrap(),
        created.body["meta"]["version"]
    );
    // Given back exactly as written: nothing added, nothing normalised.
    assert_eq!(created.body["userName"], email);
    assert_eq!(created.body["name"], new_user(&email)["name"]);
    assert_eq!(created.body["emails"], new_user(&email)["emails"]);
    assert_eq!(created.body["externalId"], "00u-ada");
    assert!(created.body.get("displayName").is_none());
    assert!(created.body.get("active").is_none(), "unassigned");
    // In Roster: a User named from the given parts, invited by email.
    let (name, stored, role, active, _) = roster_row(&app, &id).await;
    assert_eq!(
        (name.as_str(), stored.as_str(), role.as_str(), active),
        ("Ada Lovelace", email.as_str(), "user", true)
    );
    let invitation = emails_to(&email, 1).await;
    assert_eq!(invitation.len(), 1, "the invite email");
    let audit: Value = sqlx::query_scalar(
        "SELECT details FROM audit_events WHERE action = 'user.created' AND target_user_id = $1::uuid",
    )
    .bind(&id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(audit["via"], "scim");

    // The same address, in any case, or the same userName: 409 uniqueness.
    for again in [
        new_user(&email.to_uppercase()),
        json!({ "schemas": [USER], "userName": email.to_uppercase(), "emails": [{ "value": unique_email("b") }] }),
    ] {
        let taken = scim.create(again).await;
        assert_eq!(taken.status, 409, "{}", taken.body);
        assert_scim_error(&taken.body, "409", Some("uniqueness"));
    }
    // Created inactive: deactivated at once, and not invited.
    let quiet = unique_email("quiet");
    let mut inactive = new_user(&quiet);
    inactive["active"] = false.into();
    inactive["externalId"] = "00u-quiet".into();
    let created = scim.create(inactive).await;
    assert_eq!(created.status, 201);
    assert_eq!(created.body["active"], false);
    let (_, _, _, active, _) = roster_row(&app, created.body["id"].as_str().unwrap()).await;
    assert!(!active);
    // A userName that is not an address, and no emails: nobody to email.
    let nameless = scim
        .create(json!({ "schemas": [USER], "userName": Uuid::new_v4().to_string() }))
        .await;
    assert_eq!(nameless.status, 400);
    assert_scim_error(&nameless.body, "400", Some("invalidValue"));
    assert!(
        emails_to(&quiet, 1).await.is_empty(),
        "no invite when inactive"
    );
}

#[tokio::test]
async fn patch_deactivates_and_reactivates_as_the_pages_do() {
    let app = TestApp::spawn().await;
    let scim = Scim::new(&app).await;
    let person = app.signed_in_browser(Role::User).await;
    let id = app.id_of(Role::User).await.to_string();
    assert_eq!(
        app.get_as(&person, "/manage/users").await.status(),
        403,
        "signed in, not a manager"
    );

    // Microsoft Entra ID's way: replace with a path.
    let off = scim
        .patch(
            &id,
            json!([{ "op": "Replace", "path": "active", "value": false }]),
        )
        .await;
    assert_eq!(off.status, 200, "{}", off.body);
    assert_eq!(off.body["active"], false);
    assert_eq!(
        off.body["userName"],
        roster_row(&app, &id).await.1,
        "the whole user"
    );
    let (_, _, _, active, _) = roster_row(&app, &id).await;
    assert!(!active);
    let signed_out = app.get_as(&person, "/manage/users").await;
    assert_ne!(
        signed_out.status(),
        403,
        "their session ended: sent to sign in"
    );
    let events: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'user.deactivated' AND target_user_id = $1::uuid",
    )
    .bind(&id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(events, 1);

    // Okta's way: replace without a path.
    let on = scim
        .patch(
            &id,
            json!([{ "op": "replace", "value": { "active": true } }]),
        )
        .await;
    assert_eq!(on.status, 200);
    assert_eq!(on.body["active"], true);
    assert!(roster_row(&app, &id).await.3);

    // The Owner, who made the token, is never deactivated.
    let owner = app.id_of(Role::Owner).await.to_string();
    let refused = scim
        .patch(
            &owner,
            json!([{ "op": "replace", "path": "active", "value": false }]),
        )
        .await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(roster_row(&app, &owner).await.3);
}

#[tokio::test]
async fn put_and_patch_change_what_roster_shows_and_if_match_guards_them() {
    let app = TestApp::spawn().await;
    let scim = Scim::new(&app).await;
    let email = unique_email("grace");
    let created = scim.create(new_user(&email)).await;
    let id = created.body["id"].as_str().unwrap().to_owned();
    let first_tag = created.headers[header::ETAG].to_str().unwrap().to_owned();

    let new_email = unique_email("grace.hopper");
    let replacement = json!({
        "schemas": [USER],
        "id": id,
        "meta": { "resourceType": "User" },
        "userName": "ghopper",
        "displayName": "Grace Hopper",
        "emails": [{ "value": new_email, "type": "home", "primary": false }],
        "active": true,
    });
    let put = scim
        .send_with(
            Method::PUT,
            &format!("/Users/{id}"),
            Some(replacement.clone()),
            Some(&first_tag),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.body);
    assert_eq!(put.body["userName"], "ghopper");
    assert_eq!(put.body["emails"], replacement["emails"]);
    assert!(
        put.body.get("name").is_none(),
        "replaced: name was not given"
    );
    assert!(put.body.get("externalId").is_none());
    let (name, stored, _, _, _) = roster_row(&app, &id).await;
    assert_eq!(
        (name.as_str(), stored.as_str()),
        ("Grace Hopper", new_email.as_str())
    );
    let second_tag = put.headers[header::ETAG].to_str().unwrap().to_owned();
    assert_ne!(first_tag, second_tag);
    // The old address is told; the open invitation went to the new one.
    let told = emails_to(&email, 2).await;
    assert_eq!(told.len(), 2, "the invite, then the change");
    assert_eq!(emails_to(&new_email, 1).await.len(), 1);

    // A stale version changes nothing: 412.
    let stale = scim
        .send_with(
            Method::PATCH,
            &format!("/Users/{id}"),
            Some(json!({ "schemas": [PATCH_OP], "Operations": [{ "op": "replace", "path": "displayName", "value": "G" }] })),
            Some(&first_tag),
        )
        .await;
    assert_eq!(stale.status, 412);
    assert_scim_error(&stale.body, "412", None);
    assert_eq!(roster_row(&app, &id).await.0, "Grace Hopper");

    // Renamed in Roster: SCIM shows Roster's name from then on.
    sqlx::query("UPDATE users SET name = 'Amazing Grace' WHERE id = $1::uuid")
        .bind(&id)
        .execute(&app.pool)
        .await
        .unwrap();
    let read = scim.send(Method::GET, &format!("/Users/{id}"), None).await;
    assert_eq!(read.body["displayName"], "Amazing Grace");
    assert_ne!(
        read.headers[header::ETAG].to_str().unwrap(),
        second_tag,
        "the name changed the version"
    );

    // PATCH paths Entra sends for addresses.
    let patched = scim
        .patch(
            &id,
            json!([
                { "op": "add", "path": "emails[type eq \"work\"].value", "value": email },
                { "op": "replace", "path": "name.familyName", "value": "Hopper" },
                { "op": "remove", "path": "emails[type eq \"home\"]" },
            ]),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.body);
    assert_eq!(
        patched.body["emails"],
        json!([{ "type": "work", "value": email }])
    );
    assert_eq!(roster_row(&app, &id).await.1, email);

    // The Owner's profile is the Owner's: this token's maker is the Owner,
    // so it may; a token an Administrator made may not.
    let owner = app.id_of(Role::Owner).await.to_string();
    let renamed = scim
        .patch(
            &owner,
            json!([{ "op": "replace", "path": "displayName", "value": "The Owner" }]),
        )
        .await;
    assert_eq!(renamed.status, 200);
}

#[tokio::test]
async fn delete_is_roster_deletion_with_its_reason() {
    let app = TestApp::spawn().await;
    let scim = Scim::new(&app).await;
    let created = scim.create(new_user(&unique_email("linus"))).await;
    let id = created.body["id"].as_str().unwrap().to_owned();
    let gone = scim
        .send(Method::DELETE, &format!("/Users/{id}"), None)
        .await;
    assert_eq!(gone.status, 204);
    assert_eq!(gone.body, Value::Null);
    assert!(!roster_row(&app, &id).await.4, "deleted");
    let (reason, reassign_to): (String, Option<Uuid>) =
        sqlx::query_as("SELECT reason, reassign_to FROM user_deletions WHERE user_id = $1::uuid")
            .bind(&id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        (reason.as_str(), reassign_to),
        ("Deprovisioned by SCIM", None)
    );
    let again = scim.send(Method::GET, &format!("/Users/{id}"), None).await;
    assert_eq!(again.status, 404);
    assert_scim_error(&again.body, "404", None);
    let twice = scim
        .send(Method::DELETE, &format!("/Users/{id}"), None)
        .await;
    assert_eq!(twice.status, 404);
    // Never the Owner.
    let owner = app.id_of(Role::Owner).await.to_string();
    let refused = scim
        .send(Method::DELETE, &format!("/Users/{owner}"), None)
        .await;
    assert_eq!(refused.status, 409);
    assert!(roster_row(&app, &owner).await.4);
}

#[tokio::test]
async fn bad_requests_are_scim_errors_and_change_nothing() {
    let app = TestApp::spawn().await;
    let scim = Scim::new(&app).await;
    let created = scim.create(new_user(&unique_email("kept"))).await;
    let id = created.body["id"].as_str().unwrap().to_owned();
    let before = scim
        .send(Method::GET, &format!("/Users/{id}"), None)
        .await
        .body;
    let users = app.count("users").await;
    let email = unique_email("bad");
    let with = |change: Value| {
        let mut user = new_user(&email);
        user.as_object_mut()
            .unwrap()
            .extend(change.as_object().unwrap().clone());
        user
    };
    let bodies = [
        (json!({ "userName": email }), "invalidSyntax"),
        (
            with(
                json!({ "schemas": ["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] }),
            ),
            "invalidSyntax",
        ),
        (with(json!({ "title": "CEO" })), "invalidSyntax"),
        (with(json!({ "userName": 42 })), "invalidValue"),
        (with(json!({ "active": "false" })), "invalidValue"),
        (
            with(json!({ "displayName": "x".repeat(5000) })),
            "invalidValue",
        ),
        (with(json!({ "displayName": "Ada\u{7}" })), "invalidValue"),
        (with(json!({ "id": Uuid::new_v4() })), "mutability"),
        (
            with(json!({ "meta": { "created": "2020-01-01T00:00:00Z" } })),
            "mutability",
        ),
        (
            with(json!({ "emails": [{ "value": email }, { "value": email.to_uppercase() }] })),
            "invalidValue",
        ),
        (
            with(json!({ "emails": [{ "value": "nobody" }] })),
            "invalidValue",
        ),
        (json!([1, 2]), "invalidSyntax"),
    ];
    for (body, scim_type) in bodies {
        let answer = scim.create(body.clone()).await;
        assert_eq!(answer.status, 400, "{body}: {}", answer.body);
        assert_scim_error(&answer.body, "400", Some(scim_type));
    }
    for (operations, scim_type) in [
        (
            json!([{ "op": "replace", "path": "id", "value": "x" }]),
            "mutability",
        ),
        (
            json!([{ "op": "replace", "path": "meta.lastModified", "value": "x" }]),
            "mutability",
        ),
        (
            json!([{ "op": "replace", "path": "emails[type eq", "value": "x" }]),
            "invalidPath",
        ),
        (
            json!([{ "op": "replace", "path": "nickName", "value": "x" }]),
            "invalidPath",
        ),
        (json!([{ "op": "remove" }]), "noTarget"),
        (
            json!([{ "op": "remove", "path": "emails[type eq \"fax\"]" }]),
            "noTarget",
        ),
        (
            json!([{ "op": "replace", "path": "displayName", "value": "Fine" }, { "op": "replace", "path": "active", "value": 1 }]),
            "invalidValue",
        ),
    ] {
        let answer = scim.patch(&id, operations.clone()).await;
        assert_eq!(answer.status, 400, "{operations}: {}", answer.body);
        assert_scim_error(&answer.body, "400", Some(scim_type));
    }
    let raw = plain_client()
        .post(app.url("/scim/v2/Users"))
        .bearer_auth(&scim.token)
        .header(header::CONTENT_TYPE, "application/scim+json")
        .body("{\"schemas\": [")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    let huge = plain_client()
        .post(app.url("/scim/v2/Users"))
        .bearer_auth(&scim.token)
        .body(format!("{{\"userName\": \"{}\"}}", "a".repeat(100_000)))
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), 413);
    // Nothing saved, the kept user as they were (the first PATCH of the
    // last pair applied nothing).
    assert_eq!(app.count("users").await, users);
    let after = scim
        .send(Method::GET, &format!("/Users/{id}"), None)
        .await
        .body;
    assert_eq!(after, before);
}

#[tokio::test]
async fn searches_and_attribute_lists_shape_the_answer() {
    let app = TestApp::spawn().await;
    let scim = Scim::new(&app).await;
    let email = unique_email("search");
    let created = scim.create(new_user(&email)).await;
    let id = created.body["id"].as_str().unwrap();
    for path in ["/.search", "/Users/.search"] {
        let found = scim
            .send(
                Method::POST,
                path,
                Some(json!({
                    "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                    "filter": format!("userName eq \"{}\"", email.to_uppercase()),
                    "attributes": ["externalId", "name.givenName"],
                })),
            )
            .await;
        assert_eq!(found.status, 200, "{path}: {}", found.body);
        assert_eq!(found.body["totalResults"], 1);
        assert_eq!(
            found.body["Resources"][0],
            json!({ "schemas": [USER], "id": id, "externalId": "00u-ada", "name": { "givenName": "Ada" } })
        );
    }
    let trimmed = scim
        .send(
            Method::GET,
            &format!("/Users/{id}?excludedAttributes=emails,meta,id"),
            None,
        )
        .await;
    assert_eq!(trimmed.body["id"], id, "id is always returned");
    assert!(trimmed.body.get("emails").is_none() && trimmed.body.get("meta").is_none());
    let listed = scim
        .send(Method::GET, "/Users?attributes=userName", None)
        .await;
    assert!(listed.body["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .all(|user| user.as_object().unwrap().len() == 3));
}

#[tokio::test]
async fn a_token_acts_only_while_its_maker_manages_users() {
    let app = TestApp::spawn().await;
    let scim = Scim::new(&app).await;
    let _admin = app.signed_in_as(Role::Administrator).await;
    sqlx::query(
        "UPDATE scim_tokens SET created_by = (SELECT id FROM users WHERE role = 'administrator')",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    assert_eq!(scim.send(Method::GET, "/Users", None).await.status, 200);
    // An Administrator's token does not change the Owner.
    let owner = app.id_of(Role::Owner).await.to_string();
    let refused = scim
        .patch(
            &owner,
            json!([{ "op": "replace", "path": "displayName", "value": "Mallory" }]),
        )
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    sqlx::query("UPDATE users SET role = 'user' WHERE role = 'administrator'")
        .execute(&app.pool)
        .await
        .unwrap();
    let demoted = scim.send(Method::GET, "/Users", None).await;
    assert_eq!(demoted.status, 401);
    assert_scim_error(&demoted.body, "401", None);
}

#[tokio::test]
async fn scim_requests_count_against_the_accounts_minute() {
    let app = TestApp::spawn_with(
        |settings| settings.request_limits.api_per_minute = 2,
        Default::default(),
    )
    .await;
    let scim = Scim::new(&app).await;
    for _ in 0..2 {
        assert_eq!(scim.send(Method::GET, "/Users", None).await.status, 200);
    }
    let over = scim.send(Method::GET, "/Users", None).await;
    assert_eq!(over.status, 429);
    assert_scim_error(&over.body, "429", None);
    assert!(over.headers.contains_key(header::RETRY_AFTER));
}

/// Odd values in every attribute of every write: always an answer below
/// 500, a SCIM error body for every 4xx.
#[tokio::test]
async fn no_value_in_any_attribute_answers_a_5xx() {
    let app = TestApp::spawn().await;
    let scim = Scim::new(&app).await;
    let created = scim.create(new_user(&unique_email("target"))).await;
    let id = created.body["id"].as_str().unwrap().to_owned();
    let deep = (0..200).fold(json!(1), |inner, _| json!([inner]));
    let values = [
        Value::Null,
        json!(true),
        json!(-1),
        json!(1e308),
        json!(""),
        json!(" "),
        json!("a@b"),
        json!("x".repeat(70_000 / 4)),
        json!("\u{0}\u{1b}[31m"),
        json!("ｊｏｅ＠ｅｘａｍｐｌｅ．ｃｏｍ"),
        json!("Robert'); DROP TABLE users;--"),
        json!([]),
        json!([null]),
        json!([{}]),
        json!({}),
        json!({ "value": "a@example.com", "primary": "yes" }),
        json!([{ "value": "a@example.com", "primary": true }, { "value": "b@example.com", "primary": true }]),
        deep,
    ];
    let attributes = [
        "userName",
        "name",
        "displayName",
        "emails",
        "active",
        "externalId",
        "schemas",
        "id",
        "meta",
        "groups",
        "UserName",
    ];
    let paths = [
        "userName",
        "name.givenName",
        "emails",
        "emails[type eq \"work\"].value",
        "emails[value co \"@\"]",
        "active",
        "externalId",
        "meta.version",
        "groups",
        "emails[",
    ];
    let mut answers = Vec::new();
    for value in &values {
        for attribute in attributes {
            let mut user = new_user(&unique_email("odd"));
            user[attribute] = value.clone();
            answers.push(scim.create(user.clone()).await);
            answers.push(
                scim.send(Method::PUT, &format!("/Users/{id}"), Some(user))
                    .await,
            );
        }
        for path in paths {
            for op in ["add", "replace", "remove"] {
                answers.push(
                    scim.patch(&id, json!([{ "op": op, "path": path, "value": value }]))
                        .await,
                );
            }
        }
        answers.push(
            scim.patch(&id, json!([{ "op": "replace", "value": value }]))
                .await,
        );
        answers.push(
            scim.send(Method::PATCH, &format!("/Users/{id}"), Some(value.clone()))
                .await,
        );
        answers.push(
            scim.send(
                Method::POST,
                "/.search",
                Some(json!({
                    "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                    "filter": value, "attributes": value, "count": value,
                })),
            )
            .await,
        );
    }
    for answer in answers {
        assert!(
            answer.status.as_u16() < 500,
            "{} {}",
            answer.status,
            answer.body
        );
        if answer.status.is_client_error() {
            assert!(
                answer.body["scimType"].is_string() || answer.status != 400,
                "{}",
                answer.body
            );
            assert_eq!(answer.body["status"], answer.status.as_str());
        }
    }
}

const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";

#[tokio::test]
async fn groups_are_teams_on_plans_that_have_them() {
    let app = TestApp::spawn().await;
    let scim = Scim::new(&app).await;
    // Standard: no teams, so no groups, and discovery does not offer them.
    let types = scim.send(Method::GET, "/ResourceTypes", None).await;
    assert_eq!(types.body["totalResults"], 1);
    let refused = scim.send(Method::GET, "/Groups", None).await;
    assert_eq!(refused.status, 403);
    assert_scim_error(&refused.body, "403", None);

    app.set_plan("plus").await;
    let types = scim.send(Method::GET, "/ResourceTypes", None).await;
    assert_eq!(types.body["Resources"][1]["endpoint"], "/Groups");
    let ada = scim.create(new_user(&unique_email("ada"))).await.body;
    let grace = scim.create(new_user(&unique_email("grace"))).await.body;
    let member = |user: &Value| json!({ "value": user["id"], "$ref": user["meta"]["location"], "type": "User" });
    let created = scim
        .send(
            Method::POST,
            "/Groups",
            Some(json!({ "schemas": [GROUP], "displayName": "Tier 2", "externalId": "g-1", "members": [member(&ada)] })),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(created.body["members"], json!([member(&ada)]));
    let team: String = sqlx::query_scalar("SELECT name FROM teams WHERE id = $1::uuid")
        .bind(&id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(team, "Tier 2");
    let taken = scim
        .send(
            Method::POST,
            "/Groups",
            Some(json!({ "schemas": [GROUP], "displayName": "Tier 2" })),
        )
        .await;
    assert_eq!(taken.status, 409);
    assert_scim_error(&taken.body, "409", Some("uniqueness"));

    // Entra ID's member changes, then a rename; each raises the version.
    let tag = created.headers[header::ETAG].to_str().unwrap().to_owned();
    let patched = scim
        .send(
            Method::PATCH,
            &format!("/Groups/{id}"),
            Some(json!({ "schemas": [PATCH_OP], "Operations": [
                { "op": "Add", "path": "members", "value": [{ "value": grace["id"] }] },
                { "op": "Remove", "path": format!("members[value eq \"{}\"]", ada["id"].as_str().unwrap()) },
                { "op": "Replace", "path": "displayName", "value": "Tier 3" },
            ] })),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.body);
    assert_eq!(patched.body["members"], json!([member(&grace)]));
    assert_eq!(patched.body["displayName"], "Tier 3");
    let stale = scim
        .send_with(Method::DELETE, &format!("/Groups/{id}"), None, Some(&tag))
        .await;
    assert_eq!(stale.status, 412);
    // Okta's rename repeats the id in the value.
    let okta = scim
        .send(
            Method::PATCH,
            &format!("/Groups/{id}"),
            Some(json!({ "schemas": [PATCH_OP], "Operations": [
                { "op": "replace", "value": { "id": id, "displayName": "Tier 4" } },
            ] })),
        )
        .await;
    assert_eq!(okta.status, 200, "{}", okta.body);
    // Members are users of this account, never Light Users.
    let light = app.signed_in_as(Role::LightUser).await;
    drop(light);
    let light_id = app.id_of(Role::LightUser).await;
    for value in [
        light_id.to_string(),
        Uuid::new_v4().to_string(),
        "nobody".into(),
    ] {
        let refused = scim
            .send(
                Method::PATCH,
                &format!("/Groups/{id}"),
                Some(json!({ "schemas": [PATCH_OP], "Operations": [
                    { "op": "add", "path": "members", "value": [{ "value": value }] },
                ] })),
            )
            .await;
        assert_eq!(refused.status, 400, "{value}: {}", refused.body);
        assert_scim_error(&refused.body, "400", Some("invalidValue"));
    }
    let found = scim
        .send(
            Method::GET,
            "/Groups?filter=displayName%20eq%20%22tier%204%22&excludedAttributes=members",
            None,
        )
        .await;
    assert_eq!(found.body["totalResults"], 1);
    assert!(found.body["Resources"][0].get("members").is_none());
    // The root search finds users and groups.
    let everything = scim
        .send(
            Method::POST,
            "/.search",
            Some(json!({ "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"] })),
        )
        .await;
    assert_eq!(
        everything.body["totalResults"], 5,
        "the Owner, Ada, Grace, the Light User, Tier 4"
    );

    let gone = scim
        .send(Method::DELETE, &format!("/Groups/{id}"), None)
        .await;
    assert_eq!(gone.status, 204);
    assert_eq!(app.count("teams").await, 0);
    assert_eq!(
        scim.send(Method::GET, &format!("/Groups/{id}"), None)
            .await
            .status,
        404
    );
    let events: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_events WHERE action LIKE 'team.%' ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        events,
        [
            "team.created",
            "team.member_added",
            "team.renamed",
            "team.member_added",
            "team.member_removed",
            "team.renamed",
            "team.deleted"
        ]
    );
}

#[tokio::test]
async fn add_user_refuses_an_address_someone_goes_by_in_scim() {
    let app = TestApp::spawn().await;
    let scim = Scim::new(&app).await;
    let alias = unique_email("alias");
    let mut user = new_user(&unique_email("real"));
    user["userName"] = alias.clone().into();
    assert_eq!(scim.create(user).await.status, 201);
    let added = app.add_user("Someone", &alias, Role::User).await;
    assert_eq!(added.status(), 409, "the same answer as a taken address");
    assert!(added.text().await.unwrap().contains("already exists"));
}
