//! The notice Manage > Users shows after an action: which action (`done`
//! in the address) about whom (`user`).

/// The action a notice reports. Any other `done` value shows no notice and
/// never reaches the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Done {
    Added,
    Invited,
    InviteRevoked,
    /// A new invite link was copied (shown by `invite_link` while kept).
    LinkCopied,
    Reset,
    Deleted,
    Deactivated,
    Reactivated,
}

impl Done {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "added" => Some(Done::Added),
            "invited" => Some(Done::Invited),
            "invite_revoked" => Some(Done::InviteRevoked),
            "link_copied" => Some(Done::LinkCopied),
            "reset" => Some(Done::Reset),
            "deleted" => Some(Done::Deleted),
            "deactivated" => Some(Done::Deactivated),
            "reactivated" => Some(Done::Reactivated),
            _ => None,
        }
    }

    /// What the notice says about `name`; `invited` tells whether they have
    /// been sent an invite email.
    pub fn notice(self, name: &str, invited: bool) -> String {
        match self {
            Done::Added if invited => format!("{name} was added. An invite email is on its way."),
            Done::Added => format!("{name} was added. Send them an invite email when you're ready: they can't sign in until they accept it."),
            Done::Invited => format!("An invite email is on its way to {name}. Any earlier invite link no longer works."),
            Done::InviteRevoked => format!("{name}'s invite link no longer works. Send a new invite email when you're ready."),
            // Shown when the link itself no longer is (see `invite_link::kept`).
            Done::LinkCopied => format!("A new invite link was made for {name}, and their earlier link no longer works. The link is shown only in the browser that made it, for 10 minutes: use Copy invite link again for a new one."),
            Done::Reset => format!("We've emailed {name} a link to reset their password."),
            Done::Deleted => format!("{name} was deleted. Their conversations are being moved in the background."),
            Done::Deactivated => format!("{name} was deactivated. They can't sign in and no longer count toward billing. Tick Show deactivated users to find them."),
            Done::Reactivated => format!("{name} was reactivated and can sign in again."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_known_actions_select_a_notice() {
        for (raw, done) in [
            ("added", Done::Added),
            ("invited", Done::Invited),
            ("invite_revoked", Done::InviteRevoked),
            ("link_copied", Done::LinkCopied),
            ("reset", Done::Reset),
            ("deleted", Done::Deleted),
            ("deactivated", Done::Deactivated),
            ("reactivated", Done::Reactivated),
        ] {
            assert_eq!(Done::parse(raw), Some(done));
        }
        for raw in ["", "\0", "x\0y", "Added", "deleted ", "' OR 1=1 --"] {
            assert_eq!(Done::parse(raw), None, "{raw:?}");
        }
    }
}
