//! Who is signed in: the session a browser holds, and the viewer it stands for.

mod sign_out;
mod viewer;

pub use sign_out::SignOut;
pub use viewer::{get_viewer, GetViewer, Viewer};

#[cfg(feature = "ssr")]
pub mod cookie;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod token;
