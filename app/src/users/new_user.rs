use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::{Email, FieldErrors, PersonName, Plan, Role, ValidationError};

/// At most this many inboxes in one Add User form (an account has far fewer).
const MAX_INBOXES: usize = 500;

/// What the Add User dialog sends, as typed.
pub struct NewUserForm<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub role: &'a str,
    pub inboxes: &'a [String],
    /// A checkbox: present ("on") when ticked.
    pub send_invite: &'a str,
}

/// A user an Owner or Administrator may create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewUser {
    pub name: PersonName,
    pub email: Email,
    pub role: Role,
    /// Distinct; whether each belongs to the account is the server's check.
    pub inboxes: Vec<Uuid>,
    pub send_invite: bool,
}

impl NewUser {
    pub fn parse(form: &NewUserForm<'_>, plan: Plan) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", PersonName::parse(form.name));
        let email = errors.check("email", Email::parse(form.email));
        let role = errors.check("role", assignable_role(form.role, plan));
        let inboxes = errors.check("inboxes", parse_inboxes(form.inboxes));
        match (name, email, role, inboxes) {
            (Some(name), Some(email), Some(role), Some(inboxes)) if errors.is_empty() => Ok(Self {
                name,
                email,
                role,
                inboxes,
                send_invite: !form.send_invite.is_empty(),
            }),
            _ => Err(errors),
        }
    }
}

/// The roles Add User offers: never Owner (there is one, transferred
/// elsewhere); Light User only on Plus and Pro.
pub fn assignable_roles(plan: Plan) -> Vec<Role> {
    let mut roles = vec![Role::Administrator, Role::User];
    if plan.allows_light_users() {
        roles.push(Role::LightUser);
    }
    roles
}

pub fn assignable_role(raw: &str, plan: Plan) -> Result<Role, ValidationError> {
    match Role::parse(raw.trim()) {
        Ok(Role::LightUser) if !plan.allows_light_users() => Err(ValidationError::new(
            "Light Users are available on the Plus and Pro plans.",
        )),
        Ok(role) if assignable_roles(plan).contains(&role) => Ok(role),
        _ => Err(ValidationError::new("Choose a role from the list.")),
    }
}

fn parse_inboxes(raw: &[String]) -> Result<Vec<Uuid>, ValidationError> {
    if raw.len() > MAX_INBOXES {
        return Err(ValidationError::new("Choose inboxes from the list."));
    }
    let mut inboxes = Vec::with_capacity(raw.len());
    for value in raw {
        let id = Uuid::parse_str(value.trim())
            .map_err(|_| ValidationError::new("Choose inboxes from the list."))?;
        if !inboxes.contains(&id) {
            inboxes.push(id);
        }
    }
    Ok(inboxes)
}

/// An inbox Add User offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxChoice {
    pub id: Uuid,
    pub name: String,
    pub email: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form<'a>(role: &'a str, inboxes: &'a [String]) -> NewUserForm<'a> {
        NewUserForm {
            name: " Ada Lovelace ",
            email: "Ada@Example.com",
            role,
            inboxes,
            send_invite: "on",
        }
    }

    #[test]
    fn parses_a_valid_form() {
        let inbox = Uuid::new_v4();
        let ids = vec![inbox.to_string(), inbox.to_string()];
        let user = NewUser::parse(&form("user", &ids), Plan::Standard).unwrap();
        assert_eq!(user.name.as_str(), "Ada Lovelace");
        assert_eq!(user.role, Role::User);
        assert_eq!(user.inboxes, vec![inbox]);
        assert!(user.send_invite);
    }

    #[test]
    fn an_unticked_invite_box_is_absent() {
        let mut unticked = form("administrator", &[]);
        unticked.send_invite = "";
        assert!(
            !NewUser::parse(&unticked, Plan::Standard)
                .unwrap()
                .send_invite
        );
    }

    #[test]
    fn owner_is_never_offered_and_light_user_needs_plus() {
        let owner = NewUser::parse(&form("owner", &[]), Plan::Pro).unwrap_err();
        assert_eq!(owner.get("role"), Some("Choose a role from the list."));
        let light = NewUser::parse(&form("light_user", &[]), Plan::Standard).unwrap_err();
        assert!(light.get("role").unwrap().contains("Plus and Pro"));
        assert!(NewUser::parse(&form("light_user", &[]), Plan::Plus).is_ok());
    }

    #[test]
    fn every_bad_field_gets_its_own_error() {
        let bad = NewUserForm {
            name: "  ",
            email: "not an email",
            role: "",
            inboxes: &["1 OR 1=1".to_owned()],
            send_invite: "",
        };
        let errors = NewUser::parse(&bad, Plan::Pro).unwrap_err();
        for field in ["name", "email", "role", "inboxes"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }
}
