use serde::{Deserialize, Serialize};

use crate::domain::{
    parse_auto_bcc, parse_optional_text, parse_phone, strength_hint, AppName, CompanyName, Email,
    InviteValidity, Password, PasswordContext, PersonName, RedirectUrl, TeamName,
    MAX_JOB_TITLE_CHARS, MAX_PRONOUNS_CHARS,
};

/// The rule a field's value follows, named so that a server-rendered page can
/// hand it to the browser. The browser runs the same parser as the server,
/// as the person leaves the field; the server still has the last word (and
/// alone knows some rules, such as the list of breached passwords).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Check {
    CompanyName,
    PersonName,
    Email,
    TeamName,
    AppName,
    RedirectUrl,
    AutoBcc,
    JobTitle,
    Phone,
    Pronouns,
    InviteValidity,
    /// A new password. It may not contain these words, nor the values of
    /// the same form's `email` and `company_name` fields.
    NewPassword {
        email: Option<String>,
        account_name: Option<String>,
    },
}

/// Values of other fields of the same form that a rule depends on.
#[derive(Clone, Debug, Default)]
pub struct Siblings {
    pub email: Option<String>,
    pub company_name: Option<String>,
}

impl Check {
    /// The error for `value`, as the server would word it.
    pub fn run(&self, value: &str, siblings: &Siblings) -> Option<String> {
        let error = match self {
            Check::CompanyName => CompanyName::parse(value).err(),
            Check::PersonName => PersonName::parse(value).err(),
            Check::Email => Email::parse(value).err(),
            Check::TeamName => TeamName::parse(value).err(),
            Check::AppName => AppName::parse(value).err(),
            Check::RedirectUrl => RedirectUrl::parse(value).err(),
            Check::AutoBcc => parse_auto_bcc(value).err(),
            Check::JobTitle => parse_optional_text(value, "job title", MAX_JOB_TITLE_CHARS).err(),
            Check::Phone => parse_phone(value).err(),
            Check::Pronouns => parse_optional_text(value, "pronoun", MAX_PRONOUNS_CHARS).err(),
            Check::InviteValidity => InviteValidity::parse(value).err(),
            Check::NewPassword { .. } => {
                Password::parse(value, &self.password_context(siblings)).err()
            }
        };
        error.map(|error| error.0)
    }

    /// A hint about a new password's strength as it is typed; `None` for
    /// every other rule.
    pub fn meter(&self, value: &str, siblings: &Siblings) -> Option<&'static str> {
        matches!(self, Check::NewPassword { .. })
            .then(|| strength_hint(value, &self.password_context(siblings)))
    }

    fn password_context<'a>(&'a self, siblings: &'a Siblings) -> PasswordContext<'a> {
        let (email, account_name) = match self {
            Check::NewPassword {
                email,
                account_name,
            } => (email.as_deref(), account_name.as_deref()),
            _ => (None, None),
        };
        PasswordContext {
            email: email.or(siblings.email.as_deref()),
            account_name: account_name.or(siblings.company_name.as_deref()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_the_servers_parser() {
        let none = Siblings::default();
        assert!(Check::Email.run("grace-at-northwind", &none).is_some());
        assert_eq!(Check::Email.run("grace@northwind.example", &none), None);
        assert_eq!(Check::Phone.run("", &none), None);
        assert!(Check::InviteValidity.run("31", &none).is_some());
    }

    #[test]
    fn a_new_password_may_not_contain_the_forms_own_words() {
        let check = Check::NewPassword {
            email: None,
            account_name: None,
        };
        let siblings = Siblings {
            email: Some("grace@northwind.example".into()),
            company_name: Some("Northwind Support".into()),
        };
        assert!(check
            .run("grace lantern orchard violet", &siblings)
            .is_some_and(|e| e.contains("email address")));
        assert_eq!(check.run("compass lantern orchard violet", &siblings), None);
        assert_eq!(check.meter("", &siblings), Some(""));
        assert_eq!(Check::Email.meter("x", &siblings), None);
    }
}
