//! Per-address limits (an IPv4 address, or an IPv6 /64) on the requests an attacker would repeat: signing in,
//! asking for reset emails, using reset and invite links, TOTP codes.
//! A fixed one-minute window per (action, IP), kept in memory.

use std::{collections::HashMap, sync::Mutex};

use chrono::{DateTime, Utc};

/// Counts the current request against `action`'s limit for its IP. When over,
/// sets `Retry-After` on the response and returns the seconds to wait.
pub fn check_current_request(action: Limited) -> Result<(), u64> {
    let state = crate::state::use_state();
    let client = crate::request::RequestInfo::current().limit_key;
    state
        .limiter
        .check(action, &client, state.now())
        .inspect_err(|retry_after| send_retry_after(*retry_after))
}

/// Tells the client, in `Retry-After`, how many seconds to wait.
pub fn send_retry_after(seconds: u64) {
    if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        options.insert_header(http::header::RETRY_AFTER, seconds.into());
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Limited {
    SignIn,
    RecoverPassword,
    ResetPassword,
    AcceptInvite,
    TwoFactorCode,
    /// The first-run form: one Argon2 hash each, before any account exists.
    SetUp,
    /// Photo uploads, counted per user (the acting one) rather than per address.
    PhotoUpload,
}

impl Limited {
    /// Requests allowed per IP per minute.
    pub fn per_minute(self) -> u32 {
        match self {
            Limited::SignIn => 30,
            Limited::RecoverPassword => 5,
            Limited::ResetPassword => 10,
            Limited::AcceptInvite => 10,
            Limited::TwoFactorCode => 10,
            Limited::SetUp => 10,
            Limited::PhotoUpload => 10,
        }
    }
}

#[derive(Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<(Limited, String), Window>>,
}

struct Window {
    started: DateTime<Utc>,
    count: u32,
}

const WINDOW_SECS: i64 = 60;

impl RateLimiter {
    /// Counts one request; `Err(seconds)` tells how long until it may retry.
    pub fn check(&self, action: Limited, ip: &str, now: DateTime<Utc>) -> Result<(), u64> {
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if windows.len() > 100_000 {
            windows.retain(|_, w| (now - w.started).num_seconds() < WINDOW_SECS);
        }
        let window = windows.entry((action, ip.to_owned())).or_insert(Window {
            started: now,
            count: 0,
        });
        let elapsed = (now - window.started).num_seconds();
        if elapsed >= WINDOW_SECS {
            *window = Window {
                started: now,
                count: 0,
            };
        }
        if window.count >= action.per_minute() {
            return Err((WINDOW_SECS - elapsed.clamp(0, WINDOW_SECS - 1)) as u64);
        }
        window.count += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;

    #[test]
    fn the_request_past_the_limit_waits_for_the_window() {
        let limiter = RateLimiter::default();
        let now = Utc::now();
        for _ in 0..5 {
            assert!(limiter
                .check(Limited::RecoverPassword, "1.2.3.4", now)
                .is_ok());
        }
        let retry = limiter.check(
            Limited::RecoverPassword,
            "1.2.3.4",
            now + TimeDelta::seconds(20),
        );
        assert_eq!(retry, Err(40));
        // Other IPs and other actions are counted apart.
        assert!(limiter
            .check(Limited::RecoverPassword, "5.6.7.8", now)
            .is_ok());
        assert!(limiter.check(Limited::SignIn, "1.2.3.4", now).is_ok());
        // A new minute, a new allowance.
        assert!(limiter
            .check(
                Limited::RecoverPassword,
                "1.2.3.4",
                now + TimeDelta::seconds(60)
            )
            .is_ok());
    }
}
