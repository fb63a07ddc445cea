//! Each account's API requests a minute, as Help Scout counts them: one
//! budget for every credential of the account (API keys, access tokens and
//! the SCIM token alike), so no single script can starve the others of
//! the server. A fixed window per account, counted by
//! this server process in memory (no database write on the API's hot
//! path); servers sharing a database each count their own requests.
//!
//! Every authenticated answer says where the account stands in
//! `X-RateLimit-Limit-Minute` and `X-RateLimit-Remaining-Minute`; a request
//! over the limit is answered 429 with `Retry-After`.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, OnceLock},
};

use axum::{
    extract::Request,
    http::{request::Parts, HeaderName, HeaderValue},
    middleware::Next,
    response::Response,
};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Where one account stands in the current minute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quota {
    pub limit: u32,
    pub remaining: u32,
}

/// The windows of every account that called this minute.
#[derive(Default)]
pub struct AccountLimits {
    windows: Mutex<HashMap<Uuid, Window>>,
}

#[derive(Clone, Copy)]
struct Window {
    minute: i64,
    used: u32,
}

impl AccountLimits {
    /// Counts one request of `account` at `now` against `limit` a minute:
    /// where the account then stands, or the seconds until its next minute.
    pub fn take(&self, account: Uuid, now: DateTime<Utc>, limit: u32) -> Result<Quota, u64> {
        let second = now.timestamp();
        let minute = second.div_euclid(60);
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Now and then, forget the accounts that have not called this minute.
        if windows.len() > 10_000 {
            windows.retain(|_, window| window.minute == minute);
        }
        let window = windows.entry(account).or_insert(Window { minute, used: 0 });
        if window.minute != minute {
            *window = Window { minute, used: 0 };
        }
        if window.used >= limit {
            return Err((60 - second.rem_euclid(60)) as u64);
        }
        window.used += 1;
        Ok(Quota {
            limit,
            remaining: limit - window.used,
        })
    }
}

/// Where the request's account stands, once its caller is known.
#[derive(Clone, Default)]
pub struct QuotaSlot(Arc<OnceLock<Quota>>);

impl QuotaSlot {
    pub fn fill(&self, quota: Quota) {
        let _ = self.0.set(quota);
    }
}

/// Counts a request of `account` against `limit` a minute, from the
/// windows the router gave the request: the seconds until the next minute
/// when the account is over.
pub fn count(parts: &Parts, account: Uuid, now: DateTime<Utc>, limit: u32) -> Result<(), u64> {
    let Some(limits) = parts.extensions.get::<Arc<AccountLimits>>() else {
        return Ok(());
    };
    let quota = limits.take(account, now, limit);
    if let Some(slot) = parts.extensions.get::<QuotaSlot>() {
        slot.fill(quota.unwrap_or(Quota {
            limit,
            remaining: 0,
        }));
    }
    quota.map(|_| ())
}

/// Gives the API one set of windows for the life of its router, and each
/// answer the account's standing.
pub async fn report(mut request: Request, next: Next) -> Response {
    let slot = QuotaSlot::default();
    request.extensions_mut().insert(slot.clone());
    let mut response = next.run(request).await;
    if let Some(quota) = slot.0.get() {
        let headers = response.headers_mut();
        headers.insert(
            HeaderName::from_static("x-ratelimit-limit-minute"),
            HeaderValue::from(quota.limit),
        );
        headers.insert(
            HeaderName::from_static("x-ratelimit-remaining-minute"),
            HeaderValue::from(quota.remaining),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(second: i64) -> DateTime<Utc> {
        // 1,800,000,000 is a whole minute since the epoch.
        DateTime::from_timestamp(1_800_000_000 + second, 0).unwrap()
    }

    #[test]
    fn each_account_has_its_own_minute() {
        let limits = AccountLimits::default();
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        assert_eq!(
            limits.take(a, at(0), 2),
            Ok(Quota {
                limit: 2,
                remaining: 1
            })
        );
        assert_eq!(
            limits.take(a, at(10), 2),
            Ok(Quota {
                limit: 2,
                remaining: 0
            })
        );
        assert_eq!(limits.take(a, at(15), 2), Err(45));
        assert!(
            limits.take(b, at(15), 2).is_ok(),
            "another account is not held back"
        );
        assert_eq!(
            limits.take(a, at(60), 2),
            Ok(Quota {
                limit: 2,
                remaining: 1
            })
        );
    }
}
