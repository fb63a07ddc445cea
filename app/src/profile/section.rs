/// A section of the profile, each at its own address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Profile,
    Security,
    Role,
    InboxAccess,
    Notifications,
    AutoBcc,
}

impl Section {
    /// The last segment of the section's path.
    pub fn segment(self) -> &'static str {
        match self {
            Section::Profile => "profile",
            Section::Security => "security",
            Section::Role => "role",
            Section::InboxAccess => "inbox-access",
            Section::Notifications => "notifications",
            Section::AutoBcc => "auto-bcc",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Section::Profile => "Profile",
            Section::Security => "Security",
            Section::Role => "Role",
            Section::InboxAccess => "Inbox Access",
            Section::Notifications => "Notifications",
            Section::AutoBcc => "Auto Bcc",
        }
    }
}
