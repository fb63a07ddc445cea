use super::ValidationError;

pub const MIN_PASSWORD_CHARS: usize = 15;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// The 10,000 most common breached passwords, lower-cased, most common first
/// (from the list Django bundles for its CommonPasswordValidator). Only the
/// server has it: the browser's check leaves this rule to the server, which
/// keeps 80 KB out of the bundle.
#[cfg(feature = "ssr")]
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// Words a password must not contain: the product, the account and the
/// person's own address.
#[derive(Clone, Debug, Default)]
pub struct PasswordContext<'a> {
    pub email: Option<&'a str>,
    pub account_name: Option<&'a str>,
}

/// A password that passed Roster's rules: 15–128 characters after NFKC,
/// not a common breached password (nor one with digits or symbols stuck on),
/// not containing the product, account or email. No composition rules.
///
/// Deliberately neither `Serialize` nor `Display`, and its `Debug` is blank,
/// so it cannot leak into a log or a response by accident.
#[derive(Clone)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

impl Password {
    pub fn parse(raw: &str, context: &PasswordContext<'_>) -> Result<Self, ValidationError> {
        // A megabyte of "password" is refused here, long before any hashing.
        if raw.len() > MAX_PASSWORD_CHARS * 4 {
            return Err(too_long());
        }
        let password = super::unicode::nfkc(raw);
        let length = password.chars().count();
        if length < MIN_PASSWORD_CHARS {
            return Err(ValidationError::new(format!(
                "Use at least {MIN_PASSWORD_CHARS} characters. A few unrelated words make a strong, memorable password."
            )));
        }
        if length > MAX_PASSWORD_CHARS {
            return Err(too_long());
        }
        let lower = password.to_lowercase();
        if is_common(&lower) {
            return Err(ValidationError::new(
                "This password is too common: it appears in lists of breached passwords. Choose another.",
            ));
        }
        if distinct_chars(&lower) <= 3 {
            return Err(ValidationError::new(
                "This password repeats too few characters. Choose something less predictable.",
            ));
        }
        if let Some(word) = context_word_in(&lower, context) {
            return Err(ValidationError::new(format!(
                "A password cannot contain {word}. Choose something unrelated."
            )));
        }
        Ok(Self(password))
    }

    /// The password itself, for hashing and verifying only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A password as typed at sign-in or re-authentication, in the form every
/// password is kept in (NFKC, as [`Password::parse`] leaves it), so that one
/// typed in fullwidth characters or with ligatures still matches.
pub fn as_typed(raw: &str) -> String {
    super::unicode::nfkc(raw)
}

/// A hint shown as the person types; the rule itself is [`Password::parse`].
pub fn strength_hint(raw: &str, context: &PasswordContext<'_>) -> &'static str {
    if raw.is_empty() {
        return "";
    }
    if Password::parse(raw, context).is_err() {
        return "Strength: too weak";
    }
    let length = raw.chars().count();
    let words = raw
        .split_whitespace()
        .filter(|w| w.chars().count() >= 3)
        .count();
    if length >= 24 || (length >= 18 && words >= 3) {
        "Strength: strong"
    } else {
        "Strength: fair — a few more words make it strong"
    }
}

fn too_long() -> ValidationError {
    ValidationError::new(format!("Use at most {MAX_PASSWORD_CHARS} characters."))
}

#[cfg(not(feature = "ssr"))]
fn is_common(_lower: &str) -> bool {
    false
}

#[cfg(feature = "ssr")]
fn is_common(lower: &str) -> bool {
    let in_list = |candidate: &str| COMMON_PASSWORDS.lines().any(|p| p == candidate);
    if in_list(lower) {
        return true;
    }
    // "password1234567" is "password" with digits stuck on.
    let core = lower.trim_matches(|c: char| !c.is_alphabetic());
    !core.is_empty() && core.len() < lower.len() && in_list(core)
}

fn distinct_chars(text: &str) -> usize {
    let mut chars: Vec<char> = text.chars().collect();
    chars.sort_unstable();
    chars.dedup();
    chars.len()
}

fn context_word_in(lower: &str, context: &PasswordContext<'_>) -> Option<&'static str> {
    const MIN_WORD: usize = 4;
    let contains = |word: &str| {
        let word = word.trim().to_lowercase();
        word.chars().count() >= MIN_WORD && lower.contains(&word)
    };
    if contains("roster") {
        return Some("the name Roster");
    }
    if context.account_name.is_some_and(contains) {
        return Some("your company's name");
    }
    if let Some(email) = context.email {
        let local = email.rsplit_once('@').map_or(email, |(local, _)| local);
        if contains(email) || contains(local) {
            return Some("your email address");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<Password, ValidationError> {
        Password::parse(raw, &PasswordContext::default())
    }

    #[test]
    fn length_is_15_to_128_code_points() {
        assert!(parse("fjord-lantern-q").is_ok());
        assert!(parse("fjord-lantern-").is_err());
        assert!(parse(&"abcdefgh".repeat(16)).is_ok());
        assert!(parse(&format!("{}c", "abcdefgh".repeat(16))).is_err());
        // Code points, not bytes: 15 emoji are 60 bytes and still fine.
        assert!(parse(&"🐎🦄🐙🦊🐝".repeat(3)).is_ok());
    }

    #[test]
    fn a_megabyte_is_refused_without_normalising_it() {
        assert!(parse(&"x".repeat(1 << 20)).is_err());
    }

    #[test]
    fn no_composition_rules() {
        assert!(parse("correct horse battery staple 🐎").is_ok());
    }

    #[test]
    fn common_passwords_and_decorated_ones_are_refused() {
        let err = parse("password1234567").unwrap_err();
        assert!(err.0.contains("too common"));
        assert!(parse("qwertyuiop!!!!!!").is_err());
        assert!(parse("aaaaaaaaaaaaaaaa").is_err());
    }

    #[test]
    fn context_words_are_refused() {
        let context = PasswordContext {
            email: Some("grace.hopper@navy.example"),
            account_name: Some("Acme Widgets"),
        };
        assert!(Password::parse("my acme widgets secret", &context).is_err());
        assert!(Password::parse("grace.hopper rocks the boat", &context).is_err());
        assert!(Password::parse("roster is my favourite app", &context).is_err());
        assert!(Password::parse("quiet meadow under stars", &context).is_ok());
    }

    #[test]
    fn the_hint_follows_the_rule_then_length() {
        let none = PasswordContext::default();
        assert_eq!(strength_hint("", &none), "");
        assert_eq!(
            strength_hint("password1234567", &none),
            "Strength: too weak"
        );
        assert!(strength_hint("fjord-lantern-q", &none).starts_with("Strength: fair"));
        assert_eq!(
            strength_hint("quiet meadow under stars", &none),
            "Strength: strong"
        );
    }

    #[test]
    fn debug_never_shows_the_password() {
        let password = parse("quiet meadow under stars").unwrap();
        assert!(!format!("{password:?}").contains("meadow"));
    }
}
