//! Who is signed in: the session a browser holds, and the viewer it stands for.

mod active_sessions;
mod device;
mod hide_secret;
mod sign_out;
mod viewer;

pub use active_sessions::{
    confirm_password, format_session_time, list_my_sessions, revoke_other_sessions, revoke_session,
    ConfirmPassword, ListMySessions, MySessions, OwnSessionsSection, RevokeOtherSessions,
    RevokeSession, SessionRow, REAUTH_MINUTES,
};
pub use device::describe as describe_device;
pub use hide_secret::{hide_secret, HideSecret, HideSecretButton};
pub use sign_out::SignOut;
pub use viewer::{get_viewer, GetViewer, UsersVersion, Viewer};

#[cfg(feature = "ssr")]
pub mod cookie;
#[cfg(feature = "ssr")]
pub mod shown_once;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod token;
