//! A readable name for the browser behind a session, from its User-Agent,
//! read by woothee (Project Woothee's dataset of browsers and systems).

/// E.g. "Firefox on macOS"; "Unknown browser" when nothing is recognised.
pub fn describe(user_agent: &str) -> String {
    let known = |value: &str| {
        (!value.is_empty() && value != woothee::woothee::VALUE_UNKNOWN).then(|| value.to_owned())
    };
    let parsed = woothee::parser::Parser::new().parse(user_agent);
    let browser = parsed.as_ref().and_then(|result| known(result.name));
    let system = parsed
        .as_ref()
        .and_then(|result| known(result.os))
        .map(|os| system_name(&os));
    match (browser, system) {
        (Some(browser), Some(system)) => format!("{browser} on {system}"),
        (Some(browser), None) => browser,
        (None, Some(system)) => format!("A browser on {system}"),
        (None, None) => "Unknown browser".to_owned(),
    }
}

/// Woothee's name for a system, as people say it.
fn system_name(os: &str) -> String {
    match os {
        "Mac OSX" => "macOS".to_owned(),
        "iPhone" | "iPod" => "iOS".to_owned(),
        "iPad" => "iPadOS".to_owned(),
        other => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_common_browsers() {
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
        assert_eq!(describe(chrome), "Chrome on Linux");
        let firefox =
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:140.0) Gecko/20100101 Firefox/140.0";
        assert_eq!(describe(firefox), "Firefox on macOS");
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36 Edg/156.0";
        assert_eq!(describe(edge), "Edge on Windows 10");
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";
        assert_eq!(describe(iphone), "Safari on iOS");
        let android = "Mozilla/5.0 (Linux; Android 15) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36";
        assert_eq!(describe(android), "Chrome on Android");
        assert_eq!(describe("curl/8.5.0"), "HTTP Library");
        assert_eq!(describe(""), "Unknown browser");
    }
}
