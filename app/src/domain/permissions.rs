//! Feature permissions: what a user may do beyond their role's basics. Each
//! role has defaults (built in, or the account's own on Plus and Pro); on
//! Plus and Pro a user may instead have a custom set. Billing is the
//! Owner's alone, whatever is stored.

use serde::{Deserialize, Serialize};

use super::{Plan, Role, ValidationError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Permission {
    DeleteConversations,
    EditOthersReplies,
    ManageSavedReplies,
    ManageTags,
    ManageWorkflows,
    ManageCustomFields,
    ViewReports,
    ManageBeaconsAndMessages,
    ManageBilling,
}

impl Permission {
    pub const ALL: [Permission; 9] = [
        Permission::DeleteConversations,
        Permission::EditOthersReplies,
        Permission::ManageSavedReplies,
        Permission::ManageTags,
        Permission::ManageWorkflows,
        Permission::ManageCustomFields,
        Permission::ViewReports,
        Permission::ManageBeaconsAndMessages,
        Permission::ManageBilling,
    ];

    /// The ones that can be given to anyone but the Owner.
    pub fn grantable() -> impl Iterator<Item = Permission> {
        Permission::ALL
            .into_iter()
            .filter(|p| *p != Permission::ManageBilling)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::DeleteConversations => "delete_conversations",
            Permission::EditOthersReplies => "edit_others_replies",
            Permission::ManageSavedReplies => "manage_saved_replies",
            Permission::ManageTags => "manage_tags",
            Permission::ManageWorkflows => "manage_workflows",
            Permission::ManageCustomFields => "manage_custom_fields",
            Permission::ViewReports => "view_reports",
            Permission::ManageBeaconsAndMessages => "manage_beacons_and_messages",
            Permission::ManageBilling => "manage_billing",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Permission::DeleteConversations => "Delete conversations",
            Permission::EditOthersReplies => "Edit or delete notes and replies of others",
            Permission::ManageSavedReplies => "Manage saved replies",
            Permission::ManageTags => "Manage tags",
            Permission::ManageWorkflows => "Manage workflows",
            Permission::ManageCustomFields => "Manage custom fields",
            Permission::ViewReports => "View and export reports",
            Permission::ManageBeaconsAndMessages => "Manage Beacons and Messages",
            Permission::ManageBilling => "Manage billing",
        }
    }

    pub fn from_stored(raw: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.as_str() == raw)
    }

    /// Permissions ticked on a form: known, grantable, each once, in order.
    pub fn parse_set(raw: &[String]) -> Result<Vec<Permission>, ValidationError> {
        let mut set = Vec::new();
        for value in raw {
            match Permission::from_stored(value.trim()) {
                Some(Permission::ManageBilling) => {
                    return Err(ValidationError::new(
                        "Billing stays with the Account Owner.",
                    ))
                }
                Some(permission) => set.push(permission),
                None => return Err(ValidationError::new("Choose permissions from the list.")),
            }
        }
        set.sort();
        set.dedup();
        Ok(set)
    }

    /// Reads a stored set, dropping anything unknown (never failing a page).
    pub fn from_stored_set(raw: &[String]) -> Vec<Permission> {
        let mut set: Vec<Permission> = raw
            .iter()
            .filter_map(|r| Permission::from_stored(r))
            .collect();
        set.sort();
        set.dedup();
        set
    }

    pub fn stored_set(set: &[Permission]) -> Vec<String> {
        set.iter().map(|p| p.as_str().to_owned()).collect()
    }
}

/// The built-in defaults of a role.
pub fn built_in_defaults(role: Role) -> Vec<Permission> {
    match role {
        Role::Owner => Permission::ALL.to_vec(),
        Role::Administrator => Permission::grantable().collect(),
        Role::User => vec![
            Permission::ManageSavedReplies,
            Permission::ManageTags,
            Permission::ViewReports,
        ],
        Role::LightUser => Vec::new(),
    }
}

/// What a user may do: the Owner everything; on Plus and Pro a custom set
/// if they have one, else the account's defaults for the role; on Standard
/// the built-in defaults. Never billing but for the Owner.
pub fn effective(
    role: Role,
    plan: Plan,
    account_defaults: Option<Vec<Permission>>,
    custom: Option<Vec<Permission>>,
) -> Vec<Permission> {
    if role == Role::Owner {
        return Permission::ALL.to_vec();
    }
    let chosen = if plan.allows_feature_permissions() {
        custom
            .or(account_defaults)
            .unwrap_or_else(|| built_in_defaults(role))
    } else {
        built_in_defaults(role)
    };
    chosen
        .into_iter()
        .filter(|p| *p != Permission::ManageBilling)
        .collect()
}

/// Why a user has a permission, or lacks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Because {
    /// The Account Owner has every permission.
    AccountOwner,
    /// Billing stays with the Account Owner, whatever is stored.
    AccountOwnerOnly,
    /// Their role's defaults (built in, or the account's own) decide.
    RoleDefault(Role),
    /// Their own custom set decides.
    Custom,
    /// Only the Plus and Pro plans can give it beyond the role's built-in
    /// defaults.
    NeedsPlus,
}

impl Because {
    pub fn describe(self) -> String {
        match self {
            Because::AccountOwner => "Account Owner".to_owned(),
            Because::AccountOwnerOnly => "Account Owner only".to_owned(),
            Because::RoleDefault(role) => format!("Role default: {}", role.label()),
            Because::Custom => "Custom".to_owned(),
            Because::NeedsPlus => "Needs the Plus plan".to_owned(),
        }
    }
}

/// One permission as a user has it (or not), and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explained {
    pub permission: Permission,
    pub granted: bool,
    pub because: Because,
}

/// Every permission, whether the user has it ([`effective`]'s answer) and
/// why, in [`Permission::ALL`]'s order.
pub fn explain(
    role: Role,
    plan: Plan,
    account_defaults: Option<Vec<Permission>>,
    custom: Option<Vec<Permission>>,
) -> Vec<Explained> {
    let custom = custom.filter(|_| plan.allows_feature_permissions());
    let is_custom = custom.is_some();
    let granted = effective(role, plan, account_defaults, custom);
    Permission::ALL
        .into_iter()
        .map(|permission| {
            let has = granted.contains(&permission);
            let because = match (role, permission) {
                (Role::Owner, _) => Because::AccountOwner,
                (_, Permission::ManageBilling) => Because::AccountOwnerOnly,
                _ if is_custom => Because::Custom,
                _ if !has && !plan.allows_feature_permissions() => Because::NeedsPlus,
                _ => Because::RoleDefault(role),
            };
            Explained {
                permission,
                granted: has,
                because,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_permission_says_why() {
        let why = |role,
                   plan,
                   defaults: Option<Vec<Permission>>,
                   custom: Option<Vec<Permission>>,
                   p: Permission| {
            explain(role, plan, defaults, custom)
                .into_iter()
                .find(|e| e.permission == p)
                .map(|e| (e.granted, e.because.describe()))
                .unwrap()
        };
        assert_eq!(
            why(
                Role::Owner,
                Plan::Standard,
                None,
                None,
                Permission::ManageBilling
            ),
            (true, "Account Owner".to_owned())
        );
        assert_eq!(
            why(
                Role::Administrator,
                Plan::Pro,
                None,
                None,
                Permission::ManageBilling
            ),
            (false, "Account Owner only".to_owned())
        );
        assert_eq!(
            why(
                Role::Administrator,
                Plan::Standard,
                None,
                None,
                Permission::ManageWorkflows
            ),
            (true, "Role default: Administrator".to_owned())
        );
        assert_eq!(
            why(
                Role::User,
                Plan::Standard,
                None,
                Some(vec![Permission::ManageWorkflows]),
                Permission::ManageWorkflows
            ),
            (false, "Needs the Plus plan".to_owned()),
            "a custom set kept from a higher plan does not apply"
        );
        assert_eq!(
            why(
                Role::User,
                Plan::Plus,
                None,
                Some(vec![Permission::ManageWorkflows]),
                Permission::ManageWorkflows
            ),
            (true, "Custom".to_owned())
        );
        assert_eq!(
            why(
                Role::User,
                Plan::Plus,
                None,
                Some(vec![]),
                Permission::ManageTags
            ),
            (false, "Custom".to_owned())
        );
        assert_eq!(
            why(
                Role::User,
                Plan::Plus,
                Some(vec![]),
                None,
                Permission::ManageTags
            ),
            (false, "Role default: User".to_owned())
        );
        // The answers are `effective`'s.
        for plan in [Plan::Standard, Plan::Plus] {
            let explained = explain(Role::User, plan, None, None);
            let granted: Vec<Permission> = explained
                .iter()
                .filter(|e| e.granted)
                .map(|e| e.permission)
                .collect();
            assert_eq!(granted, effective(Role::User, plan, None, None));
        }
    }

    #[test]
    fn billing_is_the_owners_alone() {
        let everything = Some(Permission::ALL.to_vec());
        for role in [Role::Administrator, Role::User, Role::LightUser] {
            let granted = effective(role, Plan::Pro, everything.clone(), everything.clone());
            assert!(!granted.contains(&Permission::ManageBilling), "{role:?}");
        }
        assert!(effective(Role::Owner, Plan::Standard, None, Some(vec![]))
            .contains(&Permission::ManageBilling));
        assert!(Permission::parse_set(&["manage_billing".into()]).is_err());
    }

    #[test]
    fn custom_beats_account_defaults_beats_built_in_but_only_on_plus_and_pro() {
        let custom = Some(vec![Permission::ManageTags]);
        let defaults = Some(vec![Permission::DeleteConversations]);
        assert_eq!(
            effective(Role::User, Plan::Plus, defaults.clone(), custom.clone()),
            vec![Permission::ManageTags]
        );
        assert_eq!(
            effective(Role::User, Plan::Plus, defaults.clone(), None),
            vec![Permission::DeleteConversations]
        );
        assert_eq!(
            effective(Role::User, Plan::Pro, None, None),
            built_in_defaults(Role::User)
        );
        assert_eq!(
            effective(Role::User, Plan::Standard, defaults, custom),
            built_in_defaults(Role::User)
        );
        assert!(effective(Role::LightUser, Plan::Standard, None, None).is_empty());
    }

    #[test]
    fn forms_parse_to_a_sorted_set_of_known_permissions() {
        let raw = vec![
            "manage_tags".to_owned(),
            "delete_conversations".into(),
            "manage_tags".into(),
        ];
        assert_eq!(
            Permission::parse_set(&raw),
            Ok(vec![
                Permission::DeleteConversations,
                Permission::ManageTags
            ])
        );
        assert!(Permission::parse_set(&["sudo".into()]).is_err());
        for p in Permission::ALL {
            assert_eq!(Permission::from_stored(p.as_str()), Some(p));
        }
    }
}
