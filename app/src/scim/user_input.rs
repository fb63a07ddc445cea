//! A user's attributes as an identity provider writes them (the body of a
//! POST or PUT, or a user after a PATCH), read once into what Roster keeps:
//! every attribute the User schema lists, in its canonical spelling and
//! exactly as sent, and the Roster name and email address they give. The
//! same domain types as Add User and the profile parse those two, so SCIM
//! can skip no rule the pages enforce.

use serde_json::{Map, Value};

use super::{
    error::{ScimError, ScimType},
    patch::Shape,
};
use crate::domain::{Email, PersonName};

/// The longest text attribute kept (`userName`, `externalId`, names).
pub const MAX_TEXT_CHARS: usize = 256;
/// The most addresses one user lists.
pub const MAX_EMAILS: usize = 10;
/// The longest email `type` kept.
const MAX_TYPE_CHARS: usize = 64;

/// The User schema's writable attributes, as the schema spells them.
pub const ATTRIBUTES: &[&str] = &[
    "userName",
    "externalId",
    "name",
    "displayName",
    "emails",
    "active",
];
/// `name`'s sub-attributes.
pub const NAME_PARTS: &[&str] = &["formatted", "familyName", "givenName"];
/// An email's sub-attributes.
pub const EMAIL_PARTS: &[&str] = &["value", "type", "primary"];

/// The User schema's writable attributes, for PATCH paths.
pub static USER_SHAPE: Shape = Shape {
    urn: "urn:ietf:params:scim:schemas:core:2.0:user",
    attributes: ATTRIBUTES,
    required: &["userName"],
    complex: &[("name", false, NAME_PARTS), ("emails", true, EMAIL_PARTS)],
};

/// A user as the identity provider describes them, read and checked.
#[derive(Clone, Debug, PartialEq)]
pub struct UserInput {
    pub user_name: String,
    pub external_id: Option<String>,
    /// `name`, its sub-attributes spelled canonically.
    pub name: Option<Map<String, Value>>,
    pub display_name: Option<String>,
    pub emails: Option<Vec<Value>>,
    /// `None`: unassigned, which leaves the user as they are.
    pub active: Option<bool>,
    /// Roster's address for them: the primary email, else the first, else
    /// `userName` when it is an address.
    pub email: Email,
    /// Roster's name for them, when the attributes give one: `displayName`,
    /// else `name.formatted`, else the given and family names.
    pub person_name: Option<PersonName>,
}

impl UserInput {
    /// Reads `attributes` (a resource's, without `schemas`, `id` and
    /// `meta`). Names are case-insensitive; `null` is unassigned; anything
    /// the schema does not list is refused.
    pub fn parse(attributes: &Map<String, Value>) -> Result<Self, ScimError> {
        let attributes = canonical(attributes, ATTRIBUTES, "")?;
        let text_of = |key: &str| -> Result<Option<String>, ScimError> {
            attributes
                .get(key)
                .map(|value| text(value, key, MAX_TEXT_CHARS))
                .transpose()
        };
        let user_name = text_of("userName")?
            .filter(|name| !name.trim().is_empty())
            .ok_or_else(|| ScimError::bad(ScimType::InvalidValue, "userName is required."))?;
        let external_id = text_of("externalId")?;
        let display_name = text_of("displayName")?;
        let name = attributes.get("name").map(parse_name).transpose()?;
        let emails = attributes.get("emails").map(parse_emails).transpose()?;
        let active = match attributes.get("active") {
            None => None,
            Some(Value::Bool(active)) => Some(*active),
            Some(_) => {
                return Err(ScimError::bad(
                    ScimType::InvalidValue,
                    "active must be true or false.",
                ))
            }
        };
        let email = roster_email(emails.as_deref(), &user_name)?;
        let person_name = roster_name(display_name.as_deref(), name.as_ref())?;
        Ok(Self {
            user_name,
            external_id,
            name,
            display_name,
            emails,
            active,
            email,
            person_name,
        })
    }

    /// The attributes again, as JSON in their canonical spelling (what a
    /// PATCH starts from, and what SCIM shows while Roster agrees).
    pub fn attributes(&self) -> Map<String, Value> {
        let mut attributes = Map::new();
        attributes.insert("userName".into(), self.user_name.clone().into());
        if let Some(external_id) = &self.external_id {
            attributes.insert("externalId".into(), external_id.clone().into());
        }
        if let Some(name) = &self.name {
            attributes.insert("name".into(), Value::Object(name.clone()));
        }
        if let Some(display_name) = &self.display_name {
            attributes.insert("displayName".into(), display_name.clone().into());
        }
        if let Some(emails) = &self.emails {
            attributes.insert("emails".into(), Value::Array(emails.clone()));
        }
        if let Some(active) = self.active {
            attributes.insert("active".into(), active.into());
        }
        attributes
    }
}

/// `object`'s keys spelled as `known` spells them, `null`s dropped; a key
/// `known` lacks, or one given twice in different case, is refused.
/// `within` names the attribute for the words (`name.`), or is empty.
pub fn canonical(
    object: &Map<String, Value>,
    known: &[&str],
    within: &str,
) -> Result<Map<String, Value>, ScimError> {
    let mut found = Map::new();
    for (key, value) in object {
        let Some(name) = known.iter().find(|name| name.eq_ignore_ascii_case(key)) else {
            return Err(ScimError::bad(
                ScimType::InvalidSyntax,
                format!(
                    "Roster does not keep {within}{}: the attributes are {}.",
                    shorten(key),
                    known.join(", ")
                ),
            ));
        };
        if found.contains_key(*name) {
            return Err(ScimError::bad(
                ScimType::InvalidSyntax,
                format!("{within}{name} is given twice."),
            ));
        }
        if !value.is_null() {
            found.insert((*name).to_owned(), value.clone());
        }
    }
    Ok(found)
}

/// A string attribute: no control characters, at most `max` characters.
fn text(value: &Value, attribute: &str, max: usize) -> Result<String, ScimError> {
    let Value::String(text) = value else {
        return Err(ScimError::bad(
            ScimType::InvalidValue,
            format!("{attribute} must be a string."),
        ));
    };
    if text.chars().any(char::is_control) {
        return Err(ScimError::bad(
            ScimType::InvalidValue,
            format!("{attribute} cannot contain line breaks or control characters."),
        ));
    }
    if text.chars().count() > max {
        return Err(ScimError::bad(
            ScimType::InvalidValue,
            format!("{attribute} can be at most {max} characters."),
        ));
    }
    Ok(text.clone())
}

fn parse_name(value: &Value) -> Result<Map<String, Value>, ScimError> {
    let Value::Object(parts) = value else {
        return Err(ScimError::bad(
            ScimType::InvalidValue,
            "name must be an object (formatted, familyName, givenName).",
        ));
    };
    let parts = canonical(parts, NAME_PARTS, "name.")?;
    for (key, part) in &parts {
        text(part, &format!("name.{key}"), MAX_TEXT_CHARS)?;
    }
    Ok(parts)
}

fn parse_emails(value: &Value) -> Result<Vec<Value>, ScimError> {
    let Value::Array(items) = value else {
        return Err(ScimError::bad(
            ScimType::InvalidValue,
            "emails must be a list.",
        ));
    };
    if items.len() > MAX_EMAILS {
        return Err(ScimError::bad(
            ScimType::InvalidValue,
            format!("A user can have at most {MAX_EMAILS} emails."),
        ));
    }
    let mut emails = Vec::with_capacity(items.len());
    let mut seen: Vec<String> = Vec::new();
    let mut primaries = 0;
    for item in items {
        let Value::Object(parts) = item else {
            return Err(ScimError::bad(
                ScimType::InvalidValue,
                "Each of emails must be an object (value, type, primary).",
            ));
        };
        let parts = canonical(parts, EMAIL_PARTS, "emails.")?;
        let value = parts
            .get("value")
            .ok_or_else(|| ScimError::bad(ScimType::InvalidValue, "Each email needs a value."))?;
        let address = address(
            &text(value, "emails.value", MAX_TEXT_CHARS)?,
            "emails.value",
        )?;
        let folded = address.as_str().to_lowercase();
        if seen.contains(&folded) {
            return Err(ScimError::bad(
                ScimType::InvalidValue,
                format!("{} is listed twice in emails.", address.as_str()),
            ));
        }
        seen.push(folded);
        if let Some(kind) = parts.get("type") {
            text(kind, "emails.type", MAX_TYPE_CHARS)?;
        }
        match parts.get("primary") {
            None => {}
            Some(Value::Bool(primary)) => primaries += usize::from(*primary),
            Some(_) => {
                return Err(ScimError::bad(
                    ScimType::InvalidValue,
                    "emails.primary must be true or false.",
                ))
            }
        }
        emails.push(Value::Object(parts));
    }
    if primaries > 1 {
        return Err(ScimError::bad(
            ScimType::InvalidValue,
            "At most one of emails is primary.",
        ));
    }
    Ok(emails)
}

fn address(text: &str, attribute: &str) -> Result<Email, ScimError> {
    Email::parse(text).map_err(|error| {
        ScimError::bad(ScimType::InvalidValue, format!("{attribute}: {}", error.0))
    })
}

fn roster_email(emails: Option<&[Value]>, user_name: &str) -> Result<Email, ScimError> {
    let emails = emails.unwrap_or_default();
    let chosen = emails
        .iter()
        .find(|email| email["primary"] == true)
        .or_else(|| emails.first());
    match chosen {
        Some(email) => address(email["value"].as_str().unwrap_or_default(), "emails.value"),
        None => Email::parse(user_name).map_err(|_| {
            ScimError::bad(
                ScimType::InvalidValue,
                "Roster emails every user: give emails, or a userName that is an email address.",
            )
        }),
    }
}

fn roster_name(
    display_name: Option<&str>,
    name: Option<&Map<String, Value>>,
) -> Result<Option<PersonName>, ScimError> {
    let part = |key: &str| {
        name.and_then(|name| name.get(key))
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|part| !part.is_empty())
    };
    let given_and_family = [part("givenName"), part("familyName")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let (attribute, chosen) =
        if let Some(display_name) = display_name.map(str::trim).filter(|text| !text.is_empty()) {
            ("displayName", display_name.to_owned())
        } else if let Some(formatted) = part("formatted") {
            ("name.formatted", formatted.to_owned())
        } else if !given_and_family.is_empty() {
            ("name", given_and_family)
        } else {
            return Ok(None);
        };
    PersonName::parse(&chosen).map(Some).map_err(|error| {
        ScimError::bad(ScimType::InvalidValue, format!("{attribute}: {}", error.0))
    })
}

/// A key as the words quote it: at most 64 characters.
fn shorten(key: &str) -> String {
    key.chars().take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(value: Value) -> Result<UserInput, ScimError> {
        UserInput::parse(value.as_object().unwrap())
    }

    fn kind(value: Value) -> Option<ScimType> {
        read(value).unwrap_err().scim_type
    }

    #[test]
    fn what_identity_providers_send_is_kept_as_sent() {
        let sent = json!({
            "UserName": "ada@example.com",
            "name": { "GivenName": "Ada", "familyName": "Lovelace" },
            "emails": [
                { "value": "Ada@Example.com", "type": "work", "primary": true },
                { "value": "ada@home.example", "type": "home" }
            ],
            "externalId": "00u1",
            "active": false,
            "displayName": null,
        });
        let user = read(sent).unwrap();
        assert_eq!(user.user_name, "ada@example.com");
        assert_eq!(user.email.as_str(), "Ada@example.com");
        assert_eq!(user.person_name.as_ref().unwrap().as_str(), "Ada Lovelace");
        assert_eq!(user.active, Some(false));
        assert_eq!(user.display_name, None);
        assert_eq!(
            Value::Object(user.attributes()),
            json!({
                "userName": "ada@example.com",
                "externalId": "00u1",
                "name": { "givenName": "Ada", "familyName": "Lovelace" },
                "emails": [
                    { "value": "Ada@Example.com", "type": "work", "primary": true },
                    { "value": "ada@home.example", "type": "home" }
                ],
                "active": false,
            })
        );
    }

    #[test]
    fn roster_takes_the_primary_address_else_the_first_else_user_name() {
        let user = read(json!({
            "userName": "x1",
            "emails": [{ "value": "a@example.com" }, { "value": "b@example.com", "primary": true }],
        }))
        .unwrap();
        assert_eq!(user.email.as_str(), "b@example.com");
        let user = read(
            json!({ "userName": "x1", "emails": [{ "value": "a@example.com", "primary": false }] }),
        )
        .unwrap();
        assert_eq!(user.email.as_str(), "a@example.com");
        let user = read(json!({ "userName": "c@example.com" })).unwrap();
        assert_eq!(user.email.as_str(), "c@example.com");
        assert_eq!(user.person_name, None);
        assert_eq!(
            kind(json!({ "userName": "x1" })),
            Some(ScimType::InvalidValue)
        );
    }

    #[test]
    fn the_name_is_display_name_else_formatted_else_its_parts() {
        let name = |value: Value| read(value).unwrap().person_name.unwrap();
        let base = json!({ "userName": "a@example.com" });
        let with = |extra: Value| {
            let mut value = base.clone();
            value
                .as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            value
        };
        assert_eq!(
            name(with(
                json!({ "displayName": "Ada", "name": { "formatted": "A. L." } })
            ))
            .as_str(),
            "Ada"
        );
        assert_eq!(
            name(with(
                json!({ "displayName": " ", "name": { "formatted": "A. L." } })
            ))
            .as_str(),
            "A. L."
        );
        assert_eq!(
            name(with(json!({ "name": { "familyName": "Lovelace" } }))).as_str(),
            "Lovelace"
        );
    }

    #[test]
    fn bad_input_is_a_400_of_its_kind() {
        let bad = [
            (
                json!({ "userName": "a@example.com", "title": "CEO" }),
                ScimType::InvalidSyntax,
            ),
            (
                json!({ "userName": "a@example.com", "username": "b@example.com" }),
                ScimType::InvalidSyntax,
            ),
            (json!({ "userName": 7 }), ScimType::InvalidValue),
            (json!({ "userName": "" }), ScimType::InvalidValue),
            (
                json!({ "userName": "a\u{0}@example.com" }),
                ScimType::InvalidValue,
            ),
            (
                json!({ "userName": "a".repeat(257) }),
                ScimType::InvalidValue,
            ),
            (
                json!({ "userName": "a@example.com", "active": "false" }),
                ScimType::InvalidValue,
            ),
            (
                json!({ "userName": "a@example.com", "name": "Ada" }),
                ScimType::InvalidValue,
            ),
            (
                json!({ "userName": "a@example.com", "name": { "middleName": "B" } }),
                ScimType::InvalidSyntax,
            ),
            (
                json!({ "userName": "a@example.com", "emails": { "value": "a@example.com" } }),
                ScimType::InvalidValue,
            ),
            (
                json!({ "userName": "a@example.com", "emails": [{ "value": "not an address" }] }),
                ScimType::InvalidValue,
            ),
            (
                json!({ "userName": "a@example.com", "emails": [{ "type": "work" }] }),
                ScimType::InvalidValue,
            ),
            (
                json!({ "userName": "a@example.com", "emails": [{ "value": "a@example.com" }, { "value": "A@EXAMPLE.com" }] }),
                ScimType::InvalidValue,
            ),
            (
                json!({ "userName": "a@example.com", "emails": [{ "value": "a@example.com", "primary": true }, { "value": "b@example.com", "primary": true }] }),
                ScimType::InvalidValue,
            ),
            (
                json!({ "userName": "a@example.com", "displayName": "x".repeat(101) }),
                ScimType::InvalidValue,
            ),
        ];
        for (value, expected) in bad {
            assert_eq!(kind(value.clone()), Some(expected), "{value}");
        }
    }
}
