//! The frame around every page: document, router, top bar.

mod app;
mod home;
mod top_nav;

#[cfg(feature = "ssr")]
pub use app::CspNonce;
pub use app::{shell, App};
pub use home::{where_to_land, Landing, WhereToLand};
