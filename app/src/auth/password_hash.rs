//! Argon2id with OWASP's parameters (m=19456 KiB, t=2, p=1), run on the
//! blocking pool with bounded concurrency so a burst of sign-ins cannot
//! starve the requests around it.

use std::sync::LazyLock;

use anyhow::Context as _;
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHasher, SaltString},
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
    let _permit = HASHING.acquire().await.context("hashing pool closed")?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(password.expose().as_bytes(), &salt)
            .map(|hash| PasswordHash(hash.to_string()))
            .map_err(|error| anyhow::anyhow!("hashing a password: {error}"))
    })
    .await
    .context("hashing task failed")?
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
