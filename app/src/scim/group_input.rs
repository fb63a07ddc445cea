//! A group as an identity provider writes it (RFC 7643 §4.2): Roster's
//! team, named by `displayName` (parsed as the Teams page parses names),
//! with the identity provider's `externalId` and its `members`: users of
//! the account, by id. Whether each is one, and may be on a team, is the
//! store's check.

use serde_json::{Map, Value};
use uuid::Uuid;

use super::{
    error::{ScimError, ScimType},
    patch::Shape,
    user_input::{canonical, MAX_TEXT_CHARS},
};
use crate::domain::TeamName;

/// The Group schema's writable attributes, as the schema spells them.
pub const ATTRIBUTES: &[&str] = &["displayName", "externalId", "members"];
/// A member's sub-attributes (`display` is read and ignored: Roster shows
/// the user's own name).
pub const MEMBER_PARTS: &[&str] = &["value", "$ref", "type", "display"];
/// The most members one request lists.
pub const MAX_MEMBERS: usize = 1_000;

/// The Group schema's writable attributes, for PATCH paths.
pub static GROUP_SHAPE: Shape = Shape {
    urn: "urn:ietf:params:scim:schemas:core:2.0:group",
    attributes: ATTRIBUTES,
    required: &["displayName"],
    complex: &[("members", true, MEMBER_PARTS)],
};

/// A group as the identity provider describes it, read and checked.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupInput {
    pub name: TeamName,
    pub external_id: Option<String>,
    /// Distinct, in the order given.
    pub members: Vec<Uuid>,
}

impl GroupInput {
    pub fn parse(attributes: &Map<String, Value>) -> Result<Self, ScimError> {
        let attributes = canonical(attributes, ATTRIBUTES, "")?;
        let name = match attributes.get("displayName") {
            Some(Value::String(name)) => TeamName::parse(name).map_err(|error| {
                ScimError::bad(ScimType::InvalidValue, format!("displayName: {}", error.0))
            })?,
            Some(_) => {
                return Err(ScimError::bad(
                    ScimType::InvalidValue,
                    "displayName must be a string.",
                ))
            }
            None => {
                return Err(ScimError::bad(
                    ScimType::InvalidValue,
                    "displayName is required.",
                ))
            }
        };
        let external_id = match attributes.get("externalId") {
            None => None,
            Some(Value::String(id))
                if id.chars().count() <= MAX_TEXT_CHARS && !id.chars().any(char::is_control) =>
            {
                Some(id.clone())
            }
            Some(_) => {
                return Err(ScimError::bad(
                    ScimType::InvalidValue,
                    format!("externalId is a string of at most {MAX_TEXT_CHARS} characters."),
                ))
            }
        };
        let members = match attributes.get("members") {
            None => Vec::new(),
            Some(value) => parse_members(value)?,
        };
        Ok(Self {
            name,
            external_id,
            members,
        })
    }
}

fn parse_members(value: &Value) -> Result<Vec<Uuid>, ScimError> {
    let Value::Array(items) = value else {
        return Err(ScimError::bad(
            ScimType::InvalidValue,
            "members must be a list.",
        ));
    };
    if items.len() > MAX_MEMBERS {
        return Err(ScimError::bad(
            ScimType::InvalidValue,
            format!("Give at most {MAX_MEMBERS} members at once."),
        ));
    }
    let mut members = Vec::with_capacity(items.len());
    for item in items {
        let Value::Object(parts) = item else {
            return Err(ScimError::bad(
                ScimType::InvalidValue,
                "Each member is an object (value, $ref, type).",
            ));
        };
        let parts = canonical(parts, MEMBER_PARTS, "members.")?;
        if let Some(kind) = parts.get("type") {
            if !kind
                .as_str()
                .is_some_and(|kind| kind.eq_ignore_ascii_case("User"))
            {
                return Err(ScimError::bad(
                    ScimType::InvalidValue,
                    "Roster's teams hold users only: members.type is User.",
                ));
            }
        }
        let id = parts
            .get("value")
            .and_then(Value::as_str)
            .and_then(|value| Uuid::parse_str(value.trim()).ok())
            .ok_or_else(|| {
                ScimError::bad(
                    ScimType::InvalidValue,
                    "Each member's value is the id of a user of this account.",
                )
            })?;
        if !members.contains(&id) {
            members.push(id);
        }
    }
    Ok(members)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(value: Value) -> Result<GroupInput, ScimError> {
        GroupInput::parse(value.as_object().unwrap())
    }

    #[test]
    fn a_group_is_a_team_name_and_users() {
        let id = Uuid::new_v4();
        let group = read(json!({
            "DisplayName": " Tier 2 ",
            "externalId": "g1",
            "members": [{ "value": id.to_string(), "display": "Ada" }, { "value": id.to_string(), "type": "User" }],
        }))
        .unwrap();
        assert_eq!(group.name.as_str(), "Tier 2");
        assert_eq!(group.members, [id]);
        assert_eq!(group.external_id.as_deref(), Some("g1"));
    }

    #[test]
    fn anything_else_is_a_400() {
        for bad in [
            json!({}),
            json!({ "displayName": 5 }),
            json!({ "displayName": "x".repeat(101) }),
            json!({ "displayName": "T", "members": { "value": "x" } }),
            json!({ "displayName": "T", "members": [{ "value": "not-an-id" }] }),
            json!({ "displayName": "T", "members": [{ "value": Uuid::new_v4().to_string(), "type": "Group" }] }),
            json!({ "displayName": "T", "owner": "me" }),
        ] {
            assert_eq!(read(bad.clone()).unwrap_err().status, 400, "{bad}");
        }
    }
}
