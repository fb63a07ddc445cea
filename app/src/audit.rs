//! Audit events: who did what to whom, when and from where, written in the
//! same transaction as the change.

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::request::RequestInfo;

/// The kinds of event, and the name each is stored under.
macro_rules! actions {
    ($($(#[$doc:meta])* $variant:ident => $name:literal, $label:literal,)+) => {
        /// What happened. Stored as its name (`user.created`), which the
        /// log's readers and the tests query by.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Action {
            $($(#[$doc])* $variant,)+
        }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Action::$variant => $name,)+
                }
            }

            /// The kind of event in words, for the audit log's filter.
            pub fn label(self) -> &'static str {
                match self {
                    $(Action::$variant => $label,)+
                }
            }

            pub fn parse(name: &str) -> Option<Action> {
                Action::ALL.iter().copied().find(|action| action.as_str() == name)
            }
        }
    };
}

actions! {
    AccountCreated => "account.created", "Account created",
    InviteValidityChanged => "account.invite_validity_changed", "Invite validity changed",
    OwnershipTransferred => "account.ownership_transferred", "Ownership transferred",
    PlanChanged => "account.plan_changed", "Plan changed",
    RolePermissionsChanged => "account.role_permissions_changed", "Role permissions changed",
    TwoFactorRequirementChanged => "account.two_factor_required_changed", "Required two-factor changed",
    ApiKeyCreated => "api_key.created", "API key created",
    ApiKeyRegenerated => "api_key.regenerated", "API key regenerated",
    ApiKeyRevoked => "api_key.revoked", "API key revoked",
    ScimTokenCreated => "scim_token.created", "SCIM token created",
    ScimTokenRevoked => "scim_token.revoked", "SCIM token revoked",
    AuthorizedAppAllowed => "authorized_app.allowed", "App authorized",
    AuthorizedAppRevoked => "authorized_app.revoked", "App access revoked",
    InviteAccepted => "invite.accepted", "Invite accepted",
    InviteLinkCopied => "invite.link_copied", "Invite link copied",
    InviteResent => "invite.resent", "Invite email resent",
    InviteRevoked => "invite.revoked", "Invite revoked",
    InviteSent => "invite.sent", "Invite email sent",
    OAuthAppCreated => "oauth_app.created", "OAuth app created",
    OAuthAppDeleted => "oauth_app.deleted", "OAuth app deleted",
    PasswordReset => "password.reset", "Password reset",
    PasswordResetRequested => "password_reset.requested", "Password reset requested",
    PasswordResetRequestedByAdmin => "password_reset.requested_by_admin", "Password reset sent by an admin",
    AutoBccChanged => "profile.auto_bcc_changed", "Auto Bcc changed",
    EmailChanged => "profile.email_changed", "Email changed",
    InboxAccessChanged => "profile.inbox_access_changed", "Inbox access changed",
    NotificationsChanged => "profile.notifications_changed", "Notifications changed",
    PermissionsChanged => "profile.permissions_changed", "Permissions changed",
    PhotoChanged => "profile.photo_changed", "Photo changed",
    PhotoRemoved => "profile.photo_removed", "Photo removed",
    TeamsChanged => "profile.teams_changed", "Teams changed",
    ProfileUpdated => "profile.updated", "Profile updated",
    SessionRevoked => "session.revoked", "Session signed out",
    SessionsRevokedByAdmin => "sessions.revoked_by_admin", "Sessions signed out by an admin",
    OtherSessionsRevoked => "sessions.revoked_others", "Other sessions signed out",
    TeamCreated => "team.created", "Team created",
    /// By SCIM (the Teams page neither renames nor deletes).
    TeamRenamed => "team.renamed", "Team renamed",
    TeamDeleted => "team.deleted", "Team deleted",
    TeamMemberAdded => "team.member_added", "Added to a team",
    TeamMemberRemoved => "team.member_removed", "Removed from a team",
    TwoFactorCodesRefused => "two_factor.codes_refused", "Two-factor codes refused",
    TwoFactorDisabled => "two_factor.disabled", "Two-factor authentication turned off",
    TwoFactorEnabled => "two_factor.enabled", "Two-factor authentication turned on",
    RecoveryCodesReplaced => "two_factor.recovery_codes_replaced", "Recovery codes replaced",
    UserCreated => "user.created", "User created",
    UserDeleted => "user.deleted", "User deleted",
    UserDeactivated => "user.deactivated", "User deactivated",
    UserReactivated => "user.reactivated", "User reactivated",
    /// By the operator's `server restore-user`.
    UserRestored => "user.restored", "User restored",
    /// The deletion job moved the last of a deleted user's conversations.
    ConversationsMoved => "user.conversations_moved", "Conversations moved",
    UserLocked => "user.locked", "User locked out",
    RoleChanged => "user.role_changed", "Role changed",
    SignedIn => "user.signed_in", "Signed in",
}

pub struct AuditEvent {
    pub account_id: Uuid,
    pub actor: Option<Uuid>,
    pub target: Option<Uuid>,
    pub action: Action,
    pub details: serde_json::Value,
}

pub async fn record(
    conn: &mut PgConnection,
    event: AuditEvent,
    request: &RequestInfo,
    at: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query!(
        "INSERT INTO audit_events (account_id, actor_user_id, target_user_id, action, details, ip, request_id, occurred_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        event.account_id,
        event.actor,
        event.target,
        event.action.as_str(),
        event.details,
        request.stored_ip(),
        request.request_id,
        at,
    )
    .execute(conn)
    .await
    .with_context(|| format!("recording the audit event {}", event.action.as_str()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Action;

    #[test]
    fn every_action_has_its_own_dotted_name() {
        let mut names: Vec<&str> = Action::ALL.iter().map(|action| action.as_str()).collect();
        assert!(names.iter().all(|name| {
            let (area, verb) = name.split_once('.').unwrap_or_default();
            !area.is_empty()
                && !verb.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_' || b == b'.')
        }));
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len(), "two actions share a name");
    }
}
