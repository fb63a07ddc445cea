//! The user profile: one layout with a side navigation, opened by every
//! user for themselves (`/profile/<section>`) and by admins for anyone they
//! manage (`/manage/users/<id>/<section>`). Each section lives in a folder
//! of its own (its component, server functions and store); the screen makes
//! only the section on it, which loads only its own data.

#[cfg(feature = "ssr")]
pub mod access;
mod active_sessions;
mod api_keys;
mod authorized_apps;
mod auto_bcc;
mod credentials;
mod error;
mod feature_permissions;
mod inbox_access;
mod my_apps;
mod nav;
mod notifications;
mod page;
mod profile_section;
mod role;
mod section;
#[cfg(feature = "ssr")]
mod section_call;
mod section_screen;
mod security;
mod teams;

pub use active_sessions::{
    get_user_sessions, revoke_user_sessions, GetUserSessions, RevokeUserSessions,
};
pub use api_keys::{create_api_key, revoke_api_key, CreateApiKey, RevokeApiKey};
pub use authorized_apps::{revoke_authorized_app, RevokeAuthorizedApp};
pub use auto_bcc::{update_auto_bcc, UpdateAutoBcc};
pub use credentials::{get_credentials, GetCredentials};
pub use error::ProfileError;
pub use feature_permissions::{
    get_feature_permissions, update_feature_permissions, FeaturePermissionsView,
    GetFeaturePermissions, UpdateFeaturePermissions,
};
pub use inbox_access::{
    get_inbox_access, update_inbox_access, GetInboxAccess, InboxAccess, UpdateInboxAccess,
};
pub use my_apps::{create_oauth_app, delete_oauth_app, CreateOauthApp, DeleteOauthApp};
pub use nav::ProfileNav;
pub use notifications::{update_notifications, UpdateNotifications};
pub use page::{get_profile, AdminProfilePage, GetProfile, OwnProfilePage};
#[cfg(feature = "ssr")]
pub use profile_section::photo::{avatar, store::photo, upload_photo, UploadPhoto};
pub use profile_section::photo::{
    remove_photo, RemovePhoto, MAX_PHOTO_BYTES, PHOTO_TOO_LARGE, UPLOAD_PHOTO_PATH,
};
pub use profile_section::{
    change_email, get_timezones, update_profile, ChangeEmail, GetTimezones, ProfileForm,
    ProfileUpdate, UpdateProfile,
};
pub use role::{update_role, UpdateRole};
pub use section::Section;
#[cfg(feature = "ssr")]
pub use section_call::{redirect_to_section, section_call, section_call_without_version, target};
pub use teams::{get_user_teams, update_user_teams, GetUserTeams, UpdateUserTeams, UserTeams};

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
    /// An invite email was sent at some time (so the next is a resend).
    pub invited: bool,
    /// Their invite link is open (neither accepted nor ended).
    pub open_invite: bool,
    /// How that open invite is reaching them.
    pub invite_delivery: Option<crate::invitations::InviteDelivery>,
    /// Conversations assigned to them that are not closed (what becoming a
    /// Light User unassigns).
    pub open_conversations: i64,
    /// Deactivated by an admin (see `deactivation`).
    pub deactivated: bool,
    pub auto_bcc: String,
    pub alternate_emails: Vec<String>,
    /// The photo's version, when there is one.
    pub photo: Option<String>,
    pub two_factor_enabled: bool,
    pub notifications: crate::domain::NotificationSettings,
    /// The roles the viewer may set here; empty when the role is not theirs to change.
    pub assignable_roles: Vec<Role>,
    /// Sent back with a save, so a stale one is refused.
    pub version: i64,
    pub plan: crate::domain::Plan,
}
