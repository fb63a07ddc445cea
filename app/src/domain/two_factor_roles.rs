use serde::{Deserialize, Serialize};

use super::{Role, ValidationError};

/// The roles whose users must sign in with two-factor authentication
/// (Company > Security): each role at most once, in the order of
/// [`TwoFactorRoles::CHOICES`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoFactorRoles(Vec<Role>);

impl TwoFactorRoles {
    /// Every role can be required to use it, the Account Owner's too.
    pub const CHOICES: [Role; 4] = [
        Role::Owner,
        Role::Administrator,
        Role::User,
        Role::LightUser,
    ];

    /// The roles a form checked (`roles[]`); an unknown value is refused.
    pub fn parse(raw: &[String]) -> Result<Self, ValidationError> {
        let roles = raw
            .iter()
            .map(|value| {
                Role::parse(value.trim())
                    .map_err(|_| ValidationError::new("Choose roles from the list."))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self::of(&roles))
    }

    /// Reads the stored set, dropping anything unknown (never failing a page).
    pub fn from_stored(stored: &[String]) -> Self {
        let roles: Vec<Role> = stored.iter().filter_map(|r| Role::parse(r).ok()).collect();
        Self::of(&roles)
    }

    fn of(roles: &[Role]) -> Self {
        Self(
            Self::CHOICES
                .into_iter()
                .filter(|choice| roles.contains(choice))
                .collect(),
        )
    }

    pub fn includes(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// As stored: each role's `as_str`.
    pub fn as_stored(&self) -> Vec<String> {
        self.0.iter().map(|role| role.as_str().to_owned()).collect()
    }

    /// The roles in a sentence: "the Account Owner, Administrators and Users".
    pub fn describe(&self) -> String {
        let names: Vec<&str> = self.0.iter().map(|role| plural(*role)).collect();
        match names.as_slice() {
            [] => "nobody".to_owned(),
            [one] => (*one).to_owned(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        }
    }
}

/// A role's people, as a sentence names them.
fn plural(role: Role) -> &'static str {
    match role {
        Role::Owner => "the Account Owner",
        Role::Administrator => "Administrators",
        Role::User => "Users",
        Role::LightUser => "Light Users",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| (*v).to_owned()).collect()
    }

    #[test]
    fn parses_checked_roles_into_one_order_without_repeats() {
        let roles = TwoFactorRoles::parse(&strings(&["user", "administrator", "user"])).unwrap();
        assert_eq!(roles.as_stored(), strings(&["administrator", "user"]));
        assert!(roles.includes(Role::User));
        assert!(!roles.includes(Role::Owner));
        assert!(TwoFactorRoles::parse(&[]).unwrap().is_empty());
    }

    #[test]
    fn refuses_what_is_not_a_role() {
        assert_eq!(
            TwoFactorRoles::parse(&strings(&["user", "root"]))
                .unwrap_err()
                .0,
            "Choose roles from the list."
        );
        assert!(TwoFactorRoles::parse(&strings(&["User"])).is_err());
    }

    #[test]
    fn stored_sets_drop_the_unknown() {
        let roles = TwoFactorRoles::from_stored(&strings(&["light_user", "ghost", "owner"]));
        assert_eq!(roles.as_stored(), strings(&["owner", "light_user"]));
    }

    #[test]
    fn describes_the_roles_in_a_sentence() {
        let describe =
            |values: &[&str]| TwoFactorRoles::parse(&strings(values)).unwrap().describe();
        assert_eq!(describe(&[]), "nobody");
        assert_eq!(describe(&["administrator"]), "Administrators");
        assert_eq!(
            describe(&["user", "administrator"]),
            "Administrators and Users"
        );
        assert_eq!(
            describe(&["owner", "administrator", "light_user"]),
            "the Account Owner, Administrators and Light Users"
        );
    }
}
