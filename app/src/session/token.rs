//! Random secrets handed to a browser or mailed in a link. Only their
//! SHA-256 is stored, so a copy of the database opens no session.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use rand::RngCore as _;
use sha2::{Digest, Sha256};

/// 256 random bits, URL-safe base64 (43 characters).
pub struct SecretToken(String);

impl SecretToken {
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> Vec<u8> {
        hash_token(&self.0)
    }
}

pub fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Whether `raw` has the shape of a token we issue, checked before any lookup.
pub fn looks_like_token(raw: &str) -> bool {
    raw.len() == 43
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_well_formed() {
        let (a, b) = (SecretToken::generate(), SecretToken::generate());
        assert_ne!(a.expose(), b.expose());
        assert!(looks_like_token(a.expose()));
        assert_eq!(a.hash().len(), 32);
        assert_ne!(a.hash(), a.expose().as_bytes());
    }

    #[test]
    fn rejects_malformed_tokens() {
        assert!(!looks_like_token(""));
        assert!(!looks_like_token(&"a".repeat(44)));
        assert!(!looks_like_token(&format!("{}=", "a".repeat(42))));
    }
}
