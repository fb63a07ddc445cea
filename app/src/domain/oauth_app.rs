use super::{text::parse_display_text, FieldErrors, ValidationError};

const MAX_APP_NAME_CHARS: usize = 100;
const MAX_REDIRECT_URL_CHARS: usize = 2000;

/// An OAuth app as its creator describes it on My Apps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOAuthApp {
    pub name: AppName,
    pub redirect_url: RedirectUrl,
}

impl NewOAuthApp {
    /// Every bad field reported under its form name (`name`, `redirect_url`).
    pub fn parse(name: &str, redirect_url: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", AppName::parse(name));
        let redirect_url = errors.check("redirect_url", RedirectUrl::parse(redirect_url));
        match (name, redirect_url) {
            (Some(name), Some(redirect_url)) => Ok(Self { name, redirect_url }),
            _ => Err(errors),
        }
    }
}

/// An app's name, shown to the people asked to authorize it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppName(String);

parsed_text!(AppName);

impl AppName {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        parse_display_text(raw, "app name", MAX_APP_NAME_CHARS).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An App ID as an app sends it (`client_id`): one that could have been
/// made by Roster (up to 100 letters, digits, `_` and `-`). Anything else
/// names no app, and never reaches the database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientId(String);

impl ClientId {
    pub fn parse(raw: &str) -> Option<Self> {
        let plausible = (1..=100).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        plausible.then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where the OAuth flow sends people back (see [`RedirectUrl::parse`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedirectUrl(String);

parsed_text!(RedirectUrl);

impl RedirectUrl {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        parse_redirect_url(raw).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where the OAuth flow sends people back: an `https://` address with a
/// host, or `http://` on this machine (localhost, 127.0.0.1, [::1]) for
/// development, as RFC 8252 allows. No fragment, no spaces or control
/// characters.
fn parse_redirect_url(raw: &str) -> Result<String, ValidationError> {
    let url = raw.trim();
    if url.is_empty() {
        return Err(ValidationError::new("Enter the redirect URL."));
    }
    if url.chars().count() > MAX_REDIRECT_URL_CHARS {
        return Err(ValidationError::new(format!(
            "A redirect URL can be at most {MAX_REDIRECT_URL_CHARS} characters."
        )));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ValidationError::new(
            "A redirect URL cannot contain spaces or control characters.",
        ));
    }
    if url.contains('#') {
        return Err(ValidationError::new(
            "A redirect URL cannot have a #fragment.",
        ));
    }
    let lower = url.to_ascii_lowercase();
    let (secure, rest) = if let Some(rest) = lower.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = lower.strip_prefix("http://") {
        (false, rest)
    } else {
        return Err(ValidationError::new(
            "Use an https:// address (http:// only for localhost).",
        ));
    };
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let host = host_of(authority);
    let host_ok = !host.is_empty()
        && !authority.contains('@')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !host_ok {
        return Err(ValidationError::new(
            "Enter a full address, such as https://example.com/callback.",
        ));
    }
    if !secure && !matches!(host, "localhost" | "127.0.0.1" | "[::1]") {
        return Err(ValidationError::new(
            "Use an https:// address (http:// only for localhost).",
        ));
    }
    Ok(url.to_owned())
}

/// The host of `host[:port]`, keeping an IPv6 literal's brackets.
fn host_of(authority: &str) -> &str {
    if authority.starts_with('[') {
        authority
            .find(']')
            .map_or(authority, |end| &authority[..=end])
    } else {
        authority.split(':').next().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_app_id_is_short_and_url_safe() {
        assert!(ClientId::parse("app_AbC-12_xyz").is_some());
        for bad in ["", "app id", "app/../x", "ä", &"a".repeat(101), "x\0"] {
            assert_eq!(ClientId::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn https_anywhere_and_http_only_on_this_machine() {
        for good in [
            "https://example.com/callback",
            "https://app.example.com:8443/oauth?x=1",
            "http://localhost:3000/callback",
            "http://127.0.0.1/cb",
            "http://[::1]:8080/cb",
        ] {
            assert_eq!(parse_redirect_url(good).as_deref(), Ok(good), "{good}");
        }
        for bad in [
            "",
            "example.com/callback",
            "http://example.com/callback",
            "javascript:alert(1)",
            "https://",
            "https:///path",
            "https://user@evil.example/cb",
            "https://example.com/a b",
            "https://example.com/cb#frag",
            "https://exa\u{0}mple.com/",
            "ftp://example.com/",
        ] {
            assert!(parse_redirect_url(bad).is_err(), "{bad:?}");
        }
        assert!(parse_redirect_url(&format!("https://e.com/{}", "a".repeat(2000))).is_err());
    }

    #[test]
    fn every_bad_field_is_reported_under_its_name() {
        let errors = NewOAuthApp::parse(" ", "http://example.com").unwrap_err();
        assert!(errors.get("name").is_some());
        assert!(errors.get("redirect_url").is_some());
        let app = NewOAuthApp::parse(" Zapier sync ", " https://zapier.com/cb ").unwrap();
        assert_eq!(app.name.as_str(), "Zapier sync");
        assert_eq!(app.redirect_url.as_str(), "https://zapier.com/cb");
    }
}
