//! Argon2id with OWASP's parameters (m=19456 KiB, t=2, p=1), run on the
//! blocking pool with bounded concurrency so a burst of sign-ins cannot
//! starve the requests around it.

use std::sync::LazyLock;

use anyhow::Context as _;
use argon2::{
    password_hash::{self, rand_core::OsRng, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
};
use tokio::sync::Semaphore;

use crate::domain::Password;

/// A PHC-format hash string. Deliberately not `Serialize`.
pub struct PasswordHash(String);

impl PasswordHash {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(…)")
    }
}

/// At most one hash per core at a time; the rest wait their turn.
static HASHING: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())));

pub fn hasher() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub async fn hash(password: Password) -> anyhow::Result<PasswordHash> {
    hash_raw(password.expose().to_owned()).await
}

/// Hashes a password that already passed (possibly older) rules: used to
/// rehash at sign-in when the parameters change.
pub async fn hash_raw(password: String) -> anyhow::Result<PasswordHash> {
    on_hashing_pool(move || hash_blocking(&password)).await?
}

fn hash_blocking(password: &str) -> anyhow::Result<PasswordHash> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| PasswordHash(hash.to_string()))
        .map_err(|error| anyhow::anyhow!("hashing a password: {error}"))
}

/// Checks `password` against `stored`. With no stored hash (unknown user,
/// locked or not yet accepted account) it checks against a dummy hash
/// instead, so every sign-in costs one Argon2 verification.
pub async fn verify(password: String, stored: Option<String>) -> anyhow::Result<bool> {
    on_hashing_pool(move || {
        let (phc, real) = match &stored {
            Some(phc) => (phc.as_str(), true),
            None => (DUMMY_HASH.as_str(), false),
        };
        let parsed = password_hash::PasswordHash::new(phc)
            .map_err(|e| anyhow::anyhow!("stored hash unreadable: {e}"))?;
        let matches = hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        VERIFICATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(real && matches)
    })
    .await?
}

/// Whether `stored` was made with other parameters than today's.
pub fn needs_rehash(stored: &str) -> bool {
    let Ok(parsed) = password_hash::PasswordHash::new(stored) else {
        return true;
    };
    let current = Params::new(19_456, 2, 1, None).expect("valid Argon2 parameters");
    parsed.algorithm.as_str() != "argon2id"
        || Params::try_from(&parsed).map_or(true, |params| {
            (params.m_cost(), params.t_cost(), params.p_cost())
                != (current.m_cost(), current.t_cost(), current.p_cost())
        })
}

/// How many verifications ran since start (tests check that sign-in does
/// exactly one, whoever is asking).
pub fn verifications() -> u64 {
    VERIFICATIONS.load(std::sync::atomic::Ordering::Relaxed)
}

static VERIFICATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    hash_blocking("a password nobody has, for timing only")
        .expect("hashing works")
        .0
});

async fn on_hashing_pool<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> anyhow::Result<T> {
    let _permit = HASHING.acquire().await.context("hashing pool closed")?;
    tokio::task::spawn_blocking(work)
        .await
        .context("hashing task failed")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PasswordContext;

    #[tokio::test]
    async fn hashes_with_owasp_argon2id_parameters() {
        let password =
            Password::parse("quiet meadow under stars", &PasswordContext::default()).unwrap();
        let hash = hash(password).await.unwrap();
        assert!(
            hash.as_str().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{}",
            hash.as_str()
        );
    }
}
