//! Starting Roster: database, routes, middleware, listener, shutdown.

use std::{net::SocketAddr, sync::OnceLock, time::Duration};

use anyhow::Context as _;
use axum::http::{header, HeaderValue};
use axum::{
    body::Body,
    extract::{Request, State},
    response::IntoResponse,
    routing::{get, post},
    serve::ListenerExt as _,
    Router,
};
use leptos::prelude::provide_context;
use leptos_axum::{
    generate_route_list, handle_server_fns_with_context, AxumRouteListing, LeptosRoutes as _,
};
use sqlx::{postgres::PgPoolOptions, PgPool};
use tokio::net::TcpListener;
use tower::Layer as _;
use tower_http::{
    services::{ServeDir, ServeFile},
    set_header::SetResponseHeaderLayer,
};

use app::{shell, state::AppState, App};

use crate::{config::Config, healthz::healthz, middleware};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

pub async fn connect(database_url: &str) -> anyhow::Result<PgPool> {
    PgPoolOptions::new()
        .max_connections(20)
        .acquire_timeout(Duration::from_secs(5))
        .connect(database_url)
        .await
        .context("connecting to PostgreSQL (is DATABASE_URL right, and is the server running?)")
}

pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    MIGRATOR.run(pool).await.context("migrating the database")
}

/// `server migrate`.
pub async fn migrate_only() -> anyhow::Result<()> {
    let pool = connect(&crate::config::database_url()?).await?;
    migrate(&pool).await?;
    println!("The database schema is up to date.");
    Ok(())
}

/// `server serve`: migrates, then serves until Ctrl-C or SIGTERM.
pub async fn run(mut config: Config) -> anyhow::Result<()> {
    let pool = connect(&config.database_url).await?;
    migrate(&pool).await?;
    config.settings.encryption_key = match config.encryption_key.clone() {
        Some(key) => key,
        None => {
            tracing::warn!("TOTP_ENCRYPTION_KEY is not set: two-factor secrets are sealed with a key kept in the database");
            app::two_factor::store::stored_encryption_key(&pool).await?
        }
    };
    let mailer = crate::outbox::Mailer::new(&config.smtp_url, &config.mail_from)?;
    crate::outbox::spawn(pool.clone(), mailer);
    crate::deletion_jobs::spawn(pool.clone());
    crate::purge_jobs::spawn(pool.clone(), std::sync::Arc::new(config.settings.clone()));
    let addr = config.leptos_options.site_addr;
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("listening on {addr} (is another server using it?)"))?;
    tracing::info!(
        "Roster is listening on http://{addr} (public URL {})",
        config.settings.public_url
    );
    let geoip = match &config.geoip_database {
        Some(path) => app::geoip::GeoIp::open(path)?,
        None => app::geoip::GeoIp::none(),
    };
    serve(listener, state(pool, &config).with_geoip(geoip)).await
}

pub fn state(pool: PgPool, config: &Config) -> AppState {
    AppState::new(pool, config.settings.clone(), config.leptos_options.clone())
        .with_part(app::users::page_cache::UsersPageCache::with_capacity(
            config.users_page_cache,
        ))
        .with_part(app::api::kept::ApiPageCache::with_capacity(
            config.api_page_cache,
        ))
}

/// Serves `state` on `listener` until a shutdown signal.
pub async fn serve(listener: TcpListener, state: AppState) -> anyhow::Result<()> {
    // Streaming SSR writes a page in several chunks; with Nagle's algorithm
    // each would wait ~40 ms for the client's delayed ACK.
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("serving HTTP")
}

pub fn router(state: AppState) -> Router {
    let routes = routes();
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let options = state.leptos_options.clone();
    // Static files are served here, not by Leptos's file handler: that one
    // runs in a reactive owner that can pick up the response options of a
    // page rendering on the same thread, and once served the wasm bundle
    // with another page's 422.
    let site_root = options.site_root.to_string();
    let pkg = format!("/{}", options.site_pkg_dir);
    // Brotli or gzip as the browser accepts, from the files the release
    // build compressed ahead of time (on the fly when there are none).
    let bundle = ServeDir::new(format!("{site_root}{pkg}"))
        .precompressed_br()
        .precompressed_gzip();
    let bundle_caching = SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if options.hash_files {
            // Every name changes with its content.
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        }),
    );
    let router = Router::new()
        .nest_service(&pkg, bundle_caching.layer(bundle))
        .route_service(
            "/favicon.svg",
            ServeFile::new(format!("{site_root}/favicon.svg")),
        )
        .route("/healthz", get(healthz))
        .route("/avatars/{user_id}", get(crate::avatars::avatar))
        .route(
            "/manage/audit-log/export",
            get(crate::audit_export::audit_log_csv),
        )
        .route(app::users::CSV_TEMPLATE_PATH, get(csv_template))
        .route("/api/{*fn_name}", post(server_fn))
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell));
    middleware::apply(router, app::api::router(), &state).with_state(state)
}

/// The app's routes, worked out once per process. Leptos works them out by
/// rendering the app with resource loading switched off process-wide, so a
/// page another server in the same process renders meanwhile (as in the
/// tests, which start many) could wait forever for its data
/// (leptos-rs/leptos#4773). Once, before anything serves, is safe.
fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Every page's path (`/manage/users/{id}/{section}`), and the plain routes
/// beside them that take input, for the suites that must cover them all.
pub fn page_paths() -> Vec<String> {
    let mut paths: Vec<String> = routes()
        .iter()
        .map(|route| route.path().to_owned())
        .collect();
    paths.extend(
        [
            "/healthz",
            "/avatars/{user_id}",
            "/manage/audit-log/export",
            app::users::CSV_TEMPLATE_PATH,
        ]
        .map(str::to_owned),
    );
    paths.extend(app::api::PATHS.iter().map(|path| (*path).to_owned()));
    paths.extend(app::scim::PATHS.iter().map(|path| (*path).to_owned()));
    paths
}

/// Invite from CSV's template: the header and two example rows.
async fn csv_template() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"roster-invite-template.csv\"",
            ),
        ],
        app::users::CSV_TEMPLATE,
    )
}

async fn server_fn(State(state): State<AppState>, request: Request<Body>) -> impl IntoResponse {
    handle_server_fns_with_context(move || provide_context(state.clone()), request).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
