//! SCIM 2.0 provisioning (RFC 7643, RFC 7644), being built: so far the
//! filter language its list requests carry, read into a tree that the
//! queries will be made from. Nothing serves `/scim/v2` yet.

pub mod filter;
