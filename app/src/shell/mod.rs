//! The frame around every page: document, router, top bar.

mod app;
mod home;
mod top_nav;

pub use app::{shell, App};
#[cfg(feature = "ssr")]
pub use app::{CspNonce, EXTRA_FORM_ACTION};
pub use home::{where_to_land, Landing, WhereToLand};
