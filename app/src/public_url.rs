//! The address Roster is reached at (`PUBLIC_URL`), parsed once at start:
//! the base of every link it sends, the origin browsers must post from, and
//! whether cookies are `Secure`. Never taken from a request's Host header.

use std::fmt;

/// An `http://` or `https://` address with a host, e.g.
/// `https://help.example.com` or `https://example.com/roster`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicUrl {
    url: url::Url,
    /// The address without a trailing slash, to which links add their path.
    base: String,
    /// Scheme, host and port, as browsers send them in `Origin`.
    origin: String,
}

impl PublicUrl {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let url = url::Url::parse(raw.trim()).map_err(|_| format!("{raw:?} is not a URL"))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(format!(
                "{raw:?} must be an http:// or https:// address, e.g. https://roster.example.com"
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!("{raw:?} must not have a ?query or #fragment"));
        }
        Ok(Self {
            base: url.as_str().trim_end_matches('/').to_owned(),
            origin: url.origin().ascii_serialization(),
            url,
        })
    }

    /// The absolute address of `path` (which starts with `/`) under Roster.
    pub fn link(&self, path: &str) -> String {
        debug_assert!(path.starts_with('/'), "{path} is not an absolute path");
        format!("{}{path}", self.base)
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn is_https(&self) -> bool {
        self.url.scheme() == "https"
    }

    /// The host alone (a name, or an address in brackets for IPv6).
    pub fn host(&self) -> &str {
        self.url.host_str().unwrap_or("roster.invalid")
    }
}

impl fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> PublicUrl {
        PublicUrl::parse(raw).unwrap()
    }

    #[test]
    fn links_join_the_base_and_the_path_with_one_slash() {
        assert_eq!(
            parse("https://roster.example.com/").link("/recover"),
            "https://roster.example.com/recover"
        );
        assert_eq!(
            parse("https://example.com/roster/").link("/invite/abc"),
            "https://example.com/roster/invite/abc"
        );
        assert_eq!(
            parse("http://127.0.0.1:3000").to_string(),
            "http://127.0.0.1:3000"
        );
    }

    #[test]
    fn origin_drops_the_path_and_keeps_a_port() {
        assert_eq!(
            parse("https://help.example.com/roster").origin(),
            "https://help.example.com"
        );
        assert_eq!(
            parse("http://127.0.0.1:3000").origin(),
            "http://127.0.0.1:3000"
        );
        assert_eq!(
            parse("HTTPS://Help.Example.com:443/").origin(),
            "https://help.example.com"
        );
    }

    #[test]
    fn only_http_and_https_with_a_host() {
        for bad in [
            "ftp://x.example",
            "not a url",
            "",
            "mailto:a@example.com",
            "https://x.example/?a=1",
            "https://x.example/#top",
        ] {
            assert!(PublicUrl::parse(bad).is_err(), "{bad:?}");
        }
        assert!(parse("https://x.example").is_https());
        assert!(!parse("http://127.0.0.1:3000").is_https());
    }

    #[test]
    fn host_is_the_name_without_the_port() {
        assert_eq!(parse("http://127.0.0.1:3000/x").host(), "127.0.0.1");
        assert_eq!(parse("https://Help.Example.com").host(), "help.example.com");
    }
}
