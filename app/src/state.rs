//! What the server hands every page render and server function.

use std::{sync::Arc, time::Duration};

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sqlx::PgPool;

use crate::{
    clock::Clock, crypto::password_hash::HashingPool, crypto::EncryptionKey, geoip::GeoIp,
    public_url::PublicUrl, trusted_proxies::TrustedProxies,
};

/// Cloned for every request by each layer that reads it, so one shared
/// allocation: a clone is one reference count, not one per field.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What every request shares: the database, the settings, what areas keep.
#[derive(Clone)]
pub struct Shared {
    pub pool: PgPool,
    pub settings: Arc<Settings>,
    pub leptos_options: LeptosOptions,
    pub geoip: Arc<GeoIp>,
    /// What areas keep for the life of the server, each under a type of
    /// its own (Manage > Users keeps pages here), so that this module,
    /// below every area, names none of them.
    parts: Arc<http::Extensions>,
    /// Where passwords and recovery codes are hashed, with a bounded queue.
    pub hashing: Arc<HashingPool>,
}

impl AppState {
    pub fn new(pool: PgPool, settings: Settings, leptos_options: LeptosOptions) -> Self {
        Self(Arc::new(Shared {
            pool,
            settings: Arc::new(settings),
            leptos_options,
            geoip: Arc::default(),
            parts: Arc::default(),
            hashing: Arc::default(),
        }))
    }

    /// Hashes passwords in `pool` (see [`HashingPool`]).
    pub fn with_hashing_pool(mut self, pool: HashingPool) -> Self {
        Arc::make_mut(&mut self.0).hashing = Arc::new(pool);
        self
    }

    /// Locates sessions with `geoip` (see [`GeoIp`]).
    pub fn with_geoip(mut self, geoip: GeoIp) -> Self {
        Arc::make_mut(&mut self.0).geoip = Arc::new(geoip);
        self
    }

    /// Keeps `part` for an area, which finds it by its type.
    pub fn with_part<T: Clone + Send + Sync + 'static>(mut self, part: T) -> Self {
        Arc::make_mut(&mut Arc::make_mut(&mut self.0).parts).insert(part);
        self
    }

    /// The part of type `T` an area keeps here, if the server was given one.
    pub fn part<T: Clone + Send + Sync + 'static>(&self) -> Option<&T> {
        self.parts.get::<T>()
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.settings.clock.now()
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// Deployment settings the application logic needs.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The base of every link Roster sends, e.g. `https://help.example.com`.
    pub public_url: PublicUrl,
    pub session_idle_timeout: Duration,
    pub session_absolute_timeout: Duration,
    pub clock: Clock,
    /// Seals two-factor secrets at rest.
    pub encryption_key: EncryptionKey,
    /// The reverse proxies whose forwarding header names the client.
    pub trusted_proxies: TrustedProxies,
    /// How much a server takes on at once.
    pub request_limits: RequestLimits,
}

/// Requests handled at once, and how long each may take, before the answer
/// is 503.
#[derive(Clone, Copy, Debug)]
pub struct RequestLimits {
    pub in_flight: usize,
    pub timeout: Duration,
    /// API requests an account may make a minute (see `account_limits`).
    pub api_per_minute: u32,
}

impl Default for RequestLimits {
    /// 1,024 at once (a page view takes about a millisecond, so this is a
    /// queue of about a second on two cores); 30 seconds each; 400 API
    /// requests an account a minute (Help Scout's figure for its Plus plan).
    fn default() -> Self {
        Self {
            in_flight: 1024,
            timeout: Duration::from_secs(30),
            api_per_minute: 400,
        }
    }
}

impl Settings {
    /// Cookies are `Secure` and `__Host-` prefixed when Roster is served over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.is_https()
    }

    /// The origin (scheme, host, port) of `public_url`, as browsers send it in `Origin`.
    pub fn public_origin(&self) -> &str {
        self.public_url.origin()
    }

    /// Settings for a unit test: Roster at `public_url`, sessions of a minute.
    #[cfg(test)]
    pub fn for_test(public_url: &str, clock: Clock) -> Self {
        Self {
            public_url: PublicUrl::parse(public_url).expect("a test's public URL"),
            session_idle_timeout: Duration::from_secs(60),
            session_absolute_timeout: Duration::from_secs(60),
            clock,
            encryption_key: EncryptionKey::generate(),
            trusted_proxies: TrustedProxies::default(),
            request_limits: RequestLimits::default(),
        }
    }
}

/// The state, inside a page render or a server function.
pub fn use_state() -> AppState {
    leptos::prelude::expect_context::<AppState>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_secure_only_over_https() {
        let settings = |url| Settings::for_test(url, Clock::system());
        assert!(settings("https://x.example").secure_cookies());
        assert!(!settings("http://127.0.0.1:3000").secure_cookies());
        assert_eq!(
            settings("https://help.example.com/roster").public_origin(),
            "https://help.example.com"
        );
    }
}
