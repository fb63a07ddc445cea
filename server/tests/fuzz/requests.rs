//! One request of the fuzz suite: what it sends, as whom, and how it is
//! printed when it fails.

use std::fmt;

use reqwest::{header, StatusCode};
use uuid::Uuid;

use crate::{corpus::Value, helpers::TestApp};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Identity {
    Owner,
    Anonymous,
}

/// How the fields travel.
#[derive(Clone, Copy, Debug)]
pub enum Body {
    /// A GET: no body.
    None,
    Form,
    Json,
    TextPlain,
    Multipart,
    /// The form, then 2 MB more.
    Oversized,
}

#[derive(Clone, Debug)]
pub struct Call {
    pub path: String,
    pub identity: Identity,
    pub form: Option<Vec<(String, Value)>>,
    pub body: Body,
    /// Ask for HTML, as a form without JavaScript does (else JSON).
    pub html: bool,
}

/// The session a call is sent with: a fresh one of the Owner each time, so
/// one call signing out or locking the account does not turn the rest
/// anonymous; for the API's routes an API key (see [`api_key`]), for
/// SCIM's a SCIM token (see [`scim_token`]); and the
/// Owner's current version, for `{version}`.
pub struct Prepared {
    token: Option<String>,
    api_key: Option<String>,
    version: String,
}

impl Identity {
    pub async fn prepare(app: &TestApp, owner_id: Uuid, call: &Call) -> Prepared {
        let wants_version = call.form.as_ref().is_some_and(|form| {
            form.iter()
                .any(|(_, value)| matches!(value, Value::Raw("{version}")))
        });
        if call.identity == Identity::Anonymous {
            let version = if wants_version {
                let version: i64 = sqlx::query_scalar("SELECT version FROM users WHERE id = $1")
                    .bind(owner_id)
                    .fetch_one(&app.pool)
                    .await
                    .unwrap();
                version.to_string()
            } else {
                String::new()
            };
            return Prepared {
                token: None,
                api_key: None,
                version,
            };
        }
        let version: i64 = sqlx::query_scalar(
            "UPDATE users SET failed_login_attempts = 0, locked_at = NULL WHERE id = $1 RETURNING version",
        )
        .bind(owner_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        // A call may have required two-factor of the Owner's role, which
        // would hold every later call at the set-up: each starts without.
        sqlx::query("UPDATE accounts SET two_factor_required_roles = '{}' WHERE two_factor_required_roles <> '{}'")
            .execute(&app.pool)
            .await
            .unwrap();
        let mut conn = app.pool.acquire().await.unwrap();
        let token = app::session::store::start(
            &mut conn,
            owner_id,
            &app::request::RequestInfo::default(),
            app.clock.now(),
        )
        .await
        .unwrap();
        Prepared {
            token: Some(token.expose().to_owned()),
            api_key: if call.path.starts_with("/v2/") {
                Some(api_key(app, owner_id).await)
            } else if call.path.starts_with("/scim/v2/") {
                Some(scim_token(app, owner_id).await)
            } else {
                None
            },
            version: version.to_string(),
        }
    }
}

/// The API key the API's routes are called with: an Administrator's of
/// the Owner's account whom no fuzzed call knows of, so none revokes it.
/// Made by the first call that needs it (concurrent ones find it made).
async fn api_key(app: &TestApp, owner_id: Uuid) -> String {
    use sha2::Digest as _;

    let key = format!("rk_{}fuzzfuzzfuz", owner_id.simple());
    sqlx::query(
        "WITH admin AS (
             INSERT INTO users (account_id, name, email, role, password_hash)
             SELECT account_id, 'API Fuzzer', 'api-fuzzer@example.com', 'administrator', 'x'
             FROM users WHERE id = $1
             ON CONFLICT DO NOTHING RETURNING id, account_id),
         created AS (
             INSERT INTO audit_events (account_id, actor_user_id, target_user_id, action, details, ip, request_id, occurred_at)
             SELECT account_id, $1, id, 'user.created', '{}', '', '', now() FROM admin)
         INSERT INTO api_keys (user_id, prefix, key_hash, created_at)
         SELECT id, $2, $3, now() FROM admin ON CONFLICT DO NOTHING",
    )
    .bind(owner_id)
    .bind(&key[..10])
    .bind(sha2::Sha256::digest(key.as_bytes()).to_vec())
    .execute(&app.pool)
    .await
    .unwrap();
    key
}

/// The SCIM token `/scim/v2` is called with: of the Owner's account, made
/// by the first call that needs it (concurrent ones find it made).
async fn scim_token(app: &TestApp, owner_id: Uuid) -> String {
    use sha2::Digest as _;

    let token = format!("rst_{}fuzzfuzzfuz", owner_id.simple());
    sqlx::query(
        "INSERT INTO scim_tokens (account_id, token_hash, prefix, created_by, created_at)
         SELECT account_id, $2, 'rst_', id, now() FROM users WHERE id = $1
         ON CONFLICT DO NOTHING",
    )
    .bind(owner_id)
    .bind(sha2::Sha256::digest(token.as_bytes()).to_vec())
    .execute(&app.pool)
    .await
    .unwrap();
    token
}

fn form_body(form: &[(String, Value)]) -> String {
    form.iter()
        .map(|(name, value)| {
            format!(
                "{}={}",
                crate::corpus::percent_encode(name.as_bytes()),
                value.encoded()
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn lossy(value: &Value) -> String {
    match value {
        Value::Raw(raw) => (*raw).to_owned(),
        Value::Text(bytes) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// The form with its placeholders filled in.
fn filled(form: &[(String, Value)], version: &str) -> Vec<(String, Value)> {
    static SENT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    form.iter()
        .map(|(name, value)| {
            let value = match value {
                Value::Raw("{version}") => Value::Text(version.as_bytes().to_vec()),
                Value::Raw("{uuid}") => Value::Text(Uuid::new_v4().to_string().into_bytes()),
                Value::Raw("{email}") => {
                    let n = SENT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    Value::Text(format!("fuzz.{n}@example.com").into_bytes())
                }
                other => other.clone(),
            };
            (name.clone(), value)
        })
        .collect()
}

impl Call {
    fn content(&self, version: &str) -> Option<(&'static str, Vec<u8>)> {
        let form = filled(self.form.as_deref().unwrap_or_default(), version);
        let form = form.as_slice();
        match self.body {
            Body::None => None,
            Body::Form => Some((
                "application/x-www-form-urlencoded",
                form_body(form).into_bytes(),
            )),
            Body::Oversized => {
                let mut body = form_body(form);
                body.push_str("&padding=");
                body.push_str(&"p".repeat(2 * 1024 * 1024));
                Some(("application/x-www-form-urlencoded", body.into_bytes()))
            }
            Body::Json => {
                let object: serde_json::Map<String, serde_json::Value> = form
                    .iter()
                    .map(|(name, value)| (name.clone(), serde_json::Value::String(lossy(value))))
                    .collect();
                Some(("application/json", serde_json::to_vec(&object).unwrap()))
            }
            Body::TextPlain => Some(("text/plain", form_body(form).into_bytes())),
            Body::Multipart => {
                let boundary = "fuzzboundary";
                let mut body = Vec::new();
                for (name, value) in form {
                    body.extend_from_slice(
                        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                    );
                    body.extend_from_slice(lossy(value).as_bytes());
                    body.extend_from_slice(b"\r\n");
                }
                body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
                Some(("multipart/form-data; boundary=fuzzboundary", body))
            }
        }
    }

    /// Sends the call on a kept-alive connection. The server closes a
    /// connection after refusing a body it did not read (413), which the
    /// client may notice only when it reuses it; as a browser does, such a
    /// request is sent once more on a new connection, and only a second
    /// failure counts.
    pub async fn send(&self, app: &TestApp, prepared: &Prepared) -> Result<StatusCode, String> {
        static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
        let kept_alive = CLIENT.get_or_init(crate::helpers::plain_client);
        match self.send_on(kept_alive, app, prepared).await {
            Err(_) => {
                self.send_on(&crate::helpers::plain_client(), app, prepared)
                    .await
            }
            answered => answered,
        }
    }

    async fn send_on(
        &self,
        client: &reqwest::Client,
        app: &TestApp,
        prepared: &Prepared,
    ) -> Result<StatusCode, String> {
        let url = app.url(&self.path);
        let mut request = match self.content(&prepared.version) {
            None => client.get(&url),
            Some((kind, body)) => client
                .post(&url)
                .header(header::CONTENT_TYPE, kind)
                .body(body),
        };
        request = request.header(header::ORIGIN, &app.address).header(
            header::ACCEPT,
            if self.html {
                crate::helpers::HTML
            } else {
                "application/json"
            },
        );
        if let Some(token) = &prepared.token {
            request = request.header(header::COOKIE, format!("roster_session={token}"));
        }
        if let Some(key) = prepared
            .api_key
            .as_ref()
            .filter(|_| self.path.starts_with("/v2/") || self.path.starts_with("/scim/v2/"))
        {
            request = request.bearer_auth(key);
        }
        let response = request.send().await.map_err(|error| error.to_string())?;
        let status = response.status();
        // Read the answer to its end: a body that fails half-way fails too.
        response.bytes().await.map_err(|error| error.to_string())?;
        Ok(status)
    }
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let method = if matches!(self.body, Body::None) {
            "GET"
        } else {
            "POST"
        };
        writeln!(
            f,
            "{method} {} as {:?} ({:?}, {})",
            self.path,
            self.identity,
            self.body,
            if self.html { "HTML" } else { "JSON" }
        )?;
        if let Some((kind, body)) = self.content("{version}") {
            let shown: String = String::from_utf8_lossy(&body).chars().take(400).collect();
            writeln!(f, "Content-Type: {kind}\n{shown:?}")?;
        }
        Ok(())
    }
}
