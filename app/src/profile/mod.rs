//! The user profile: one layout with a side navigation, opened by every
//! user for themselves (`/profile/<section>`) and by admins for anyone they
//! manage (`/manage/users/<id>/<section>`).

mod auto_bcc;
mod error;
mod feature_permissions;
mod inbox_access;
mod nav;
mod notifications_section;
mod page;
mod photo;
mod profile_section;
mod profile_update;
mod role_section;
mod section;
#[cfg(feature = "ssr")]
mod section_call;
mod section_data;
mod sessions_section;
mod teams_section;

pub use auto_bcc::{parse_auto_bcc, update_auto_bcc, UpdateAutoBcc};
pub use error::ProfileError;
pub use feature_permissions::{
    get_feature_permissions, update_feature_permissions, FeaturePermissionsView,
    GetFeaturePermissions, UpdateFeaturePermissions,
};
pub use inbox_access::{update_inbox_access, UpdateInboxAccess};
pub use nav::ProfileNav;
pub use notifications_section::{update_notifications, UpdateNotifications};
pub use page::{get_profile, AdminProfilePage, GetProfile, OwnProfilePage};
#[cfg(feature = "ssr")]
pub use photo::{avatar, upload_photo, UploadPhoto};
pub use photo::{remove_photo, RemovePhoto, MAX_PHOTO_BYTES, PHOTO_TOO_LARGE, UPLOAD_PHOTO_PATH};
pub use profile_section::{change_email, update_profile, ChangeEmail, UpdateProfile};
pub use profile_update::{ProfileForm, ProfileUpdate};
pub use role_section::{update_role, UpdateRole};
pub use section::Section;
#[cfg(feature = "ssr")]
pub use section_call::{redirect_to_section, section_call, section_call_without_version, target};
pub use sessions_section::{
    get_user_sessions, revoke_user_sessions, GetUserSessions, RevokeUserSessions,
};
pub use teams_section::{
    get_user_teams, update_user_teams, GetUserTeams, PlanGate, UpdateUserTeams, UserTeams,
};

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
    pub auto_bcc: String,
    pub alternate_emails: Vec<String>,
    /// The photo's version, when there is one.
    pub photo: Option<String>,
    pub two_factor_enabled: bool,
    pub notifications: crate::domain::NotificationSettings,
    /// The roles the viewer may set here; empty when the role is not theirs to change.
    pub assignable_roles: Vec<Role>,
    /// Every inbox of the account, and those this user may access.
    pub inboxes: Vec<crate::users::InboxChoice>,
    pub inbox_ids: Vec<Uuid>,
    /// Sent back with a save, so a stale one is refused.
    pub version: i64,
    pub timezones: Vec<String>,
    pub plan: crate::domain::Plan,
}
