//! Roster's cryptography, below every area: password hashing on a bounded
//! pool, and the key that seals secrets at rest.

pub mod password_hash;
mod secret_box;

pub use secret_box::EncryptionKey;
