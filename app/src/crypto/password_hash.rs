//! Argon2id with OWASP's parameters (m=19456 KiB, t=2, p=1), run on the
//! blocking pool with bounded concurrency and a bounded queue, so a burst of
//! sign-ins can neither starve the requests around it nor pile up without
//! end: past the queue, the answer is "busy" (503 with `Retry-After`).

use std::{
    sync::{
        atomic::{AtomicU64, AtomicUsize, Ordering},
        LazyLock,
    },
    time::Duration,
};

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

/// Where hashes run: at most `running` at a time (one per core by
/// default), at most `queued` more waiting, none waiting longer than
/// `max_wait`. Each Argon2 run holds 19 MiB, so this also bounds memory.
pub struct HashingPool {
    permits: Semaphore,
    running: usize,
    waiting: AtomicUsize,
    queued: usize,
    max_wait: Duration,
    runs: AtomicU64,
}

/// The pool was full: the request is answered 503, to be retried after
/// [`HashingBusy::RETRY_AFTER_SECS`].
#[derive(Debug, thiserror::Error)]
#[error("the password hashing pool is full")]
pub struct HashingBusy;

impl HashingBusy {
    pub const RETRY_AFTER_SECS: u64 = 2;
}

impl HashingPool {
    pub fn new(running: usize, queued: usize, max_wait: Duration) -> Self {
        let running = running.max(1);
        Self {
            permits: Semaphore::new(running),
            running,
            waiting: AtomicUsize::new(0),
            queued,
            max_wait,
            runs: AtomicU64::new(0),
        }
    }

    /// How many hashes (or verifications) are running now.
    pub fn busy(&self) -> usize {
        self.running - self.permits.available_permits()
    }

    /// How many hashes (or verifications) this pool has started.
    pub fn runs(&self) -> u64 {
        self.runs.load(Ordering::Relaxed)
    }

    /// Runs `work` (a hash, or anything as costly) in the pool, or fails
    /// with [`HashingBusy`] when the queue is full or the wait too long.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let _permit = match self.permits.try_acquire() {
            Ok(permit) => permit,
            Err(_) => {
                let _place = self.queue_place().ok_or(HashingBusy)?;
                tokio::time::timeout(self.max_wait, self.permits.acquire())
                    .await
                    .map_err(|_| HashingBusy)?
                    .context("hashing pool closed")?
            }
        };
        self.runs.fetch_add(1, Ordering::Relaxed);
        tokio::task::spawn_blocking(work)
            .await
            .context("hashing task failed")
    }

    /// A place in the queue, held until dropped; `None` when it is full.
    fn queue_place(&self) -> Option<QueuePlace<'_>> {
        self.waiting
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |waiting| {
                (waiting < self.queued).then_some(waiting + 1)
            })
            .ok()
            .map(|_| QueuePlace(&self.waiting))
    }
}

impl Default for HashingPool {
    /// One hash per core; 32 waiting per core (about a second of work);
    /// none waiting more than 2 seconds.
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self::new(cores, 32 * cores, Duration::from_secs(2))
    }
}

struct QueuePlace<'a>(&'a AtomicUsize);

impl Drop for QueuePlace<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

pub fn hasher() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub async fn hash(pool: &HashingPool, password: Password) -> anyhow::Result<PasswordHash> {
    hash_raw(pool, password.expose().to_owned()).await
}

/// Hashes a password that already passed (possibly older) rules: used to
/// rehash at sign-in when the parameters change.
pub async fn hash_raw(pool: &HashingPool, password: String) -> anyhow::Result<PasswordHash> {
    pool.run(move || hash_blocking(&password)).await?
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
pub async fn verify(
    pool: &HashingPool,
    password: String,
    stored: Option<String>,
) -> anyhow::Result<bool> {
    pool.run(move || {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PasswordContext;

    #[tokio::test]
    async fn a_full_pool_answers_busy_instead_of_queueing_without_end() {
        let pool = std::sync::Arc::new(HashingPool::new(1, 1, Duration::from_secs(30)));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let running = {
            let pool = pool.clone();
            tokio::spawn(async move { pool.run(move || hold.recv()).await })
        };
        while pool.busy() == 0 {
            tokio::task::yield_now().await;
        }
        let queued = {
            let pool = pool.clone();
            tokio::spawn(async move { pool.run(|| "queued").await })
        };
        while pool.waiting.load(Ordering::Acquire) == 0 {
            tokio::task::yield_now().await;
        }
        let refused = pool.run(|| "refused").await.unwrap_err();
        assert!(refused.is::<HashingBusy>(), "{refused:#}");
        release.send(()).unwrap();
        running.await.unwrap().unwrap().unwrap();
        assert_eq!(queued.await.unwrap().unwrap(), "queued");
        assert_eq!(
            pool.waiting.load(Ordering::Acquire),
            0,
            "the place is given back"
        );
    }

    #[tokio::test]
    async fn nobody_waits_past_the_limit() {
        let pool = std::sync::Arc::new(HashingPool::new(1, 8, Duration::from_millis(50)));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let running = {
            let pool = pool.clone();
            tokio::spawn(async move { pool.run(move || hold.recv()).await })
        };
        while pool.busy() == 0 {
            tokio::task::yield_now().await;
        }
        let waited = pool.run(|| "late").await.unwrap_err();
        assert!(waited.is::<HashingBusy>(), "{waited:#}");
        release.send(()).unwrap();
        running.await.unwrap().unwrap().unwrap();
    }

    #[tokio::test]
    async fn hashes_with_owasp_argon2id_parameters() {
        let password =
            Password::parse("quiet meadow under stars", &PasswordContext::default()).unwrap();
        let hash = hash(&HashingPool::default(), password).await.unwrap();
        assert!(
            hash.as_str().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{}",
            hash.as_str()
        );
    }
}
