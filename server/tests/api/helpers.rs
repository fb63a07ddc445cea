use std::{net::SocketAddr, sync::Arc, time::Duration};

use app::state::{AppState, Settings};
use leptos::prelude::LeptosOptions;
use reqwest::{header, redirect::Policy, Response};
use sqlx::{Connection as _, PgConnection, PgPool};
use tokio::net::TcpListener;
use uuid::Uuid;

/// A running Roster with its own database.
pub struct TestApp {
    pub address: String,
    pub pool: PgPool,
    /// A browser-like client: keeps cookies, sends our Origin, follows no redirects.
    pub client: reqwest::Client,
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
        let (_, pool) = fresh_database().await;
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let address = format!("http://{addr}");
        let state = AppState {
            pool: pool.clone(),
            settings: Arc::new(Settings {
                public_url: address.clone(),
                session_idle_timeout: Duration::from_secs(12 * 3600),
                session_absolute_timeout: Duration::from_secs(7 * 24 * 3600),
            }),
            leptos_options: LeptosOptions::builder()
                .output_name("roster")
                .site_addr(addr)
                .build(),
        };
        tokio::spawn(server::serve::serve(listener, state));
        Self {
            client: client(&address),
            address,
            pool,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Opens a page as a browser does (asking for HTML).
    pub async fn get(&self, path: &str) -> Response {
        self.get_as(&self.client, path).await
    }

    /// Opens a page as `client` (e.g. one from [`TestApp::signed_in_client`]).
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
        self.client
            .post(self.url(path))
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

    pub async fn set_up(&self, form: &SetupForm<'_>) -> Response {
        self.call("/api/setup", &form.fields()).await
    }

    /// Sets up the account with its Owner (signed in on `self.client`).
    pub async fn set_up_owner(&self) {
        let response = self.set_up(&SetupForm::valid()).await;
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    }

    /// Adds a user with `role` to the account and a session for them, and
    /// returns a client signed in as them.
    pub async fn signed_in_client(&self, role: &str) -> reqwest::Client {
        let account_id: Uuid = sqlx::query_scalar("SELECT id FROM accounts LIMIT 1")
            .fetch_one(&self.pool)
            .await
            .unwrap();
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
        let token =
            app::session::store::start(&mut conn, user_id, &app::request::RequestInfo::default())
                .await
                .unwrap();
        reqwest::Client::builder()
            .redirect(Policy::none())
            .default_headers(default_headers(&self.address, Some(token.expose())))
            .build()
            .unwrap()
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
        .cookie_store(true)
        .default_headers(default_headers(address, None))
        .build()
        .unwrap()
}

/// The first-run form, valid unless changed.
pub struct SetupForm<'a> {
    pub company_name: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub password: &'a str,
}

impl SetupForm<'static> {
    pub fn valid() -> Self {
        Self {
            company_name: "Acme Support",
            name: "Ada Lovelace",
            email: "ada@acme.example",
            password: OWNER_PASSWORD,
        }
    }
}

impl<'a> SetupForm<'a> {
    pub fn fields(&self) -> Vec<(&'a str, &'a str)> {
        vec![
            ("company_name", self.company_name),
            ("name", self.name),
            ("email", self.email),
            ("password", self.password),
        ]
    }
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
