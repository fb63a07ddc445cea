use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::Role;

/// The signed-in person, as pages and server functions see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub user_id: Uuid,
    pub account_id: Uuid,
    pub session_id: Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub account_name: String,
    /// How they read times (their profile's `timezone` and `time_format`).
    pub timezone: String,
    pub time_format: String,
    /// Their role must use two-factor authentication (Company > Security)
    /// and they have not set it up: this session opens nothing else until
    /// they do (see `two_factor::required`).
    pub two_factor_due: bool,
    /// What their role, plan and custom permissions let them do
    /// (`domain::permissions::effective`), read with the session.
    pub permissions: Vec<crate::domain::Permission>,
}

/// The version of what the viewer's account's users table shows, read with
/// the session: the database raises it with every change the table shows,
/// so a page kept under it is still right (see `users::page_cache`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UsersVersion(pub i64);

#[cfg(feature = "ssr")]
impl UsersVersion {
    /// The version the session middleware read for this request, if any.
    pub fn current() -> Option<UsersVersion> {
        with_context::<http::request::Parts, _>(|parts| {
            parts.extensions.get::<UsersVersion>().copied()
        })
        .flatten()
    }
}

impl Viewer {
    pub fn may(&self, permission: crate::domain::Permission) -> bool {
        self.permissions.contains(&permission)
    }
}

#[cfg(feature = "ssr")]
impl Viewer {
    /// How they read times.
    pub fn local_time(&self) -> crate::local_time::LocalTime {
        crate::local_time::LocalTime::of(&self.timezone, &self.time_format)
    }

    /// The viewer the session middleware found for this request, if any.
    pub fn current() -> Option<Viewer> {
        with_context::<http::request::Parts, _>(|parts| parts.extensions.get::<Viewer>().cloned())
            .flatten()
    }

    /// The viewer, when they are the Account Owner or an Administrator;
    /// otherwise the area's error `E` for a [`crate::error::Denied`] request.
    pub fn user_manager<E: From<crate::error::Denied>>() -> Result<Viewer, E> {
        use crate::error::Denied;

        let viewer = Self::current().ok_or(Denied::SignInRequired)?;
        if viewer.role.manages_users() {
            Ok(viewer)
        } else {
            Err(Denied::Forbidden.into())
        }
    }
}

/// The signed-in person, for the top bar; `None` when nobody is.
#[server(endpoint = "viewer")]
pub async fn get_viewer() -> Result<Option<Viewer>, ServerFnError> {
    Ok(Viewer::current())
}
