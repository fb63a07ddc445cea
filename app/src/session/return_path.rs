/// Where to go after signing in: only a path on this site. Anything that
/// could leave it (`//evil.example`, `https://…`, `/\evil`) becomes `/`.
pub fn return_path(next: &str) -> String {
    let safe = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\')
        && next.len() <= 2048;
    if safe {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_paths_on_this_site() {
        assert_eq!(return_path("/manage/users"), "/manage/users");
        assert_eq!(return_path("/manage/users?page=2"), "/manage/users?page=2");
    }

    #[test]
    fn refuses_anything_that_leaves_it() {
        for next in [
            "",
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "/a\r\nb",
            "evil",
        ] {
            assert_eq!(return_path(next), "/", "{next:?}");
        }
    }
}
