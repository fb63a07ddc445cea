//! Roster's application: the pages and components rendered on the server and
//! hydrated in the browser, the domain types both sides share, and the server
//! functions that carry out every change.

#![recursion_limit = "256"]

pub mod audit_log;
pub mod auth;
pub mod company;
pub mod components;
pub mod conversations;
pub mod credentials;
pub mod deactivation;
pub mod deletion;
pub mod domain;
pub mod error;
pub mod invitations;
pub mod oauth;
pub mod profile;
pub mod provisioning;
pub mod session;
pub mod setup;
mod shell;
pub mod teams;
pub mod two_factor;
pub mod users;
pub mod workflows;

#[cfg(feature = "ssr")]
pub use oauth::authorize::EXTRA_FORM_ACTION;
#[cfg(feature = "ssr")]
pub use shell::CspNonce;
pub use shell::{shell, where_to_land, App, Landing, WhereToLand};

#[cfg(feature = "ssr")]
pub mod account_limits;
#[cfg(feature = "ssr")]
pub mod api;
#[cfg(feature = "ssr")]
pub mod api_fields;
#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod body;
#[cfg(feature = "ssr")]
pub mod change;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod crypto;
#[cfg(feature = "ssr")]
pub mod csv_out;
#[cfg(feature = "ssr")]
pub mod email;
#[cfg(feature = "ssr")]
pub mod geoip;
#[cfg(feature = "ssr")]
pub mod local_time;
#[cfg(feature = "ssr")]
pub mod public_url;
#[cfg(feature = "ssr")]
pub mod rate_limit;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod scim;
#[cfg(feature = "ssr")]
pub mod single_flight;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod trusted_proxies;
