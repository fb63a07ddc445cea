use std::{net::SocketAddr, time::Duration};

use app::{
    clock::Clock,
    crypto::password_hash::HashingPool,
    domain::Role,
    public_url::PublicUrl,
    state::{AppState, Settings},
    trusted_proxies::TrustedProxies,
};
use leptos::prelude::LeptosOptions;
use reqwest::{header, redirect::Policy, Response};
use sqlx::{Connection as _, PgConnection, PgPool};
use tokio::net::TcpListener;
use uuid::Uuid;

/// A running Roster with its own database.
pub struct TestApp {
    pub address: String,
    pub pool: PgPool,
    /// Stands still unless a test moves it.
    pub clock: Clock,
    /// A browser-like client: keeps cookies, sends our Origin, follows no redirects.
    pub client: reqwest::Client,
    /// Where the server hashes passwords (to count or fill it).
    pub hashing: std::sync::Arc<HashingPool>,
}

/// Long enough for any honest request; a hung one fails its test instead of
/// stalling the whole run.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// A client with no cookies, no default headers and no redirects.
pub fn plain_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .timeout(REQUEST_TIMEOUT)
        .build()
        .unwrap()
}

pub const HTML: &str = "text/html,application/xhtml+xml";

pub const OWNER_PASSWORD: &str = "quiet meadow under stars";

/// The PostgreSQL server the tests create their databases on.
pub fn database_server_url() -> String {
    std::env::var("ROSTER_TEST_DATABASE_URL")
        .expect("ROSTER_TEST_DATABASE_URL is not set: run the tests with ./scripts/test")
}

/// Creates an empty, migrated database and returns its URL.
pub async fn fresh_database() -> (String, PgPool) {
    let server = database_server_url();
    let name = format!("roster_test_{}", Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(&format!("{server}/postgres"))
        .await
        .expect("connect to the test server");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create a test database");
    let url = format!("{server}/{name}");
    let pool = server::serve::connect(&url)
        .await
        .expect("connect to the test database");
    server::serve::migrate(&pool)
        .await
        .expect("migrate the test database");
    (url, pool)
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with_public_url(None).await
    }

    /// A server whose PUBLIC_URL is `public_url` (e.g. https behind a proxy)
    /// rather than its own address.
    pub async fn spawn_with_public_url(public_url: Option<&str>) -> Self {
        let public_url = public_url.map(str::to_owned);
        Self::spawn_with(
            move |settings| {
                if let Some(url) = public_url {
                    settings.public_url = PublicUrl::parse(&url).unwrap();
                }
            },
            HashingPool::default(),
        )
        .await
    }

    /// A server behind reverse proxies: `trusted_proxies` name the client.
    pub async fn spawn_behind(trusted_proxies: TrustedProxies) -> Self {
        Self::spawn_with(
            |settings| settings.trusted_proxies = trusted_proxies,
            HashingPool::default(),
        )
        .await
    }

    /// A server that hashes passwords in `hashing` (e.g. a tiny pool), with
    /// its settings changed by `configure`.
    pub async fn spawn_with(configure: impl FnOnce(&mut Settings), hashing: HashingPool) -> Self {
        let (_, pool) = fresh_database().await;
        let clock = Clock::manual(chrono::Utc::now());
        Self::serve(pool, clock, configure, hashing).await
    }

    /// Another server on this one's database and clock, as when several
    /// processes share one PostgreSQL (it starts its own outbox worker).
    pub async fn second_server(&self) -> Self {
        Self::serve(
            self.pool.clone(),
            self.clock.clone(),
            |_| {},
            HashingPool::default(),
        )
        .await
    }

    async fn serve(
        pool: PgPool,
        clock: Clock,
        configure: impl FnOnce(&mut Settings),
        hashing: HashingPool,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let own_address = format!("http://{addr}");
        let mut settings = Settings {
            public_url: PublicUrl::parse(&own_address).unwrap(),
            session_idle_timeout: Duration::from_secs(12 * 3600),
            session_absolute_timeout: Duration::from_secs(7 * 24 * 3600),
            clock: clock.clone(),
            encryption_key: app::crypto::EncryptionKey::generate(),
            trusted_proxies: TrustedProxies::default(),
            request_limits: app::state::RequestLimits::default(),
        };
        configure(&mut settings);
        let address = settings.public_url.to_string();
        let options = LeptosOptions::builder()
            .output_name("roster")
            .site_addr(addr)
            .build();
        let geoip = app::geoip::GeoIp::open(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/geoip-test.mmdb"
        )))
        .unwrap();
        let state = AppState::new(pool.clone(), settings, options)
            .with_geoip(geoip)
            .with_hashing_pool(hashing)
            .with_part(app::users::page_cache::UsersPageCache::default())
            .with_part(app::api::kept::ApiPageCache::default());
        let hashing = state.hashing.clone();
        tokio::spawn(server::serve::serve(listener, state));
        let mailer =
            server::outbox::Mailer::new(&smtp_url(), "Roster <roster@roster.test>").unwrap();
        server::outbox::spawn(pool.clone(), mailer);
        Self {
            client: client(&address),
            address: own_address,
            pool,
            clock,
            hashing,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Opens a page as a browser does (asking for HTML).
    pub async fn get(&self, path: &str) -> Response {
        self.get_as(&self.client, path).await
    }

    /// Opens a page as `client` (e.g. one from [`TestApp::signed_in_as`]).
    pub async fn get_as(&self, client: &reqwest::Client, path: &str) -> Response {
        client
            .get(self.url(path))
            .header(header::ACCEPT, HTML)
            .send()
            .await
            .unwrap()
    }

    /// Calls a server function the way the hydrated app does.
    pub async fn call(&self, path: &str, form: &[(&str, &str)]) -> Response {
        self.call_as(&self.client, path, form).await
    }

    /// Calls a server function as `client` (e.g. a signed-in one).
    pub async fn call_as(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> Response {
        client
            .post(self.url(path))
            .header(header::ORIGIN, &self.address)
            .header(header::ACCEPT, "application/json")
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// Submits a form the way a browser without JavaScript does.
    pub async fn submit_without_js(
        &self,
        path: &str,
        from_page: &str,
        form: &[(&str, &str)],
    ) -> Response {
        self.client
            .post(self.url(path))
            .header(header::ACCEPT, HTML)
            .header(header::REFERER, self.url(from_page))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    pub async fn set_up(&self, form: &SetupForm) -> Response {
        self.call("/api/setup", &form.fields()).await
    }

    /// Sets up the account with its Owner (signed in on `self.client`) and
    /// returns the form it used.
    pub async fn set_up_owner(&self) -> SetupForm {
        let form = SetupForm::valid();
        let response = self.set_up(&form).await;
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
        form
    }

    /// The account set up first (the one most tests work in).
    pub async fn first_account_id(&self) -> Uuid {
        sqlx::query_scalar("SELECT id FROM accounts ORDER BY created_at LIMIT 1")
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    /// The newest user with `role`.
    pub async fn id_of(&self, role: Role) -> Uuid {
        sqlx::query_scalar("SELECT id FROM users WHERE role = $1 ORDER BY created_at DESC LIMIT 1")
            .bind(role.as_str())
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    /// A user's version (`user` an id, or its text), as a form sends it back.
    pub async fn version_of(&self, user: impl std::fmt::Display) -> String {
        let version: i64 = sqlx::query_scalar("SELECT version FROM users WHERE id = $1::uuid")
            .bind(user.to_string())
            .fetch_one(&self.pool)
            .await
            .unwrap();
        version.to_string()
    }

    /// Adds a user as the Owner would with Add User (no invite email).
    pub async fn add_user(&self, name: &str, email: &str, role: Role) -> Response {
        let request_key = Uuid::new_v4().to_string();
        let form = [
            ("name", name),
            ("email", email),
            ("role", role.as_str()),
            ("request_key", request_key.as_str()),
        ];
        self.call("/api/users/create", &form).await
    }

    /// Puts every account on `plan` ("standard", "plus" or "pro").
    pub async fn set_plan(&self, plan: &str) {
        sqlx::query("UPDATE accounts SET plan = $1")
            .bind(plan)
            .execute(&self.pool)
            .await
            .unwrap();
    }

    /// Asks the API for `path` with `token` (an API key or access token) as
    /// the bearer, as an integration does: no cookies.
    pub async fn api_get(&self, path: &str, token: &str) -> Response {
        plain_client()
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    /// An app made on My Apps by `maker` (its first): App ID and App Secret.
    pub async fn make_app(
        &self,
        maker: &reqwest::Client,
        name: &str,
        redirect_url: &str,
    ) -> (String, String) {
        let made = self
            .call_as(
                maker,
                "/api/credentials/apps/create",
                &[("user", ""), ("name", name), ("redirect_url", redirect_url)],
            )
            .await;
        assert_eq!(made.status(), 200, "{}", made.text().await.unwrap());
        let shown: serde_json::Value = self
            .call_as(maker, "/api/credentials/get", &[("user", "")])
            .await
            .json()
            .await
            .unwrap();
        let made = &shown["my_apps"][0];
        (
            made["client_id"].as_str().unwrap().to_owned(),
            made["new_secret"].as_str().unwrap().to_owned(),
        )
    }

    /// A live API key for `user_id`, stored as the API Keys section stores one.
    pub async fn api_key_for(&self, user_id: Uuid) -> String {
        use sha2::Digest as _;

        let key = format!("rk_{}abcdefghijk", Uuid::new_v4().simple());
        sqlx::query(
            "INSERT INTO api_keys (user_id, prefix, key_hash, created_at) VALUES ($1, $2, $3, now())",
        )
        .bind(user_id)
        .bind(&key[..10])
        .bind(sha2::Sha256::digest(key.as_bytes()).to_vec())
        .execute(&self.pool)
        .await
        .unwrap();
        key
    }

    /// Adds a user with `role` to the account and a session for them, and
    /// returns a client signed in as them.
    pub async fn signed_in_as(&self, role: Role) -> reqwest::Client {
        let account_id = self.first_account_id().await;
        self.client_for_new_user(account_id, role.as_str(), false)
            .await
    }

    /// A client signed in as the Owner of a second account.
    pub async fn other_account_client(&self) -> reqwest::Client {
        let account_id: Uuid =
            sqlx::query_scalar("INSERT INTO accounts (name) VALUES ('Other Co') RETURNING id")
                .fetch_one(&self.pool)
                .await
                .unwrap();
        self.client_for_new_user(account_id, "owner", false).await
    }

    /// A client holding the session of an Administrator who was then deleted.
    pub async fn deleted_user_client(&self) -> reqwest::Client {
        let account_id = self.first_account_id().await;
        self.client_for_new_user(account_id, "administrator", true)
            .await
    }

    /// Like [`Self::signed_in_as`], but the session cookie sits in the
    /// client's cookie jar, as in a browser, so cookies the server sets come
    /// back with the next requests.
    pub async fn signed_in_browser(&self, role: Role) -> reqwest::Client {
        let account_id = self.first_account_id().await;
        let token = self
            .new_user_session(account_id, role.as_str(), false)
            .await;
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        jar.add_cookie_str(
            &format!("roster_session={token}; Path=/"),
            &self.address.parse().unwrap(),
        );
        reqwest::Client::builder()
            .redirect(Policy::none())
            .timeout(REQUEST_TIMEOUT)
            .cookie_provider(jar)
            .default_headers(default_headers(&self.address, None))
            .build()
            .unwrap()
    }

    async fn client_for_new_user(
        &self,
        account_id: Uuid,
        role: &str,
        deleted: bool,
    ) -> reqwest::Client {
        let token = self.new_user_session(account_id, role, deleted).await;
        reqwest::Client::builder()
            .redirect(Policy::none())
            .timeout(REQUEST_TIMEOUT)
            .default_headers(default_headers(&self.address, Some(&token)))
            .build()
            .unwrap()
    }

    /// A new user with `role` in the account, and a session token for them.
    async fn new_user_session(&self, account_id: Uuid, role: &str, deleted: bool) -> String {
        let email = format!("{}@example.com", Uuid::new_v4().simple());
        let user_id: Uuid = sqlx::query_scalar(
            "INSERT INTO users (account_id, name, email, role, password_hash) VALUES ($1, 'Test Person', $2, $3, 'x') RETURNING id",
        )
        .bind(account_id)
        .bind(&email)
        .bind(role)
        .fetch_one(&self.pool)
        .await
        .unwrap();
        let mut conn = self.pool.acquire().await.unwrap();
        let token = app::session::store::start(
            &mut conn,
            user_id,
            &app::request::RequestInfo::default(),
            self.clock.now(),
        )
        .await
        .unwrap();
        if deleted {
            sqlx::query("UPDATE users SET deleted_at = now() WHERE id = $1")
                .bind(user_id)
                .execute(&self.pool)
                .await
                .unwrap();
        }
        token.expose().to_owned()
    }

    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }
}

fn default_headers(address: &str, session: Option<&str>) -> header::HeaderMap {
    let mut headers = header::HeaderMap::new();
    headers.insert(header::ORIGIN, address.parse().unwrap());
    if let Some(token) = session {
        headers.insert(
            header::COOKIE,
            format!("roster_session={token}").parse().unwrap(),
        );
    }
    headers
}

fn client(address: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .timeout(REQUEST_TIMEOUT)
        .cookie_store(true)
        .default_headers(default_headers(address, None))
        .build()
        .unwrap()
}

/// The first-run form, valid unless changed. Its email is unique, so tests
/// sharing the mail sink never read each other's mail.
#[derive(Clone)]
pub struct SetupForm {
    pub company_name: String,
    pub name: String,
    pub email: String,
    pub password: String,
}

impl SetupForm {
    pub fn valid() -> Self {
        Self {
            company_name: "Acme Support".into(),
            name: "Ada Lovelace".into(),
            email: unique_email("ada"),
            password: OWNER_PASSWORD.into(),
        }
    }

    pub fn with(mut self, field: &str, value: &str) -> Self {
        match field {
            "company_name" => self.company_name = value.into(),
            "name" => self.name = value.into(),
            "email" => self.email = value.into(),
            "password" => self.password = value.into(),
            other => panic!("the setup form has no field {other}"),
        }
        self
    }

    pub fn fields(&self) -> Vec<(&str, &str)> {
        vec![
            ("company_name", self.company_name.as_str()),
            ("name", self.name.as_str()),
            ("email", self.email.as_str()),
            ("password", self.password.as_str()),
        ]
    }
}

pub fn unique_email(name: &str) -> String {
    format!(
        "{name}.{}@acme.example",
        &Uuid::new_v4().simple().to_string()[..12]
    )
}

fn smtp_url() -> String {
    std::env::var("ROSTER_TEST_SMTP_URL").unwrap_or_else(|_| "smtp://127.0.0.1:2526".into())
}

/// One email as the mail sink received it.
#[derive(Debug, serde::Deserialize)]
pub struct ReceivedEmail {
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
}

/// Waits (up to 15 s) for `count` emails to `address` in the mail sink.
pub async fn emails_to(address: &str, count: usize) -> Vec<ReceivedEmail> {
    let mailbox = std::env::var("ROSTER_TEST_MAILBOX_URL")
        .expect("ROSTER_TEST_MAILBOX_URL is not set: run ./scripts/test");
    let started = std::time::Instant::now();
    loop {
        let all: Vec<serde_json::Value> = reqwest::get(format!("{mailbox}/api/email"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let mine: Vec<ReceivedEmail> = all
            .into_iter()
            .filter(|e| {
                e["to"]
                    .as_array()
                    .is_some_and(|to| to.iter().any(|t| t["address"] == address))
            })
            .map(|e| serde_json::from_value(e).unwrap())
            .collect();
        if mine.len() >= count || started.elapsed() > Duration::from_secs(15) {
            return mine;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The first link in `text` that starts with `prefix`.
pub fn link_in(text: &str, prefix: &str) -> String {
    let start = text
        .find(prefix)
        .unwrap_or_else(|| panic!("no {prefix} link in {text}"));
    text[start..].split_whitespace().next().unwrap().to_owned()
}

/// The value of `Set-Cookie` for the session cookie, if the response sets it.
pub fn session_cookie(response: &Response) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("roster_session="))
        .map(str::to_owned)
}
