use super::section_screen::{SectionScreen, SectionView};

/// A section of the profile, each at its own address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Profile,
    Security,
    ApiKeys,
    AuthorizedApps,
    ActiveSessions,
    Role,
    FeaturePermissions,
    InboxAccess,
    Teams,
    Notifications,
    AutoBcc,
    MyApps,
}

/// The side navigation's groups, as the help desk groups them.
pub const NAV_GROUPS: [(Option<&str>, &[Section]); 4] = [
    (None, &[Section::Profile]),
    (
        Some("Authentication"),
        &[
            Section::Security,
            Section::ApiKeys,
            Section::AuthorizedApps,
            Section::ActiveSessions,
        ],
    ),
    (
        Some("Permissions"),
        &[
            Section::Role,
            Section::FeaturePermissions,
            Section::InboxAccess,
            Section::Teams,
        ],
    ),
    (
        None,
        &[Section::Notifications, Section::AutoBcc, Section::MyApps],
    ),
];

impl Section {
    pub const ALL: [Section; 12] = [
        Section::Profile,
        Section::Security,
        Section::ApiKeys,
        Section::AuthorizedApps,
        Section::ActiveSessions,
        Section::Role,
        Section::FeaturePermissions,
        Section::InboxAccess,
        Section::Teams,
        Section::Notifications,
        Section::AutoBcc,
        Section::MyApps,
    ];

    pub fn from_segment(segment: &str) -> Option<Section> {
        Section::ALL
            .into_iter()
            .find(|section| section.segment() == segment)
    }

    /// The last segment of the section's path.
    pub fn segment(self) -> &'static str {
        match self {
            Section::Profile => "profile",
            Section::Security => "security",
            Section::ApiKeys => "api-keys",
            Section::AuthorizedApps => "authorized-apps",
            Section::ActiveSessions => "active-sessions",
            Section::Role => "role",
            Section::FeaturePermissions => "feature-permissions",
            Section::InboxAccess => "inbox-access",
            Section::Teams => "teams",
            Section::Notifications => "notifications",
            Section::AutoBcc => "auto-bcc",
            Section::MyApps => "my-apps",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Section::Profile => "Profile",
            Section::Security => "Security",
            Section::ApiKeys => "API Keys",
            Section::AuthorizedApps => "Authorized Apps",
            Section::ActiveSessions => "Active Sessions",
            Section::Role => "Role",
            Section::FeaturePermissions => "Feature Permissions",
            Section::InboxAccess => "Inbox Access",
            Section::Teams => "Teams",
            Section::Notifications => "Notifications",
            Section::AutoBcc => "Auto Bcc",
            Section::MyApps => "My Apps",
        }
    }

    /// Whether the section is there for this viewer: permissions are set by
    /// an admin for someone else, never by people for themselves.
    pub fn shown(self, own_profile: bool) -> bool {
        !(own_profile
            && matches!(
                self,
                Section::Role | Section::FeaturePermissions | Section::InboxAccess | Section::Teams
            ))
    }

    /// Makes the section for a screen: its actions and the data it loads,
    /// and how it is drawn.
    pub(super) fn make(self, screen: SectionScreen) -> SectionView {
        use super::*;
        match self {
            Section::Profile => profile_section::section(screen),
            Section::Security => security::section(screen),
            Section::ApiKeys => api_keys::section(screen),
            Section::AuthorizedApps => authorized_apps::section(screen),
            Section::ActiveSessions => active_sessions::section(screen),
            Section::Role => role::section(screen),
            Section::FeaturePermissions => feature_permissions::section(screen),
            Section::InboxAccess => inbox_access::section(screen),
            Section::Teams => teams::section(screen),
            Section::Notifications => notifications::section(screen),
            Section::AutoBcc => auto_bcc::section(screen),
            Section::MyApps => my_apps::section(screen),
        }
    }
}
