//! A secret shown to its owner right after it is made (an API key, an App
//! Secret, recovery codes), and never again. The server keeps no copy: the
//! response that makes it hands it to the browser in a cookie, sealed with
//! the server's key, `HttpOnly`, `SameSite=Strict`, tied to the session and
//! good for ten minutes. Until then each view of the section shows it; no
//! view clears it, so a link from another site (which does not even carry
//! the cookie) cannot make it vanish before it is copied. A newer secret
//! replaces it; signing out ends it.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use chrono::{DateTime, TimeDelta, Utc};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use uuid::Uuid;

use super::{
    cookie::{full_name, set_cookie},
    Viewer,
};
use crate::state::Settings;
use ::cookie::SameSite;

const NAME: &str = "roster_shown_once";
/// How long the secret stays on the page.
pub const SHOWN_FOR_MINUTES: i64 = 10;

#[derive(Serialize, Deserialize)]
struct Kept<T> {
    session: Uuid,
    kind: String,
    until: DateTime<Utc>,
    value: T,
}

/// The `Set-Cookie` value that keeps `value` (of `kind`) for the viewer's
/// session, replacing any secret kept before.
pub fn cookie<T: Serialize>(settings: &Settings, viewer: &Viewer, kind: &str, value: T) -> String {
    let kept = Kept {
        session: viewer.session_id,
        kind: kind.to_owned(),
        until: settings.clock.now() + TimeDelta::minutes(SHOWN_FOR_MINUTES),
        value,
    };
    let json = serde_json::to_vec(&kept).expect("a kept secret serialises");
    let sealed = URL_SAFE_NO_PAD.encode(settings.encryption_key.seal(&json));
    set_cookie(
        settings,
        NAME,
        sealed,
        SameSite::Strict,
        Some(SHOWN_FOR_MINUTES * 60),
    )
}

/// The `Set-Cookie` value that ends whatever is kept (signing out).
pub fn clear(settings: &Settings) -> String {
    set_cookie(settings, NAME, String::new(), SameSite::Strict, Some(0))
}

/// The value of `kind` kept for the viewer's session in `cookie_value`, if
/// it opens with the server's key and its ten minutes are not over.
pub fn open<T: DeserializeOwned>(
    settings: &Settings,
    viewer: &Viewer,
    kind: &str,
    cookie_value: &str,
) -> Option<T> {
    let sealed = URL_SAFE_NO_PAD.decode(cookie_value).ok()?;
    let json = settings.encryption_key.open(&sealed).ok()?;
    let kept: Kept<T> = serde_json::from_slice(&json).ok()?;
    (kept.session == viewer.session_id && kept.kind == kind && kept.until > settings.clock.now())
        .then_some(kept.value)
}

/// Keeps `value` on the response being built.
pub fn keep<T: Serialize>(settings: &Settings, viewer: &Viewer, kind: &str, value: T) {
    super::cookie::send(&cookie(settings, viewer, kind, value));
}

/// The value of `kind` the current request's cookie holds for the viewer.
pub fn kept<T: DeserializeOwned>(settings: &Settings, viewer: &Viewer, kind: &str) -> Option<T> {
    let cookie_value = leptos::prelude::with_context::<http::request::Parts, _>(|parts| {
        super::cookie::read_named(&full_name(settings, NAME), &parts.headers)
    })
    .flatten()?;
    open(settings, viewer, kind, &cookie_value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{clock::Clock, domain::Role};

    fn settings(clock: Clock) -> Settings {
        Settings::for_test("https://roster.example", clock)
    }

    fn viewer() -> Viewer {
        Viewer {
            user_id: Uuid::new_v4(),
            account_id: Uuid::new_v4(),
            session_id: Uuid::new_v4(),
            name: "Ada".into(),
            email: "ada@example.com".into(),
            role: Role::User,
            account_name: "Co".into(),
            timezone: "UTC".into(),
            time_format: "24h".into(),
            two_factor_due: false,
            permissions: Vec::new(),
        }
    }

    fn value_of(set_cookie: &str) -> String {
        ::cookie::Cookie::parse(set_cookie)
            .unwrap()
            .value()
            .to_owned()
    }

    #[test]
    fn the_cookie_is_strict_host_only_and_lasts_ten_minutes() {
        let settings = settings(Clock::system());
        let cookie = cookie(&settings, &viewer(), "api_key", "rk_secret");
        assert!(!cookie.contains("rk_secret"), "sealed, not readable");
        let cookie = ::cookie::Cookie::parse(cookie).unwrap();
        assert_eq!(cookie.name(), "__Host-roster_shown_once");
        assert_eq!(
            cookie.max_age(),
            Some(::cookie::time::Duration::minutes(10))
        );
        assert_eq!(cookie.path(), Some("/"));
        assert_eq!(cookie.http_only(), Some(true));
        assert_eq!(cookie.same_site(), Some(SameSite::Strict));
        assert_eq!(cookie.secure(), Some(true));
    }

    #[test]
    fn it_opens_for_its_session_and_kind_for_ten_minutes() {
        let clock = Clock::manual(Utc::now());
        let settings = settings(clock.clone());
        let viewer = viewer();
        let cookie = cookie(&settings, &viewer, "api_key", "rk_secret");
        let value = &value_of(&cookie);
        let opened: Option<String> = open(&settings, &viewer, "api_key", value);
        assert_eq!(opened.as_deref(), Some("rk_secret"));
        assert_eq!(
            open::<String>(&settings, &viewer, "app_secret", value),
            None
        );
        let other_session = Viewer {
            session_id: Uuid::new_v4(),
            ..viewer.clone()
        };
        assert_eq!(
            open::<String>(&settings, &other_session, "api_key", value),
            None
        );
        assert_eq!(
            open::<String>(&settings, &viewer, "api_key", "garbage"),
            None
        );
        clock.advance(TimeDelta::minutes(SHOWN_FOR_MINUTES));
        assert_eq!(open::<String>(&settings, &viewer, "api_key", value), None);
    }
}
