//! Each event in words: "Ada Lovelace changed Grace Hopper's role from User
//! to Administrator". The words come from what the event recorded, so an
//! event reads the same however much later it is shown.

use serde_json::Value;

use super::store::EventRow;
use crate::{
    audit::Action,
    domain::{Plan, Role, TwoFactorRoles},
};

/// Who acted when no person did: the deletion job, the operator's commands.
const ROSTER: &str = "Roster";

pub struct Words<'a> {
    row: &'a EventRow,
    action: Option<Action>,
}

impl<'a> Words<'a> {
    pub fn of(row: &'a EventRow) -> Self {
        Self {
            row,
            action: Action::parse(&row.action),
        }
    }

    /// The kind of event in words; an event of a kind this build does not
    /// know shows its stored name.
    pub fn kind(&self) -> &'a str {
        match self.action {
            Some(action) => action.label(),
            None => &self.row.action,
        }
    }

    pub fn actor(&self) -> &'a str {
        self.row.actor_name.as_deref().unwrap_or(ROSTER)
    }

    pub fn target(&self) -> &'a str {
        self.row.target_name.as_deref().unwrap_or("")
    }

    pub fn sentence(&self) -> String {
        let via = match self.text("via") {
            Some("scim") => " (by SCIM provisioning)",
            _ => "",
        };
        format!("{}{via}", self.said())
    }

    fn said(&self) -> String {
        let a = self.actor();
        let t = self.target_or("someone");
        let whose = self.whose();
        let old = self.text("old").unwrap_or("");
        let new = self.text("new").unwrap_or("");
        let name = self.text("name").unwrap_or("");
        let for_whom = self.for_whom();
        let Some(action) = self.action else {
            return format!("{a}: {}", self.row.action);
        };
        match action {
            Action::AccountCreated => format!(
                "{a} created the account {}",
                self.text("account_name").unwrap_or("")
            ),
            Action::InviteValidityChanged => format!(
                "{a} changed how long invite links last from {} to {} days",
                self.number("old"),
                self.number("new")
            ),
            Action::OwnershipTransferred => format!("{a} made {t} the Account Owner"),
            Action::PlanChanged => {
                format!("{a} changed the plan from {} to {}", plan(old), plan(new))
            }
            Action::RolePermissionsChanged => format!(
                "{a} changed the default permissions of the {} role",
                role(self.text("role").unwrap_or(""))
            ),
            Action::TwoFactorRequirementChanged => {
                let roles = self.roles("new");
                if roles.is_empty() {
                    format!("{a} stopped requiring two-factor authentication")
                } else {
                    format!("{a} required two-factor authentication for {}", roles.describe())
                }
            }
            Action::ApiKeyCreated => format!("{a} created an API key{for_whom}"),
            Action::ApiKeyRegenerated => format!("{a} regenerated {whose} API key"),
            Action::ApiKeyRevoked => format!("{a} revoked {whose} API key"),
            Action::ScimTokenCreated => format!("{a} created a SCIM token"),
            Action::ScimTokenRevoked => format!("{a} revoked a SCIM token"),
            Action::AuthorizedAppAllowed => format!("{a} authorized the app {name}"),
            Action::AuthorizedAppRevoked => {
                format!("{a} revoked {whose} access for the app {name}")
            }
            Action::InviteAccepted => format!("{t} accepted their invite"),
            Action::InviteLinkCopied => format!("{a} copied a new invite link for {t}"),
            Action::InviteResent => format!("{a} resent {t}'s invite email"),
            Action::InviteRevoked => format!("{a} revoked {t}'s invite link"),
            Action::InviteSent => format!("{a} sent {t} an invite email"),
            Action::OAuthAppCreated => format!("{a} created the OAuth app {name}"),
            Action::OAuthAppDeleted => format!("{a} deleted the OAuth app {name}"),
            Action::PasswordReset => format!("{t} set a new password with a reset link"),
            Action::PasswordResetRequested => format!("{t} asked for a password reset email"),
            Action::PasswordResetRequestedByAdmin => {
                format!("{a} sent {t} a password reset email")
            }
            Action::AutoBccChanged => format!("{a} changed {whose} Auto Bcc address"),
            Action::EmailChanged => format!("{a} changed {whose} email from {old} to {new}"),
            Action::InboxAccessChanged => format!("{a} changed {whose} inbox access"),
            Action::NotificationsChanged => format!("{a} changed {whose} notifications"),
            Action::PermissionsChanged => format!("{a} changed {whose} feature permissions"),
            Action::PhotoChanged => format!("{a} changed {whose} photo"),
            Action::PhotoRemoved => format!("{a} removed {whose} photo"),
            Action::TeamsChanged => format!("{a} changed {whose} teams"),
            Action::ProfileUpdated => match self.fields_changed() {
                fields if fields.is_empty() => format!("{a} updated {whose} profile"),
                fields => format!("{a} changed {whose} {fields}"),
            },
            Action::SessionRevoked => format!("{a} signed out one of their sessions"),
            Action::OtherSessionsRevoked => format!("{a} signed out their other sessions"),
            Action::SessionsRevokedByAdmin => format!("{a} signed {t} out of every session"),
            Action::TeamCreated => format!("{a} created the team {name}"),
            Action::TeamRenamed => format!("{a} renamed the team {old} to {name}"),
            Action::TeamDeleted => format!("{a} deleted the team {name}"),
            Action::TeamMemberAdded => format!("{a} added {t} to the team {name}"),
            Action::TeamMemberRemoved => format!("{a} removed {t} from the team {name}"),
            Action::TwoFactorCodesRefused => format!(
                "{t} entered {} wrong two-factor codes in a row",
                self.number("code_failures")
            ),
            Action::TwoFactorDisabled => {
                format!("{a} turned off two-factor authentication{for_whom}")
            }
            Action::TwoFactorEnabled => format!("{a} turned on two-factor authentication"),
            Action::RecoveryCodesReplaced => format!("{a} replaced {whose} recovery codes"),
            Action::UserCreated => format!(
                "{a} added {t} as {}",
                article(role(self.text("role").unwrap_or("user")))
            ),
            Action::UserDeleted => format!("{a} deleted {t}"),
            Action::UserDeactivated => format!("{a} deactivated {t}"),
            Action::UserReactivated => format!("{a} reactivated {t}"),
            Action::UserRestored => format!("{a} restored {t}, at the operator's command"),
            Action::ConversationsMoved if self.flag("light_user") => format!(
                "{a} finished unassigning {t}'s open conversations ({}), as they became a Light User",
                self.number("conversations")
            ),
            Action::ConversationsMoved => format!(
                "{a} finished moving {t}'s conversations ({})",
                self.number("conversations")
            ),
            Action::UserLocked => format!(
                "{t} was locked out after {} failed sign-in attempts",
                self.number("failed_login_attempts")
            ),
            Action::RoleChanged => {
                format!("{a} changed {t}'s role from {} to {}", role(old), role(new))
            }
            Action::SignedIn if self.row.details.get("two_factor") == Some(&Value::Bool(true)) => {
                format!("{a} signed in with two-factor authentication")
            }
            Action::SignedIn => format!("{a} signed in"),
        }
    }

    fn acted_on_self(&self) -> bool {
        self.row.target_user_id.is_some() && self.row.target_user_id == self.row.actor_user_id
    }

    fn target_or(&self, nobody: &'a str) -> &'a str {
        self.row.target_name.as_deref().unwrap_or(nobody)
    }

    /// "their" when people act on themselves, else "Grace Hopper's".
    fn whose(&self) -> String {
        if self.acted_on_self() {
            "their".to_owned()
        } else {
            format!("{}'s", self.target_or("someone"))
        }
    }

    /// " for Grace Hopper" when the event was about someone else.
    fn for_whom(&self) -> String {
        match &self.row.target_name {
            Some(name) if !self.acted_on_self() => format!(" for {name}"),
            _ => String::new(),
        }
    }

    fn text(&self, key: &str) -> Option<&'a str> {
        self.row.details.get(key).and_then(Value::as_str)
    }

    /// A stored set of roles, such as Company > Security's.
    fn roles(&self, key: &str) -> TwoFactorRoles {
        let stored: Vec<String> = match self.row.details.get(key) {
            Some(Value::Array(values)) => values
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        TwoFactorRoles::from_stored(&stored)
    }

    fn flag(&self, key: &str) -> bool {
        self.row.details.get(key).and_then(Value::as_bool) == Some(true)
    }

    fn number(&self, key: &str) -> String {
        match self.row.details.get(key) {
            Some(Value::Number(number)) => number.to_string(),
            _ => "some".to_owned(),
        }
    }

    /// "name and job title": the profile fields a save changed.
    fn fields_changed(&self) -> String {
        let Value::Object(fields) = &self.row.details else {
            return String::new();
        };
        let names: Vec<String> = fields
            .keys()
            .filter(|key| *key != "via")
            .map(|key| key.replace('_', " "))
            .collect();
        match names.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        }
    }
}

fn role(stored: &str) -> &str {
    match Role::parse(stored) {
        Ok(role) => role.label(),
        Err(_) => stored,
    }
}

fn plan(stored: &str) -> &str {
    match Plan::parse(stored) {
        Ok(plan) => plan.label(),
        Err(_) => stored,
    }
}

/// "an Administrator", "a User": the roles' names start with a vowel sound
/// exactly when they start with A, E, I or O.
fn article(noun: &str) -> String {
    let vowel = noun
        .chars()
        .next()
        .is_some_and(|first| "AEIO".contains(first));
    format!("{} {noun}", if vowel { "an" } else { "a" })
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use serde_json::json;
    use uuid::Uuid;

    use super::*;

    fn row(
        action: Action,
        details: Value,
        actor: Option<(Uuid, &str)>,
        target: Option<(Uuid, &str)>,
    ) -> EventRow {
        EventRow {
            id: 1,
            action: action.as_str().to_owned(),
            details,
            ip: String::new(),
            request_id: String::new(),
            occurred_at: Utc::now(),
            actor_user_id: actor.map(|(id, _)| id),
            actor_name: actor.map(|(_, name)| name.to_owned()),
            actor_email: None,
            target_user_id: target.map(|(id, _)| id),
            target_name: target.map(|(_, name)| name.to_owned()),
            target_email: None,
        }
    }

    #[test]
    fn says_who_did_what_to_whom() {
        let ada = (Uuid::new_v4(), "Ada Lovelace");
        let grace = (Uuid::new_v4(), "Grace Hopper");
        let said = |action, details, actor, target| {
            Words::of(&row(action, details, actor, target)).sentence()
        };
        assert_eq!(
            said(
                Action::RoleChanged,
                json!({"old": "user", "new": "administrator"}),
                Some(ada),
                Some(grace)
            ),
            "Ada Lovelace changed Grace Hopper's role from User to Administrator"
        );
        assert_eq!(
            said(
                Action::UserCreated,
                json!({"role": "administrator"}),
                Some(ada),
                Some(grace)
            ),
            "Ada Lovelace added Grace Hopper as an Administrator"
        );
        assert_eq!(
            said(
                Action::ProfileUpdated,
                json!({"name": {}, "job_title": {}, "phone": {}}),
                Some(grace),
                Some(grace)
            ),
            "Grace Hopper changed their job title, name and phone"
        );
        assert_eq!(
            said(Action::ApiKeyCreated, json!({}), Some(ada), Some(grace)),
            "Ada Lovelace created an API key for Grace Hopper"
        );
        assert_eq!(
            said(
                Action::UserCreated,
                json!({"role": "user", "via": "scim"}),
                Some(ada),
                Some(grace)
            ),
            "Ada Lovelace added Grace Hopper as a User (by SCIM provisioning)"
        );
        assert_eq!(
            said(
                Action::ConversationsMoved,
                json!({"conversations": 12}),
                None,
                Some(grace)
            ),
            "Roster finished moving Grace Hopper's conversations (12)"
        );
        assert_eq!(
            said(
                Action::TwoFactorRequirementChanged,
                json!({"old": [], "new": ["user", "administrator"]}),
                Some(ada),
                None
            ),
            "Ada Lovelace required two-factor authentication for Administrators and Users"
        );
        assert_eq!(
            said(
                Action::TwoFactorRequirementChanged,
                json!({"old": ["user"], "new": []}),
                Some(ada),
                None
            ),
            "Ada Lovelace stopped requiring two-factor authentication"
        );
        assert_eq!(
            said(
                Action::ConversationsMoved,
                json!({"conversations": 3, "light_user": true}),
                None,
                Some(grace)
            ),
            "Roster finished unassigning Grace Hopper's open conversations (3), as they became a Light User"
        );
        assert_eq!(
            said(Action::InviteLinkCopied, json!({}), Some(ada), Some(grace)),
            "Ada Lovelace copied a new invite link for Grace Hopper"
        );
    }

    #[test]
    fn an_unknown_kind_still_reads() {
        let mut event = row(Action::SignedIn, json!({}), None, None);
        event.action = "future.thing".to_owned();
        let words = Words::of(&event);
        assert_eq!(words.kind(), "future.thing");
        assert_eq!(words.sentence(), "Roster: future.thing");
    }
}
