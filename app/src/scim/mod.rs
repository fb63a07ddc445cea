//! SCIM 2.0 provisioning (RFC 7643, RFC 7644), being built: so far the
//! filter language its list requests carry (read into a tree), the user
//! filters Roster answers, SCIM's error answer, and the discovery
//! documents (configuration, resource types, schemas). Nothing serves
//! `/scim/v2` yet.

pub mod error;
pub mod filter;
pub mod schemas;
pub mod user_filter;
