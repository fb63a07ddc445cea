//! Rules shared by every short piece of display text a person types: names
//! of people and companies. They keep out what renders deceptively or breaks
//! storage (NUL, bidi overrides, invisible characters, combining floods)
//! while letting real names in any script, and emoji, through.

use super::{
    unicode::{is_combining_mark, nfc},
    ValidationError,
};

const MAX_COMBINING_RUN: usize = 3;

/// Normalises (NFC), trims and checks `raw`; `what` names the thing in messages.
pub(crate) fn parse_display_text(
    raw: &str,
    what: &str,
    max_chars: usize,
) -> Result<String, ValidationError> {
    // Refuse absurd input before doing any Unicode work on it.
    if raw.len() > max_chars * 8 {
        return Err(too_long(what, max_chars));
    }
    let normalized = nfc(raw);
    let text = normalized.trim();
    if text.is_empty() {
        return Err(ValidationError::new(format!("Enter a {what}.")));
    }
    if text.chars().count() > max_chars {
        return Err(too_long(what, max_chars));
    }
    let chars: Vec<char> = text.chars().collect();
    let mut combining_run = 0;
    for (i, &c) in chars.iter().enumerate() {
        if c.is_control() {
            return Err(ValidationError::new(format!(
                "A {what} cannot contain line breaks, tabs or control characters."
            )));
        }
        if is_invisible(c) && !joins_emoji(&chars, i) {
            return Err(ValidationError::new(format!(
                "A {what} cannot contain invisible or text-direction characters."
            )));
        }
        combining_run = if is_combining_mark(c) {
            combining_run + 1
        } else {
            0
        };
        if combining_run > MAX_COMBINING_RUN {
            return Err(ValidationError::new(format!(
                "A {what} cannot stack that many accents on one letter."
            )));
        }
    }
    Ok(text.to_owned())
}

fn too_long(what: &str, max_chars: usize) -> ValidationError {
    ValidationError::new(format!("A {what} can be at most {max_chars} characters."))
}

/// Format characters that are invisible or reorder text (Unicode Cf, the
/// bidi controls among them).
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// Zero-width joiners and variation selectors are part of emoji such as
/// 👩‍💻 and ❤️; allow them right after a symbol, never inside words.
fn joins_emoji(chars: &[char], i: usize) -> bool {
    let c = chars[i];
    let is_joiner = c == '\u{200D}' || ('\u{FE00}'..='\u{FE0F}').contains(&c);
    let after_symbol = i > 0 && is_symbol_like(chars[i - 1]);
    is_joiner && after_symbol
}

fn is_symbol_like(c: char) -> bool {
    ((c as u32) >= 0x2000 && !c.is_alphanumeric()) || ('\u{FE00}'..='\u{FE0F}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<String, ValidationError> {
        parse_display_text(raw, "name", 100)
    }

    #[test]
    fn trims_and_accepts_names_in_any_script_and_emoji() {
        assert_eq!(parse("  Zoë Müller ").unwrap(), "Zoë Müller");
        assert!(parse("山田 太郎").is_ok());
        assert!(parse("Ana 👩‍💻").is_ok());
        assert!(parse("Love ❤️").is_ok());
    }

    #[test]
    fn refuses_empty_and_whitespace() {
        assert!(parse("").is_err());
        assert!(parse(" \u{3000} ").is_err());
    }

    #[test]
    fn refuses_overlong() {
        assert!(parse(&"a".repeat(100)).is_ok());
        assert!(parse(&"a".repeat(101)).is_err());
        assert!(parse(&"a".repeat(1_000_000)).is_err());
    }

    #[test]
    fn refuses_control_bidi_and_invisible_characters() {
        for bad in [
            "a\0b",
            "a\nb",
            "a\tb",
            "evil\u{202E}gpj",
            "a\u{200B}b",
            "a\u{2066}b",
            "a\u{200D}b",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn refuses_combining_floods_but_not_accents() {
        assert!(parse("e\u{301}").is_ok());
        assert!(parse(&format!("Z{}", "\u{301}".repeat(20))).is_err());
    }
}
