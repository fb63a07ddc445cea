//! Time-based one-time passwords (RFC 6238 over RFC 4226): HMAC-SHA1,
//! 6 digits, 30-second steps, a 160-bit secret.

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha1::Sha1;
use subtle::ConstantTimeEq as _;

pub const SECRET_BYTES: usize = 20;
const STEP_SECONDS: i64 = 30;
const DIGITS: u32 = 6;

pub fn step_at(now: DateTime<Utc>) -> i64 {
    now.timestamp().div_euclid(STEP_SECONDS)
}

/// The code for `step`, as the authenticator app shows it.
pub fn code_at(secret: &[u8], step: i64) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = (digest[19] & 0x0f) as usize;
    let binary = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    format!(
        "{:0width$}",
        binary % 10u32.pow(DIGITS),
        width = DIGITS as usize
    )
}

/// The step whose code `code` is: the current one or, for a code typed just
/// as it changed, the one before (RFC 6238 §5.2). Never a future one.
pub fn matching_step(secret: &[u8], code: &str, now: DateTime<Utc>) -> Option<i64> {
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let current = step_at(now);
    [current, current - 1]
        .into_iter()
        .find(|&step| bool::from(code_at(secret, step).as_bytes().ct_eq(code.as_bytes())))
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_url(secret_base32: &str, account_label: &str) -> String {
    let label: String = url_encode(&format!("Roster:{account_label}"));
    format!("otpauth://totp/{label}?secret={secret_base32}&issuer=Roster&algorithm=SHA1&digits=6&period=30")
}

/// The label's characters as Google Authenticator's key URI format keeps
/// them (unreserved, plus `@` and `:`); the rest percent-encoded.
const LABEL: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@')
    .remove(b':');

fn url_encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, LABEL).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_SECRET: &[u8] = b"12345678901234567890";

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).unwrap()
    }

    #[test]
    fn matches_the_rfc_6238_test_vectors() {
        // RFC 6238 appendix B (SHA-1), last six of its eight digits.
        assert_eq!(code_at(RFC_SECRET, step_at(at(59))), "287082");
        assert_eq!(code_at(RFC_SECRET, step_at(at(1_111_111_109))), "081804");
        assert_eq!(code_at(RFC_SECRET, step_at(at(2_000_000_000))), "279037");
    }

    #[test]
    fn accepts_this_step_and_the_one_before_only() {
        let now = at(1_800_000_015);
        let step = step_at(now);
        assert_eq!(
            matching_step(RFC_SECRET, &code_at(RFC_SECRET, step), now),
            Some(step)
        );
        assert_eq!(
            matching_step(RFC_SECRET, &code_at(RFC_SECRET, step - 1), now),
            Some(step - 1)
        );
        assert_eq!(
            matching_step(RFC_SECRET, &code_at(RFC_SECRET, step - 2), now),
            None
        );
        assert_eq!(
            matching_step(RFC_SECRET, &code_at(RFC_SECRET, step + 1), now),
            None
        );
        assert_eq!(matching_step(RFC_SECRET, "12345", now), None);
        assert_eq!(matching_step(RFC_SECRET, "12a456", now), None);
    }

    #[test]
    fn labels_are_url_encoded() {
        let url = otpauth_url("ABC", "ada lovelace@x.io");
        assert!(
            url.starts_with("otpauth://totp/Roster:ada%20lovelace@x.io?secret=ABC&issuer=Roster")
        );
    }
}
