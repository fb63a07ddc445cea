//! The user profile: one layout with a side navigation, opened by every
//! user for themselves (`/profile/<section>`) and by admins for anyone they
//! manage (`/manage/users/<id>/<section>`).

mod error;
mod nav;
mod page;
mod profile_update;

pub use error::ProfileError;
pub use nav::ProfileNav;
pub use page::{
    get_profile, update_profile, AdminProfilePage, GetProfile, OwnProfilePage, UpdateProfile,
};
pub use profile_update::{ProfileForm, ProfileUpdate};

#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::{Role, TimeFormat};

/// A profile as the Profile section shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileView {
    pub user_id: Uuid,
    /// The viewer's own profile.
    pub is_self: bool,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub job_title: String,
    pub phone: String,
    pub pronouns: String,
    pub timezone: String,
    pub time_format: TimeFormat,
    pub has_password: bool,
    /// Sent back with a save, so a stale one is refused.
    pub version: i64,
    pub timezones: Vec<String>,
}
