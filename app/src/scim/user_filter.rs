//! The user filters Roster answers: what identity providers send to find a
//! user before creating or changing them (Okta, Microsoft Entra ID, Google
//! and JumpCloud look people up by `userName`, `externalId` or an email),
//! and `active`, each with `eq`, joined by `and`. Any other filter is a 400
//! `invalidFilter` that names what is not supported, never a guess.

use super::{
    error::{ScimError, ScimType},
    filter::{AttrPath, Filter, Op, Value},
};

/// The core User schema's URN, which may qualify an attribute.
const USER_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:user";

/// One condition on the users listed; a list of them must all hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UserCriterion {
    /// Case-insensitive, as the schema says (`caseExact: false`).
    UserName(String),
    /// Any of the user's addresses, case-insensitive.
    Email(String),
    /// Case-sensitive: the identity provider's own id.
    ExternalId(String),
    Active(bool),
}

/// The criteria `filter` asks for, or why Roster cannot answer it.
pub fn criteria(filter: &Filter) -> Result<Vec<UserCriterion>, ScimError> {
    let mut found = Vec::new();
    collect(filter, &mut found)?;
    Ok(found)
}

fn collect(filter: &Filter, found: &mut Vec<UserCriterion>) -> Result<(), ScimError> {
    match filter {
        Filter::And(left, right) => {
            collect(left, found)?;
            collect(right, found)
        }
        Filter::Compare { path, op, value } => {
            found.push(criterion(path, *op, value)?);
            Ok(())
        }
        // `emails[value eq "…"]`: the same as `emails.value eq "…"`.
        Filter::ValuePath { path, filter } if path.sub.is_none() => match filter.as_ref() {
            Filter::Compare {
                path: inner,
                op,
                value,
            } if inner.urn.is_none() && inner.sub.is_none() => {
                let whole = AttrPath {
                    urn: path.urn.clone(),
                    name: path.name.clone(),
                    sub: Some(inner.name.clone()),
                };
                found.push(criterion(&whole, *op, value)?);
                Ok(())
            }
            _ => Err(unsupported()),
        },
        _ => Err(unsupported()),
    }
}

fn criterion(path: &AttrPath, op: Op, value: &Value) -> Result<UserCriterion, ScimError> {
    if path.urn.as_deref().is_some_and(|urn| urn != USER_URN) {
        return Err(unsupported());
    }
    if op != Op::Eq {
        return Err(unsupported());
    }
    let text = || match value {
        Value::Str(text) => Ok(text.clone()),
        _ => Err(ScimError::bad(
            ScimType::InvalidFilter,
            format!("{} is compared with a string.", path.dotted()),
        )),
    };
    match (path.name.as_str(), path.sub.as_deref()) {
        ("username", None) => Ok(UserCriterion::UserName(text()?)),
        ("externalid", None) => Ok(UserCriterion::ExternalId(text()?)),
        ("emails", Some("value")) | ("emails", None) => Ok(UserCriterion::Email(text()?)),
        ("active", None) => match value {
            Value::Bool(active) => Ok(UserCriterion::Active(*active)),
            _ => Err(ScimError::bad(
                ScimType::InvalidFilter,
                "active is compared with true or false.",
            )),
        },
        _ => Err(unsupported()),
    }
}

fn unsupported() -> ScimError {
    ScimError::bad(
        ScimType::InvalidFilter,
        "Roster filters users by userName, emails.value, externalId and active, each with eq, joined by and.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scim::filter::parse;

    fn read(filter: &str) -> Result<Vec<UserCriterion>, ScimError> {
        criteria(&parse(filter).map_err(ScimError::from)?)
    }

    #[test]
    fn what_identity_providers_send_is_answered() {
        assert_eq!(
            read(r#"userName eq "Ada@Example.com""#).unwrap(),
            [UserCriterion::UserName("Ada@Example.com".into())]
        );
        assert_eq!(
            read(r#"externalId eq "00u1" and active eq true"#).unwrap(),
            [
                UserCriterion::ExternalId("00u1".into()),
                UserCriterion::Active(true)
            ]
        );
        for email in [
            r#"emails.value eq "a@b.com""#,
            r#"emails[value eq "a@b.com"]"#,
            r#"emails eq "a@b.com""#,
            r#"urn:ietf:params:scim:schemas:core:2.0:User:emails.value eq "a@b.com""#,
        ] {
            assert_eq!(
                read(email).unwrap(),
                [UserCriterion::Email("a@b.com".into())],
                "{email}"
            );
        }
    }

    #[test]
    fn anything_else_is_an_invalid_filter() {
        for other in [
            r#"userName sw "a""#,
            r#"userName eq "a" or userName eq "b""#,
            r#"not (active eq true)"#,
            r#"title eq "CEO""#,
            r#"userName pr"#,
            r#"active eq "yes""#,
            r#"userName eq true"#,
            r#"emails[type eq "work" and value eq "a@b.com"]"#,
            r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "1""#,
            r#"userName eq"#,
        ] {
            let error = read(other).unwrap_err();
            assert_eq!(error.status, 400, "{other}");
            assert_eq!(error.scim_type, Some(ScimType::InvalidFilter), "{other}");
        }
    }
}
