//! No input answers a 5xx. Every server function and every page that takes
//! input is sent, as a signed-in Owner and as an anonymous visitor, each
//! field replaced by hostile values, each field missing and doubled, fields
//! no page sends, the body in other encodings and over its limit. None may
//! answer 5xx, panic or log an error, and the server must still serve; then
//! the database's invariants must hold.
//!
//! Seeded and reproducible: `FUZZ_SEED` picks the sample (printed on
//! failure), and a failure is shrunk to the smallest request that still
//! fails. `scripts/fuzz --minutes N` runs it with new seeds for longer.

#[path = "../api/helpers.rs"]
#[allow(dead_code)]
mod helpers;

mod corpus;
mod error_log;
mod invariants;
mod requests;

use std::{collections::HashSet, time::Instant};

use corpus::{hostile, Seeded, Value};
use helpers::TestApp;
use requests::{Body, Call, Identity};
use uuid::Uuid;

/// Fields no Roster page sends, added to each function's own.
const EXTRA_FIELDS: &[(&str, &str)] = &[
    ("role", "owner"),
    ("account_id", "00000000-0000-0000-0000-000000000000"),
    ("id", "1"),
];

/// Query parameters some page reads, and some none does.
const QUERY_KEYS: &[&str] = &[
    "q",
    "search",
    "sort",
    "dir",
    "page",
    "after",
    "before",
    "done",
    "user",
    "next",
    "notice",
    "error",
    "__err",
    "token",
    "client_id",
    "redirect_uri",
    "state",
    "response_type",
    "code_challenge",
    "deactivated",
    "filter",
    "startIndex",
    "count",
    "person",
    "kind",
    "from",
    "to",
];

/// Values tried per query parameter per page (a seeded sample of the corpus).
const QUERY_SAMPLE: usize = 3;

/// Every page and plain route, in axum's form (`/reset/{token}`),, with a harmless value for
/// each of its parameters. A route the server has that is missing here
/// fails the suite.
const ROUTES: &[(&str, &[(&str, &str)])] = &[
    ("/", &[]),
    ("/setup", &[]),
    ("/sign-in", &[]),
    ("/sign-in/two-factor", &[]),
    ("/two-factor/set-up", &[]),
    ("/recover", &[]),
    ("/reset/{token}", &[("token", "x")]),
    ("/invite/{token}", &[("token", "x")]),
    ("/manage/users", &[]),
    ("/manage/users/invite-from-csv", &[]),
    ("/manage/users/invite-from-csv/template.csv", &[]),
    ("/manage/users/{id}/delete", &[("id", "OWNER")]),
    ("/manage/users/{id}/deactivate", &[("id", "OWNER")]),
    ("/manage/users/{id}/reactivate", &[("id", "OWNER")]),
    ("/settings/provisioning", &[]),
    (
        "/manage/users/{id}/{section}",
        &[("id", "OWNER"), ("section", "profile")],
    ),
    ("/profile/{section}", &[("section", "profile")]),
    ("/manage/teams", &[]),
    ("/manage/audit-log", &[]),
    ("/manage/audit-log/export", &[]),
    ("/settings/permissions", &[]),
    ("/inboxes", &[]),
    ("/inboxes/{id}", &[("id", "OWNER")]),
    ("/workflows", &[]),
    ("/settings/company", &[]),
    ("/authentication/authorizeClientApplication", &[]),
    ("/oauth2/authorize", &[]),
    ("/healthz", &[]),
    ("/avatars/{user_id}", &[("user_id", "OWNER")]),
    ("/v2/users", &[]),
    ("/v2/users/me", &[]),
    ("/v2/users/{id}", &[("id", "1")]),
    ("/v2/mailboxes", &[]),
    ("/v2/mailboxes/{id}", &[("id", "1")]),
    ("/v2/teams", &[]),
    ("/v2/teams/{id}/members", &[("id", "1")]),
    ("/v2/oauth2/token", &[]),
    ("/v2/openapi.json", &[]),
    ("/scim/v2/ServiceProviderConfig", &[]),
    ("/scim/v2/ResourceTypes", &[]),
    ("/scim/v2/ResourceTypes/{id}", &[("id", "User")]),
    ("/scim/v2/Schemas", &[]),
    (
        "/scim/v2/Schemas/{id}",
        &[("id", "urn:ietf:params:scim:schemas:core:2.0:User")],
    ),
    ("/scim/v2/Users", &[]),
    ("/scim/v2/Users/{id}", &[("id", "OWNER")]),
    ("/scim/v2/Users/.search", &[]),
    ("/scim/v2/Groups", &[]),
    ("/scim/v2/Groups/{id}", &[("id", "OWNER")]),
    ("/scim/v2/Groups/.search", &[]),
    ("/scim/v2/.search", &[]),
];

fn seed() -> u64 {
    std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or(20261130)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_input_answers_a_5xx_and_the_invariants_hold() {
    let errors = error_log::capture();
    let seed = seed();
    let minutes: f64 = std::env::var("FUZZ_MINUTES")
        .ok()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0.0);
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let owner_id: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE role = 'owner'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let signed_in_only = signed_in_only(&app, owner_id).await;
    let started = Instant::now();
    let mut round = 0;
    let (mut functions, mut pages) = (Tally::default(), Tally::default());
    loop {
        let round_seed = seed.wrapping_add(round);
        let mut rng = Seeded::new(round_seed);
        let fail = |why: String, smallest: Call| {
            panic!(
                "{why}\nseed {round_seed} (FUZZ_SEED={round_seed} replays it)\nsmallest failing request:\n{smallest}\nerror log:\n{}",
                errors.lines().join("\n")
            )
        };
        // Server functions one at a time: they change what the next one sees.
        for call in server_function_calls(&mut rng, &signed_in_only) {
            let started = Instant::now();
            if let Some(why) = attempt(&app, owner_id, &errors, &call).await {
                fail(why, shrink(&app, owner_id, &errors, call).await);
            }
            functions.add(1, started);
        }
        // Pages only read: a few at a time, each replayed alone when an
        // error was logged, to find whose it was.
        for batch in route_calls(&mut rng, owner_id).chunks(PAGES_AT_ONCE) {
            let started = Instant::now();
            let before = errors.count();
            let answers = futures_util::future::join_all(batch.iter().map(|call| async {
                let identity = Identity::prepare(&app, owner_id, call).await;
                call.send(&app, &identity).await
            }))
            .await;
            for (call, answer) in batch.iter().zip(&answers) {
                if let Some(why) = failure(answer.as_ref(), &errors, errors.count()) {
                    fail(why, call.clone());
                }
            }
            if errors.count() > before {
                for call in batch {
                    if let Some(why) = attempt(&app, owner_id, &errors, call).await {
                        fail(why, call.clone());
                    }
                }
                fail(
                    "logged an error (not again when replayed one by one)".into(),
                    batch[0].clone(),
                );
            }
            pages.add(batch.len(), started);
        }
        round += 1;
        if started.elapsed().as_secs_f64() >= minutes * 60.0 {
            break;
        }
    }
    println!(
        "fuzz: seed {seed}, {round} round(s): {} server function requests in {:.1} s, {} page requests in {:.1} s",
        functions.sent,
        functions.seconds,
        pages.sent,
        pages.seconds,
    );
    assert_eq!(
        app.get("/healthz").await.status(),
        200,
        "the server still serves"
    );
    let violations = invariants::check(&app.pool).await;
    assert!(violations.is_empty(), "invariants broken: {violations:#?}");
}

/// Pages fetched at once.
const PAGES_AT_ONCE: usize = 4;

#[derive(Default)]
struct Tally {
    sent: usize,
    seconds: f64,
}

impl Tally {
    /// Counts `requests` sent together since `started`.
    fn add(&mut self, requests: usize, started: Instant) {
        self.sent += requests;
        self.seconds += started.elapsed().as_secs_f64();
    }
}

/// Sends `call` alone; why it fails the suite, if it does.
async fn attempt(
    app: &TestApp,
    owner_id: Uuid,
    errors: &error_log::ErrorLog,
    call: &Call,
) -> Option<String> {
    let identity = Identity::prepare(app, owner_id, call).await;
    let before = errors.count();
    let status = call.send(app, &identity).await;
    failure(status.as_ref(), errors, before)
}

/// Why an answer fails the suite, if it does.
fn failure(
    status: Result<&reqwest::StatusCode, &String>,
    errors: &error_log::ErrorLog,
    before: usize,
) -> Option<String> {
    match status {
        Err(error) => Some(format!("no answer: {error}")),
        Ok(status) if status.is_server_error() => Some(format!("answered {status}")),
        Ok(_) if errors.count() > before => Some("logged an error".to_owned()),
        Ok(_) => None,
    }
}

/// A harmless value for a field, by its name, so that the field under test
/// is not the only thing a request gets wrong and the request reaches as
/// deep as it can. `{version}`, `{email}` and `{uuid}` are filled in when the
/// request is sent (the Owner's current version, a new address, a new key),
/// so Add User and profile saves succeed when only the field under test is
/// hostile, and what they write is checked by the invariants.
fn harmless(field: &str) -> &'static str {
    match field {
        "user" | "back" | "q" | "done" | "auto_bcc" | "alternate_emails" | "phone" | "pronouns"
        | "job_title" | "reassign_to" | "other_reason" => "",
        "version" => "{version}",
        "request_key" => "{uuid}",
        "email" | "new_email" => "{email}",
        "role" | "roles[]" | "roles" => "user",
        "name" => "Fuzz Person",
        "confirm" | "send_invite" => "on",
        "reason" => "left_company",
        "mode" => "default",
        "code" => "123456",
        "next" => "/manage/users",
        "timezone" => "Europe/Lisbon",
        "time_format" => "24",
        "sort" => "name",
        "dir" => "asc",
        "page" => "1",
        "redirect_url" => "https://example.com/callback",
        field if field.contains("password") => "not the password at all",
        field if field.ends_with("id") => "00000000-0000-0000-0000-000000000000",
        _ => "x",
    }
}

/// The form a function gets when no field is hostile.
fn harmless_form(fields: &[&str]) -> Vec<(String, Value)> {
    fields
        .iter()
        .map(|field| (field.to_string(), Value::Raw(harmless(field))))
        .collect()
}

/// The server functions that turn an anonymous caller away (401) even with
/// harmless fields: anonymously, each field of theirs gets a sample of the
/// corpus, not all of it, since every value meets the same refusal.
async fn signed_in_only(app: &TestApp, owner_id: Uuid) -> HashSet<&'static str> {
    let mut paths = HashSet::new();
    for (path, fields) in app::api_fields::accepted_fields() {
        let call = Call {
            path: path.to_owned(),
            identity: Identity::Anonymous,
            form: Some(harmless_form(fields)),
            body: Body::Form,
            html: false,
        };
        let identity = Identity::prepare(app, owner_id, &call).await;
        if call.send(app, &identity).await == Ok(reqwest::StatusCode::UNAUTHORIZED) {
            paths.insert(path);
        }
    }
    paths
}

/// Corpus values per field sent anonymously to a signed-in-only function.
const SAMPLE_BEHIND_SIGN_IN: usize = 4;

/// Plain routes beside the server functions that take a posted form, with
/// their fields: fuzzed the same way.
const PLAIN_POSTS: &[(&str, &[&str])] = &[(
    "/v2/oauth2/token",
    &["grant_type", "client_id", "client_secret", "scope"],
)];

fn server_function_calls(rng: &mut Seeded, signed_in_only: &HashSet<&str>) -> Vec<Call> {
    let corpus = hostile();
    let mut calls = Vec::new();
    let fields_of = app::api_fields::accepted_fields()
        .into_iter()
        .chain(PLAIN_POSTS.iter().copied());
    for (path, fields) in fields_of {
        let turned_away = signed_in_only.contains(path);
        let path = path.to_owned();
        let base = harmless_form(fields);
        for identity in [Identity::Owner, Identity::Anonymous] {
            let values: Vec<Value> = if identity == Identity::Anonymous && turned_away {
                (0..SAMPLE_BEHIND_SIGN_IN)
                    .map(|_| rng.pick(&corpus).clone())
                    .collect()
            } else {
                corpus.clone()
            };
            let mut call = |form: Vec<(String, Value)>, body: Body| Call {
                path: path.clone(),
                identity,
                form: Some(form),
                body,
                html: rng_flag(rng),
            };
            calls.push(call(base.clone(), Body::Form));
            for index in 0..base.len() {
                for value in &values {
                    let mut form = base.clone();
                    form[index].1 = value.clone();
                    calls.push(call(form, Body::Form));
                }
                let mut missing = base.clone();
                missing.remove(index);
                calls.push(call(missing, Body::Form));
                let mut doubled = base.clone();
                doubled.push(base[index].clone());
                calls.push(call(doubled, Body::Form));
                let mut indexed = base.clone();
                indexed[index].0.push_str("[0]");
                calls.push(call(indexed, Body::Form));
            }
            for (name, value) in EXTRA_FIELDS {
                let mut form = base.clone();
                form.push((name.to_string(), Value::Raw(value)));
                calls.push(call(form, Body::Form));
            }
            for body in [
                Body::Json,
                Body::TextPlain,
                Body::Multipart,
                Body::Oversized,
            ] {
                calls.push(call(base.clone(), body));
            }
        }
    }
    calls
}

fn rng_flag(rng: &mut Seeded) -> bool {
    rng.below(2) == 0
}

fn route_calls(rng: &mut Seeded, owner_id: Uuid) -> Vec<Call> {
    let corpus = hostile();
    let owner = owner_id.to_string();
    let mut calls = Vec::new();
    for (pattern, params) in ROUTES {
        let fill = |replaced: Option<(&str, &Value)>| {
            let mut path = pattern.to_string();
            for (name, harmless) in *params {
                let value = match replaced {
                    Some((which, value)) if which == *name => value.encoded(),
                    _ if *harmless == "OWNER" => owner.clone(),
                    _ => harmless.to_string(),
                };
                path = path.replace(&format!("{{{name}}}"), &value);
            }
            path
        };
        for identity in [Identity::Owner, Identity::Anonymous] {
            let get = |path: String| Call {
                path,
                identity,
                form: None,
                body: Body::None,
                html: true,
            };
            calls.push(get(fill(None)));
            for (name, _) in *params {
                for value in &corpus {
                    if value.len() < 64 * 1024 {
                        calls.push(get(fill(Some((name, value)))));
                    }
                }
            }
            for key in QUERY_KEYS {
                for _ in 0..QUERY_SAMPLE {
                    let value = rng.pick(&corpus);
                    if value.len() < 16 * 1024 {
                        calls.push(get(format!("{}?{key}={}", fill(None), value.encoded())));
                    }
                }
            }
        }
    }
    calls
}

/// The smallest request that still fails: fields dropped one by one, then
/// the value that remains halved, while it fails.
async fn shrink(
    app: &TestApp,
    owner_id: Uuid,
    errors: &error_log::ErrorLog,
    mut call: Call,
) -> Call {
    let fails = |call: Call| async move { attempt(app, owner_id, errors, &call).await.is_some() };
    let mut index = 0;
    while let Some(form) = call.form.clone() {
        if index >= form.len() {
            break;
        }
        let mut smaller = call.clone();
        smaller.form.as_mut().unwrap().remove(index);
        if fails(smaller.clone()).await {
            call = smaller;
        } else {
            index += 1;
        }
    }
    let count = call.form.as_ref().map_or(0, Vec::len);
    for field in 0..count {
        while let Some(halved) = call.form.as_ref().unwrap()[field].1.halved() {
            let mut smaller = call.clone();
            smaller.form.as_mut().unwrap()[field].1 = halved;
            if fails(smaller.clone()).await {
                call = smaller;
            } else {
                break;
            }
        }
    }
    call
}

#[tokio::test]
async fn every_route_and_server_function_is_fuzzed() {
    let fuzzed: Vec<&str> = ROUTES.iter().map(|(path, _)| *path).collect();
    for path in server::serve::page_paths() {
        assert!(
            fuzzed.contains(&path.as_str()),
            "{path} is missing from the fuzz suite's ROUTES"
        );
    }
    let registered: Vec<&str> = app::api_fields::accepted_fields()
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    for (path, _) in leptos::server_fn::axum::server_fn_paths() {
        assert!(
            registered.contains(&path),
            "{path} is not fuzzed: add it to app::api_fields::accepted_fields()"
        );
    }
}

#[tokio::test]
async fn the_invariants_hold_and_notice_breakage() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let added = app
        .call(
            "/api/users/create",
            &[
                ("name", "Grace Hopper"),
                ("email", "grace@example.com"),
                ("role", "user"),
                ("send_invite", "on"),
                ("request_key", &Uuid::new_v4().to_string()),
            ],
        )
        .await;
    assert_eq!(added.status(), 200, "{}", added.text().await.unwrap());
    assert_eq!(invariants::check(&app.pool).await, Vec::<String>::new());

    // A second live Owner, an email taken twice in another case, an invite
    // whose email was never queued: each is reported. (The database refuses
    // the first two by its unique indexes; without them, the check still
    // would.)
    sqlx::query("DROP INDEX users_live_email_key, users_one_owner_key, users_scim_user_name_key")
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE users SET role = 'owner' WHERE email = 'grace@example.com'")
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO users (account_id, name, email, role) SELECT account_id, 'Twin', 'GRACE@example.com', 'user' FROM users LIMIT 1",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE users SET job_title = 'bell\u{7}' WHERE email = 'grace@example.com'")
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM outbox_emails")
        .execute(&app.pool)
        .await
        .unwrap();
    let found = invariants::check(&app.pool).await.join("\n");
    for broken in [
        "more than one live Owner",
        "live email used twice",
        "invitation without its email",
        "user without the audit event",
        "text stored with control characters: users.job_title",
    ] {
        assert!(
            found.contains(broken),
            "{broken:?} not reported in:\n{found}"
        );
    }
}
