//! Passwords: hashing and verifying them. Sign-in builds on this.

#[cfg(feature = "ssr")]
pub mod password_hash;
