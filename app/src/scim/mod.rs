//! SCIM 2.0 provisioning (RFC 7643, RFC 7644), being built: so far the
//! filter language its list requests carry (read into a tree), the user
//! filters Roster answers, and SCIM's error answer. Nothing serves
//! `/scim/v2` yet.

pub mod error;
pub mod filter;
pub mod user_filter;
