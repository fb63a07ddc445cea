//! `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9): which
//! of a resource's attributes an answer holds. `schemas` and `id` are
//! always returned; names are case-insensitive and may carry the schema's
//! URN; `name.givenName` picks one sub-attribute.

use serde_json::{Map, Value};

use super::error::{ScimError, ScimType};

/// Which attributes to return.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Projection {
    #[default]
    All,
    Only(Vec<Wanted>),
    AllBut(Vec<Wanted>),
}

/// `name` or `name.sub`, lower-cased, without a URN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wanted {
    name: String,
    sub: Option<String>,
}

/// The attributes every answer holds.
const ALWAYS: &[&str] = &["schemas", "id"];
/// The most attribute names one request lists.
const MAX_NAMES: usize = 50;

impl Projection {
    /// From the two parameters' comma-separated lists; giving both is a 400.
    pub fn parse(attributes: Option<&str>, excluded: Option<&str>) -> Result<Self, ScimError> {
        let list = |text: &str| -> Result<Vec<Wanted>, ScimError> {
            let names: Vec<&str> = text
                .split(',')
                .map(str::trim)
                .filter(|name| !name.is_empty())
                .collect();
            if names.len() > MAX_NAMES {
                return Err(ScimError::bad(
                    ScimType::InvalidValue,
                    format!("List at most {MAX_NAMES} attributes."),
                ));
            }
            names.into_iter().map(wanted).collect()
        };
        match (attributes, excluded) {
            (Some(_), Some(_)) => Err(ScimError::bad(
                ScimType::InvalidSyntax,
                "Give attributes or excludedAttributes, not both.",
            )),
            (Some(text), None) => Ok(Self::Only(list(text)?)),
            (None, Some(text)) => Ok(Self::AllBut(list(text)?)),
            (None, None) => Ok(Self::All),
        }
    }

    /// From a search request's lists (RFC 7644 §3.4.3).
    pub fn of_lists(attributes: &[String], excluded: &[String]) -> Result<Self, ScimError> {
        let join = |names: &[String]| (!names.is_empty()).then(|| names.join(","));
        Self::parse(join(attributes).as_deref(), join(excluded).as_deref())
    }

    /// `resource` with only the attributes asked for.
    pub fn apply(&self, resource: Value) -> Value {
        let Value::Object(resource) = resource else {
            return resource;
        };
        let kept = match self {
            Self::All => resource,
            Self::Only(wanted) => {
                let mut kept = Map::new();
                for (key, value) in resource {
                    let folded = key.to_ascii_lowercase();
                    if ALWAYS.contains(&folded.as_str()) {
                        kept.insert(key, value);
                        continue;
                    }
                    let asked: Vec<&Wanted> = wanted.iter().filter(|w| w.name == folded).collect();
                    if asked.iter().any(|w| w.sub.is_none()) {
                        kept.insert(key, value);
                    } else if !asked.is_empty() {
                        let subs: Vec<&str> =
                            asked.iter().filter_map(|w| w.sub.as_deref()).collect();
                        // A sub-attribute of a simple value names nothing.
                        if value.is_object() || value.is_array() {
                            kept.insert(key, filter_subs(value, &subs, true));
                        }
                    }
                }
                kept
            }
            Self::AllBut(unwanted) => {
                let mut kept = Map::new();
                for (key, value) in resource {
                    let folded = key.to_ascii_lowercase();
                    if ALWAYS.contains(&folded.as_str()) {
                        kept.insert(key, value);
                        continue;
                    }
                    let dropped: Vec<&Wanted> =
                        unwanted.iter().filter(|w| w.name == folded).collect();
                    if dropped.iter().any(|w| w.sub.is_none()) {
                        continue;
                    }
                    let subs: Vec<&str> = dropped.iter().filter_map(|w| w.sub.as_deref()).collect();
                    let value = if subs.is_empty() {
                        value
                    } else {
                        filter_subs(value, &subs, false)
                    };
                    kept.insert(key, value);
                }
                kept
            }
        };
        Value::Object(kept)
    }
}

fn wanted(text: &str) -> Result<Wanted, ScimError> {
    let path = super::filter::attr_path(text)
        .map_err(|error| ScimError::bad(ScimType::InvalidValue, error.0))?;
    Ok(Wanted {
        name: path.name,
        sub: path.sub,
    })
}

/// Of a complex value (or each of a list of them), the sub-attributes
/// `subs` (`keep`) or all but them; a simple value as it is.
fn filter_subs(value: Value, subs: &[&str], keep: bool) -> Value {
    let filter = |object: Map<String, Value>| -> Value {
        Value::Object(
            object
                .into_iter()
                .filter(|(key, _)| subs.contains(&key.to_ascii_lowercase().as_str()) == keep)
                .collect(),
        )
    };
    match value {
        Value::Object(object) => filter(object),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|item| match item {
                    Value::Object(object) => filter(object),
                    other => other,
                })
                .collect(),
        ),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn user() -> Value {
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "id": "1",
            "userName": "ada",
            "name": { "givenName": "Ada", "familyName": "Lovelace" },
            "emails": [{ "value": "a@example.com", "type": "work" }],
            "meta": { "resourceType": "User" },
        })
    }

    #[test]
    fn only_the_attributes_asked_for_and_always_id() {
        let only = Projection::parse(Some("UserName, name.givenName,emails.value"), None).unwrap();
        assert_eq!(
            only.apply(user()),
            json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "id": "1",
                "userName": "ada",
                "name": { "givenName": "Ada" },
                "emails": [{ "value": "a@example.com" }],
            })
        );
        let urn = Projection::parse(
            Some("urn:ietf:params:scim:schemas:core:2.0:User:userName"),
            None,
        )
        .unwrap();
        assert_eq!(urn.apply(user())["userName"], "ada");
    }

    #[test]
    fn all_but_the_excluded_and_never_id() {
        let but = Projection::parse(None, Some("name.familyName,meta,id")).unwrap();
        let shown = but.apply(user());
        assert_eq!(shown["id"], "1");
        assert!(shown.get("meta").is_none());
        assert_eq!(shown["name"], json!({ "givenName": "Ada" }));
        assert!(Projection::parse(Some("a"), Some("b")).is_err());
        assert!(Projection::parse(Some("emails[type"), None).is_err());
    }
}
