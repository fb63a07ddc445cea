use crate::domain::{CompanyName, Email, FieldErrors, Password, PasswordContext, PersonName};

/// A new account and its Owner, parsed from the setup form.
#[derive(Debug)]
pub struct NewAccount {
    pub company_name: CompanyName,
    pub owner_name: PersonName,
    pub owner_email: Email,
    pub password: Password,
}

impl NewAccount {
    /// Parses every field, collecting each field's error under its form name.
    pub fn parse(
        company_name: &str,
        name: &str,
        email: &str,
        password: &str,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let company_name = errors.check("company_name", CompanyName::parse(company_name));
        let owner_name = errors.check("name", PersonName::parse(name));
        let owner_email = errors.check("email", Email::parse(email));
        let context = PasswordContext {
            email: owner_email.as_ref().map(Email::as_str),
            account_name: company_name.as_ref().map(CompanyName::as_str),
        };
        let password = errors.check("password", Password::parse(password, &context));
        match (company_name, owner_name, owner_email, password) {
            (Some(company_name), Some(owner_name), Some(owner_email), Some(password))
                if errors.is_empty() =>
            {
                Ok(Self {
                    company_name,
                    owner_name,
                    owner_email,
                    password,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_complete_form_parses() {
        let account = NewAccount::parse(
            "Acme",
            "Ada Lovelace",
            "ada@acme.example",
            "quiet meadow under stars",
        )
        .unwrap();
        assert_eq!(account.owner_email.as_str(), "ada@acme.example");
    }

    #[test]
    fn every_bad_field_is_reported_under_its_name() {
        let errors = NewAccount::parse("", "  ", "not-an-email", "short").unwrap_err();
        for field in ["company_name", "name", "email", "password"] {
            assert!(errors.get(field).is_some(), "no error for {field}");
        }
    }

    #[test]
    fn the_password_may_not_contain_the_company_name() {
        let errors = NewAccount::parse(
            "Globex",
            "Hank",
            "hank@globex.example",
            "globex forever and ever",
        )
        .unwrap_err();
        assert!(errors.get("password").is_some());
    }
}
