//! The session cookie: `__Host-roster_session; Secure; HttpOnly;
//! SameSite=Lax; Path=/` over https, the same without `__Host-`/`Secure` on
//! plain-http development.

use http::HeaderMap;

use crate::state::Settings;

const NAME: &str = "roster_session";
const SECURE_NAME: &str = "__Host-roster_session";
/// Holds a pending two-factor sign-in between the password and the code.
const CHALLENGE_NAME: &str = "roster_2fa";
const SECURE_CHALLENGE_NAME: &str = "__Host-roster_2fa";

pub fn name(settings: &Settings) -> &'static str {
    if settings.secure_cookies() {
        SECURE_NAME
    } else {
        NAME
    }
}

fn challenge_name(settings: &Settings) -> &'static str {
    if settings.secure_cookies() {
        SECURE_CHALLENGE_NAME
    } else {
        CHALLENGE_NAME
    }
}

pub fn set(settings: &Settings, token: &str) -> String {
    format!("{}={token}{}", name(settings), attributes(settings))
}

pub fn clear(settings: &Settings) -> String {
    format!("{}=; Max-Age=0{}", name(settings), attributes(settings))
}

/// The two-factor challenge cookie lives five minutes.
pub fn set_challenge(settings: &Settings, token: &str) -> String {
    format!(
        "{}={token}; Max-Age=300{}",
        challenge_name(settings),
        attributes(settings)
    )
}

pub fn clear_challenge(settings: &Settings) -> String {
    format!(
        "{}=; Max-Age=0{}",
        challenge_name(settings),
        attributes(settings)
    )
}

pub fn read_challenge(settings: &Settings, headers: &HeaderMap) -> Option<String> {
    read_named(challenge_name(settings), headers)
}

fn attributes(settings: &Settings) -> &'static str {
    if settings.secure_cookies() {
        "; Path=/; HttpOnly; SameSite=Lax; Secure"
    } else {
        "; Path=/; HttpOnly; SameSite=Lax"
    }
}

/// The session token the browser sent, if any.
pub fn read(settings: &Settings, headers: &HeaderMap) -> Option<String> {
    read_named(name(settings), headers)
}

pub(crate) fn read_named(wanted: &str, headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == wanted)
        .map(|(_, value)| value.to_owned())
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
    use std::time::Duration;

    use super::*;

    fn settings(url: &str) -> Settings {
        Settings {
            public_url: url.into(),
            session_idle_timeout: Duration::from_secs(60),
            session_absolute_timeout: Duration::from_secs(60),
            clock: crate::clock::Clock::system(),
            encryption_key: crate::crypto::EncryptionKey::generate(),
            trusted_proxies: Default::default(),
            request_limits: Default::default(),
        }
    }

    #[test]
    fn https_cookies_are_host_prefixed_and_secure() {
        let cookie = set(&settings("https://roster.example"), "tok");
        assert_eq!(
            cookie,
            "__Host-roster_session=tok; Path=/; HttpOnly; SameSite=Lax; Secure"
        );
    }

    #[test]
    fn http_cookies_are_plain() {
        let cookie = set(&settings("http://127.0.0.1:3000"), "tok");
        assert_eq!(cookie, "roster_session=tok; Path=/; HttpOnly; SameSite=Lax");
    }

    #[test]
    fn reads_the_right_cookie() {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::COOKIE,
            "a=1; roster_session=abc; b=2".parse().unwrap(),
        );
        assert_eq!(
            read(&settings("http://x.example"), &headers).as_deref(),
            Some("abc")
        );
        assert_eq!(read(&settings("https://x.example"), &headers), None);
    }
}
