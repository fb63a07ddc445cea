//! Audit events: who did what to whom, when and from where, written in the
//! same transaction as the change.

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::request::RequestInfo;

/// The kinds of event, and the name each is stored under.
macro_rules! actions {
    ($($(#[$doc:meta])* $variant:ident => $name:literal,)+) => {
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
        }
    };
}

actions! {
    AccountCreated => "account.created",
    InviteValidityChanged => "account.invite_validity_changed",
    OwnershipTransferred => "account.ownership_transferred",
    PlanChanged => "account.plan_changed",
    RolePermissionsChanged => "account.role_permissions_changed",
    ApiKeyCreated => "api_key.created",
    ApiKeyRegenerated => "api_key.regenerated",
    ApiKeyRevoked => "api_key.revoked",
    ScimTokenCreated => "scim_token.created",
    ScimTokenRevoked => "scim_token.revoked",
    AuthorizedAppAllowed => "authorized_app.allowed",
    AuthorizedAppRevoked => "authorized_app.revoked",
    InviteAccepted => "invite.accepted",
    InviteResent => "invite.resent",
    InviteSent => "invite.sent",
    OAuthAppCreated => "oauth_app.created",
    OAuthAppDeleted => "oauth_app.deleted",
    PasswordReset => "password.reset",
    PasswordResetRequested => "password_reset.requested",
    PasswordResetRequestedByAdmin => "password_reset.requested_by_admin",
    AutoBccChanged => "profile.auto_bcc_changed",
    EmailChanged => "profile.email_changed",
    InboxAccessChanged => "profile.inbox_access_changed",
    NotificationsChanged => "profile.notifications_changed",
    PermissionsChanged => "profile.permissions_changed",
    PhotoChanged => "profile.photo_changed",
    PhotoRemoved => "profile.photo_removed",
    TeamsChanged => "profile.teams_changed",
    ProfileUpdated => "profile.updated",
    SessionRevoked => "session.revoked",
    SessionsRevokedByAdmin => "sessions.revoked_by_admin",
    OtherSessionsRevoked => "sessions.revoked_others",
    TeamCreated => "team.created",
    /// By SCIM (the Teams page neither renames nor deletes).
    TeamRenamed => "team.renamed",
    TeamDeleted => "team.deleted",
    TeamMemberAdded => "team.member_added",
    TeamMemberRemoved => "team.member_removed",
    TwoFactorCodesRefused => "two_factor.codes_refused",
    TwoFactorDisabled => "two_factor.disabled",
    TwoFactorEnabled => "two_factor.enabled",
    RecoveryCodesReplaced => "two_factor.recovery_codes_replaced",
    UserCreated => "user.created",
    UserDeleted => "user.deleted",
    UserDeactivated => "user.deactivated",
    UserReactivated => "user.reactivated",
    /// By the operator's `server restore-user`.
    UserRestored => "user.restored",
    /// The deletion job moved the last of a deleted user's conversations.
    ConversationsMoved => "user.conversations_moved",
    UserLocked => "user.locked",
    RoleChanged => "user.role_changed",
    SignedIn => "user.signed_in",
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
