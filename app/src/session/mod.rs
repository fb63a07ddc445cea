//! Who is signed in: the session a browser holds, and the viewer it stands for.

mod active_sessions;
mod device;
mod sign_out;
mod viewer;

pub use active_sessions::{
    confirm_password, list_my_sessions, revoke_other_sessions, revoke_session, ActiveSessionsPage,
    ConfirmPassword, ListMySessions, MySessions, RevokeOtherSessions, RevokeSession, SessionRow,
    REAUTH_MINUTES,
};
pub use device::describe as describe_device;
pub use sign_out::SignOut;
pub use viewer::{get_viewer, GetViewer, Viewer};

#[cfg(feature = "ssr")]
pub mod cookie;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod token;
