//! What a profile screen loads and does besides the profile itself: every
//! section's save actions, made once per screen, and the data of the
//! sections that need more than the profile (credentials, sessions, the
//! viewer's own two-factor setup). Resources are made here, outside the
//! screen's `Transition`, and only for the section on screen.

use leptos::prelude::*;

use super::{
    feature_permissions::{
        get_feature_permissions, FeaturePermissionsView, UpdateFeaturePermissions,
    },
    sessions_section::{get_user_sessions, RevokeUserSessions},
    teams_section::{get_user_teams, UpdateUserTeams, UserTeams},
    ChangeEmail, ProfileError, RemovePhoto, Section, UpdateAutoBcc, UpdateInboxAccess,
    UpdateNotifications, UpdateProfile, UpdateRole,
};
use crate::{
    auth::AuthError,
    credentials::{
        get_credentials, CreateApiKey, CreateOauthApp, Credentials, DeleteOauthApp, RevokeApiKey,
        RevokeAuthorizedApp,
    },
    error::HttpError,
    session::{
        list_my_sessions, ConfirmPassword, MySessions, RevokeOtherSessions, RevokeSession,
        SessionRow,
    },
    two_factor::{
        get_security_status, DisableTwoFactor, EnableTwoFactor, RegenerateRecoveryCodes,
        SecurityStatus,
    },
};

/// The changes a profile screen can make.
#[derive(Clone, Copy)]
pub struct SectionActions {
    pub update: ServerAction<UpdateProfile>,
    pub auto_bcc: ServerAction<UpdateAutoBcc>,
    pub inbox_access: ServerAction<UpdateInboxAccess>,
    pub role: ServerAction<UpdateRole>,
    pub notifications: ServerAction<UpdateNotifications>,
    pub enable_two_factor: ServerAction<EnableTwoFactor>,
    pub disable_two_factor: ServerAction<DisableTwoFactor>,
    pub regenerate_codes: ServerAction<RegenerateRecoveryCodes>,
    pub confirm_password: ServerAction<ConfirmPassword>,
    pub revoke_session: ServerAction<RevokeSession>,
    pub revoke_other_sessions: ServerAction<RevokeOtherSessions>,
    pub revoke_user_sessions: ServerAction<RevokeUserSessions>,
    pub create_api_key: ServerAction<CreateApiKey>,
    pub revoke_api_key: ServerAction<RevokeApiKey>,
    pub create_app: ServerAction<CreateOauthApp>,
    pub delete_app: ServerAction<DeleteOauthApp>,
    pub revoke_authorized_app: ServerAction<RevokeAuthorizedApp>,
    pub teams: ServerAction<UpdateUserTeams>,
    pub feature_permissions: ServerAction<UpdateFeaturePermissions>,
    pub change_email: ServerAction<ChangeEmail>,
    pub remove_photo: ServerAction<RemovePhoto>,
}

impl SectionActions {
    pub fn new() -> Self {
        Self {
            update: ServerAction::new(),
            auto_bcc: ServerAction::new(),
            inbox_access: ServerAction::new(),
            role: ServerAction::new(),
            notifications: ServerAction::new(),
            enable_two_factor: ServerAction::new(),
            disable_two_factor: ServerAction::new(),
            regenerate_codes: ServerAction::new(),
            confirm_password: ServerAction::new(),
            revoke_session: ServerAction::new(),
            revoke_other_sessions: ServerAction::new(),
            revoke_user_sessions: ServerAction::new(),
            create_api_key: ServerAction::new(),
            revoke_api_key: ServerAction::new(),
            create_app: ServerAction::new(),
            delete_app: ServerAction::new(),
            revoke_authorized_app: ServerAction::new(),
            teams: ServerAction::new(),
            feature_permissions: ServerAction::new(),
            change_email: ServerAction::new(),
            remove_photo: ServerAction::new(),
        }
    }

    /// Changes with every completed action, so what the screen shows is
    /// loaded again after each.
    pub fn version(&self) -> usize {
        self.update.version().get()
            + self.auto_bcc.version().get()
            + self.inbox_access.version().get()
            + self.role.version().get()
            + self.notifications.version().get()
            + self.enable_two_factor.version().get()
            + self.disable_two_factor.version().get()
            + self.regenerate_codes.version().get()
            + self.confirm_password.version().get()
            + self.revoke_session.version().get()
            + self.revoke_other_sessions.version().get()
            + self.revoke_user_sessions.version().get()
            + self.create_api_key.version().get()
            + self.revoke_api_key.version().get()
            + self.create_app.version().get()
            + self.delete_app.version().get()
            + self.revoke_authorized_app.version().get()
            + self.teams.version().get()
            + self.feature_permissions.version().get()
            + self.change_email.version().get()
            + self.remove_photo.version().get()
    }

    /// The status of a failed submission without JavaScript, for the page
    /// the browser is sent back to.
    pub fn failure_status(&self) -> Option<u16> {
        fn failed<E: HttpError>(result: Option<Result<(), E>>) -> Option<u16> {
            result.and_then(Result::err).map(|error| error.status())
        }
        failed(self.update.value().get_untracked())
            .or_else(|| failed(self.auto_bcc.value().get_untracked()))
            .or_else(|| failed(self.inbox_access.value().get_untracked()))
            .or_else(|| failed(self.role.value().get_untracked()))
            .or_else(|| failed(self.notifications.value().get_untracked()))
            .or_else(|| failed(self.enable_two_factor.value().get_untracked()))
            .or_else(|| failed(self.disable_two_factor.value().get_untracked()))
            .or_else(|| failed(self.regenerate_codes.value().get_untracked()))
            .or_else(|| failed(self.confirm_password.value().get_untracked()))
            .or_else(|| failed(self.revoke_session.value().get_untracked()))
            .or_else(|| failed(self.revoke_other_sessions.value().get_untracked()))
            .or_else(|| failed(self.revoke_user_sessions.value().get_untracked()))
            .or_else(|| failed(self.create_api_key.value().get_untracked()))
            .or_else(|| failed(self.revoke_api_key.value().get_untracked()))
            .or_else(|| failed(self.create_app.value().get_untracked()))
            .or_else(|| failed(self.delete_app.value().get_untracked()))
            .or_else(|| failed(self.revoke_authorized_app.value().get_untracked()))
            .or_else(|| failed(self.teams.value().get_untracked()))
            .or_else(|| failed(self.feature_permissions.value().get_untracked()))
            .or_else(|| failed(self.change_email.value().get_untracked()))
            .or_else(|| super::photo::upload_error().map(|error| error.status()))
            .or_else(|| failed(self.remove_photo.value().get_untracked()))
    }
}

/// The extra data of the section on screen, loaded.
pub enum SectionData {
    Nothing,
    Security(SecurityStatus),
    OwnSessions(MySessions),
    UserSessions(Vec<SessionRow>),
    Credentials(Credentials),
    Teams(UserTeams),
    FeaturePermissions(FeaturePermissionsView),
}

/// The resource behind [`SectionData`], when the section has one.
#[derive(Clone, Copy)]
pub enum SectionResources {
    Nothing,
    Security(Resource<Result<SecurityStatus, AuthError>>),
    OwnSessions(Resource<Result<MySessions, AuthError>>),
    UserSessions(Resource<Result<Vec<SessionRow>, ProfileError>>),
    Credentials(Resource<Result<Credentials, ProfileError>>),
    Teams(Resource<Result<UserTeams, ProfileError>>),
    FeaturePermissions(Resource<Result<FeaturePermissionsView, ProfileError>>),
}

impl SectionResources {
    pub fn new(section: Section, own: bool, user: Signal<String>, actions: SectionActions) -> Self {
        let key = move || (user.get(), actions.version());
        match section {
            Section::Security if own => {
                Self::Security(Resource::new(key, |_| get_security_status()))
            }
            Section::ActiveSessions if own => {
                Self::OwnSessions(Resource::new(key, |_| list_my_sessions()))
            }
            Section::ActiveSessions => {
                Self::UserSessions(Resource::new(key, |(user, _)| get_user_sessions(user)))
            }
            Section::ApiKeys | Section::AuthorizedApps | Section::MyApps => {
                Self::Credentials(Resource::new(key, |(user, _)| get_credentials(user)))
            }
            Section::Teams => Self::Teams(Resource::new(key, |(user, _)| get_user_teams(user))),
            Section::FeaturePermissions => {
                Self::FeaturePermissions(Resource::new(key, |(user, _)| {
                    get_feature_permissions(user)
                }))
            }
            _ => Self::Nothing,
        }
    }

    pub async fn load(self) -> Result<SectionData, ProfileError> {
        Ok(match self {
            Self::Nothing => SectionData::Nothing,
            Self::Security(status) => SectionData::Security(status.await.map_err(from_auth)?),
            Self::OwnSessions(mine) => SectionData::OwnSessions(mine.await.map_err(from_auth)?),
            Self::UserSessions(rows) => SectionData::UserSessions(rows.await?),
            Self::Credentials(credentials) => SectionData::Credentials(credentials.await?),
            Self::Teams(teams) => SectionData::Teams(teams.await?),
            Self::FeaturePermissions(permissions) => {
                SectionData::FeaturePermissions(permissions.await?)
            }
        })
    }
}

/// A sign-in error read as the profile's own.
fn from_auth(error: AuthError) -> ProfileError {
    match error {
        AuthError::SignInRequired => ProfileError::SignInRequired,
        other => ProfileError::BadRequest {
            message: other.to_string(),
            status: other.status(),
        },
    }
}
