//! Logs: one line per request and per notable event, never a secret.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr)
        .try_init();
}

/// The request path as it may be logged: the token in an invite or reset
/// link is a secret, so it is cut out.
pub fn loggable_path(path: &str) -> String {
    for prefix in ["/invite/", "/reset/"] {
        if let Some(rest) = path.strip_prefix(prefix) {
            if !rest.is_empty() {
                return format!("{prefix}…");
            }
        }
    }
    path.escape_debug().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_in_links_are_not_logged() {
        assert_eq!(loggable_path("/invite/abcdef"), "/invite/…");
        assert_eq!(loggable_path("/reset/abcdef"), "/reset/…");
        assert_eq!(loggable_path("/manage/users"), "/manage/users");
    }

    #[test]
    fn line_breaks_are_escaped() {
        assert_eq!(
            loggable_path("/a\r\nfake log line"),
            "/a\\r\\nfake log line"
        );
    }
}
