//! Pages of `GET /v2/users` kept between changes, so that asking for the
//! same page again costs the credential lookup alone.
//!
//! A page is kept under its account's users version, which the database
//! raises in the same transaction as every change a user resource shows
//! (see the `users_version` migrations) and the credential lookup reads; a
//! change made on any server sharing the database makes the next request
//! read afresh. Nothing in a user resource changes with the clock, so a
//! kept page needs no expiry of its own.

use std::sync::Arc;

use uuid::Uuid;

use super::{Caller, Hal};
use crate::state::AppState;

/// Pages kept at most unless the deployment says otherwise (a page of 50
/// users is about 40 KB of JSON, so about 5 MB in all).
pub const DEFAULT_CAPACITY: usize = 128;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    account_id: Uuid,
    version: i64,
    page: i64,
    /// The list's filters, as its links write them.
    filters: String,
}

/// Kept in the server's state (see [`AppState::part`]); a server given none
/// keeps no pages.
#[derive(Clone)]
pub struct ApiPageCache {
    /// `None` when the deployment keeps no pages.
    pages: Option<Arc<quick_cache::sync::Cache<Key, Hal>>>,
}

impl ApiPageCache {
    /// Keeps up to `capacity` pages; 0 keeps none (every request reads).
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            pages: (capacity > 0).then(|| Arc::new(quick_cache::sync::Cache::new(capacity))),
        }
    }
}

impl Default for ApiPageCache {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }
}

/// The users page `page` with `filters` for the caller's account: the kept
/// one if no user of the account changed since, otherwise read by `read`
/// (and kept).
pub async fn users_page<F>(
    state: &AppState,
    caller: &Caller,
    page: i64,
    filters: String,
    read: F,
) -> Result<Hal, super::ApiError>
where
    F: std::future::Future<Output = Result<Hal, super::ApiError>>,
{
    let Some(pages) = state
        .part::<ApiPageCache>()
        .and_then(|cache| cache.pages.as_deref())
    else {
        return read.await;
    };
    let key = Key {
        account_id: caller.account_id,
        version: caller.users_version,
        page,
        filters,
    };
    if let Some(kept) = pages.get(&key) {
        return Ok(kept);
    }
    let hal = read.await?;
    pages.insert(key, hal.clone());
    Ok(hal)
}
