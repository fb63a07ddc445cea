//! The cookies Roster sets, built and read with the `cookie` crate: the
//! session (`__Host-roster_session; Secure; HttpOnly; SameSite=Lax;
//! Path=/` over https, the same without `__Host-`/`Secure` on plain-http
//! development), the pending two-factor sign-in, and the secret shown once
//! (`shown_once`).

use ::cookie::{time::Duration, Cookie, SameSite};
use http::HeaderMap;

use crate::state::Settings;

const NAME: &str = "roster_session";
/// Holds a pending two-factor sign-in between the password and the code.
const CHALLENGE_NAME: &str = "roster_2fa";
/// How long the challenge cookie lives, in seconds.
const CHALLENGE_SECONDS: i64 = 300;

/// The name a cookie goes by: host-only (`__Host-`) over https.
pub(crate) fn full_name(settings: &Settings, name: &'static str) -> String {
    if settings.secure_cookies() {
        format!("__Host-{name}")
    } else {
        name.to_owned()
    }
}

/// A `Set-Cookie` value: `HttpOnly`, `Path=/`, `Secure` over https, and
/// `max_age` seconds (`None`: for the browser session; 0 ends it).
pub(crate) fn set_cookie(
    settings: &Settings,
    name: &'static str,
    value: String,
    same_site: SameSite,
    max_age: Option<i64>,
) -> String {
    let mut cookie = Cookie::build((full_name(settings, name), value))
        .path("/")
        .http_only(true)
        .same_site(same_site)
        .secure(settings.secure_cookies());
    if let Some(seconds) = max_age {
        cookie = cookie.max_age(Duration::seconds(seconds));
    }
    cookie.build().to_string()
}

pub fn name(settings: &Settings) -> String {
    full_name(settings, NAME)
}

pub fn set(settings: &Settings, token: &str) -> String {
    set_cookie(settings, NAME, token.to_owned(), SameSite::Lax, None)
}

pub fn clear(settings: &Settings) -> String {
    set_cookie(settings, NAME, String::new(), SameSite::Lax, Some(0))
}

pub fn set_challenge(settings: &Settings, token: &str) -> String {
    set_cookie(
        settings,
        CHALLENGE_NAME,
        token.to_owned(),
        SameSite::Lax,
        Some(CHALLENGE_SECONDS),
    )
}

pub fn clear_challenge(settings: &Settings) -> String {
    set_cookie(
        settings,
        CHALLENGE_NAME,
        String::new(),
        SameSite::Lax,
        Some(0),
    )
}

pub fn read_challenge(settings: &Settings, headers: &HeaderMap) -> Option<String> {
    read_named(&full_name(settings, CHALLENGE_NAME), headers)
}

/// The session token the browser sent, if any.
pub fn read(settings: &Settings, headers: &HeaderMap) -> Option<String> {
    read_named(&name(settings), headers)
}

/// The value of the cookie `wanted` in the request's `Cookie` headers.
pub(crate) fn read_named(wanted: &str, headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == wanted)
        .map(|cookie| cookie.value().to_owned())
}

/// Sets or clears the cookie on the response being built.
pub fn send(header_value: &str) {
    if let (Some(options), Ok(value)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(header_value),
    ) {
        options.append_header(http::header::SET_COOKIE, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(url: &str) -> Settings {
        Settings::for_test(url, crate::clock::Clock::system())
    }

    #[test]
    fn https_cookies_are_host_prefixed_and_secure() {
        let cookie = Cookie::parse(set(&settings("https://roster.example"), "tok")).unwrap();
        assert_eq!(
            (cookie.name(), cookie.value()),
            ("__Host-roster_session", "tok")
        );
        assert_eq!(cookie.path(), Some("/"));
        assert_eq!(cookie.http_only(), Some(true));
        assert_eq!(cookie.same_site(), Some(SameSite::Lax));
        assert_eq!(cookie.secure(), Some(true));
        assert_eq!(cookie.max_age(), None, "a browser-session cookie");
    }

    #[test]
    fn http_cookies_are_plain() {
        let cookie = Cookie::parse(set(&settings("http://127.0.0.1:3000"), "tok")).unwrap();
        assert_eq!((cookie.name(), cookie.value()), ("roster_session", "tok"));
        assert_eq!(cookie.secure(), None);
        assert_eq!(cookie.http_only(), Some(true));
    }

    #[test]
    fn clearing_and_the_challenge_carry_their_ages() {
        let settings = settings("https://roster.example");
        let cleared = Cookie::parse(clear(&settings)).unwrap();
        assert_eq!(
            (cleared.value(), cleared.max_age()),
            ("", Some(::cookie::time::Duration::ZERO))
        );
        let challenge = Cookie::parse(set_challenge(&settings, "c")).unwrap();
        assert_eq!(challenge.name(), "__Host-roster_2fa");
        assert_eq!(
            challenge.max_age(),
            Some(::cookie::time::Duration::seconds(300))
        );
    }

    #[test]
    fn reads_the_right_cookie() {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::COOKIE,
            "a=1; roster_session=abc; b=2; bad".parse().unwrap(),
        );
        assert_eq!(
            read(&settings("http://x.example"), &headers).as_deref(),
            Some("abc")
        );
        assert_eq!(read(&settings("https://x.example"), &headers), None);
    }
}
