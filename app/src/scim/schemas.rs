//! What Roster's SCIM service says about itself (RFC 7643 §5–7): the
//! service provider's configuration, its resource types and their schemas.
//! Identity providers and test suites build their requests from these, so
//! they state only what Roster does: users, with the attributes Roster
//! keeps and gives back as written, no more; PATCH and ETags.

use serde_json::{json, Value};

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
pub const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const CONFIG_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
const RESOURCE_TYPE_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const SCHEMA_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";

/// The most resources one list answer holds.
pub const MAX_RESULTS: u32 = 100;

/// `GET /ServiceProviderConfig` for the service at `base` (its
/// `…/scim/v2`).
pub fn service_provider_config(base: &str) -> Value {
    json!({
        "schemas": [CONFIG_SCHEMA],
        "documentationUri": format!("{base}/ServiceProviderConfig"),
        "patch": { "supported": true },
        "bulk": { "supported": false, "maxOperations": 0, "maxPayloadSize": 0 },
        "filter": { "supported": true, "maxResults": MAX_RESULTS },
        "changePassword": { "supported": false },
        "sort": { "supported": false },
        "etag": { "supported": true },
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "SCIM token",
            "description": "A token made in Roster's Company > Provisioning, sent as a Bearer token.",
            "primary": true,
        }],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": format!("{base}/ServiceProviderConfig"),
        },
    })
}

/// `GET /ResourceTypes`' resources: users, and groups (teams) when the
/// account's plan has teams.
pub fn resource_types(base: &str, teams: bool) -> Vec<Value> {
    let resource_type = |id: &str, endpoint: &str, description: &str, schema: &str| {
        json!({
            "schemas": [RESOURCE_TYPE_SCHEMA],
            "id": id,
            "name": id,
            "endpoint": endpoint,
            "description": description,
            "schema": schema,
            "meta": {
                "resourceType": "ResourceType",
                "location": format!("{base}/ResourceTypes/{id}"),
            },
        })
    };
    let mut types = vec![resource_type(
        "User",
        "/Users",
        "A person of the account",
        USER_SCHEMA,
    )];
    if teams {
        types.push(resource_type(
            "Group",
            "/Groups",
            "A team of the account",
            GROUP_SCHEMA,
        ));
    }
    types
}

/// `GET /Schemas`' resources, as [`resource_types`] lists them.
pub fn schemas(base: &str, teams: bool) -> Vec<Value> {
    let mut schemas = vec![user_schema(base)];
    if teams {
        schemas.push(group_schema(base));
    }
    schemas
}

fn group_schema(base: &str) -> Value {
    json!({
        "schemas": [SCHEMA_SCHEMA],
        "id": GROUP_SCHEMA,
        "name": "Group",
        "description": "A team of the account",
        "attributes": [
            attribute("displayName", "string", Attr {
                description: "The team's name, unique in the account",
                required: true,
                uniqueness: "server",
                ..Attr::default()
            }),
            complex("members", true, Attr {
                description: "The team's users (never Light Users)",
                ..Attr::default()
            }, vec![
                attribute("value", "string", Attr {
                    description: "The user's id",
                    mutability: "immutable",
                    case_exact: true,
                    ..Attr::default()
                }),
                attribute("$ref", "reference", Attr {
                    description: "The user's address in this service",
                    mutability: "immutable",
                    case_exact: true,
                    reference_types: &["User"],
                    ..Attr::default()
                }),
                attribute("type", "string", Attr {
                    mutability: "immutable",
                    canonical: &["User"],
                    ..Attr::default()
                }),
            ]),
        ],
        "meta": { "resourceType": "Schema", "location": format!("{base}/Schemas/{GROUP_SCHEMA}") },
    })
}

fn user_schema(base: &str) -> Value {
    json!({
        "schemas": [SCHEMA_SCHEMA],
        "id": USER_SCHEMA,
        "name": "User",
        "description": "A person of the account",
        "attributes": [
            attribute("userName", "string", Attr {
                description: "Unique in the account, whatever the case: an email address, or the identity provider's own name for the user",
                required: true,
                uniqueness: "server",
                ..Attr::default()
            }),
            complex("name", false, Attr::default(), vec![
                attribute("formatted", "string", Attr::default()),
                attribute("familyName", "string", Attr::default()),
                attribute("givenName", "string", Attr::default()),
            ]),
            attribute("displayName", "string", Attr {
                description: "Roster's name for the user; without it, name.formatted, else givenName and familyName",
                ..Attr::default()
            }),
            complex("emails", true, Attr {
                description: "Roster emails the primary address, else the first. Required unless userName is an email address",
                required: true,
                ..Attr::default()
            }, vec![
                attribute("value", "string", Attr { required: true, ..Attr::default() }),
                attribute("type", "string", Attr { canonical: &["work", "home", "other"], ..Attr::default() }),
                attribute("primary", "boolean", Attr::default()),
            ]),
            attribute("active", "boolean", Attr {
                description: "false deactivates the user (signed out, every credential ended, off the bill); true reactivates them",
                ..Attr::default()
            }),
        ],
        "meta": { "resourceType": "Schema", "location": format!("{base}/Schemas/{USER_SCHEMA}") },
    })
}

/// An attribute's characteristics (RFC 7643 §7) other than its name, type
/// and sub-attributes, with the RFC's defaults.
struct Attr {
    /// Empty: the attribute's name.
    description: &'static str,
    required: bool,
    mutability: &'static str,
    uniqueness: &'static str,
    canonical: &'static [&'static str],
    case_exact: bool,
    reference_types: &'static [&'static str],
}

impl Default for Attr {
    fn default() -> Self {
        Self {
            description: "",
            required: false,
            mutability: "readWrite",
            uniqueness: "none",
            canonical: &[],
            case_exact: false,
            reference_types: &[],
        }
    }
}

fn attribute(name: &str, kind: &str, attr: Attr) -> Value {
    let mut value = json!({
        "name": name,
        "type": kind,
        "multiValued": false,
        "description": if attr.description.is_empty() { name } else { attr.description },
        "required": attr.required,
        "caseExact": attr.case_exact,
        "mutability": attr.mutability,
        "returned": "default",
        "uniqueness": attr.uniqueness,
    });
    if !attr.canonical.is_empty() {
        value["canonicalValues"] = json!(attr.canonical);
    }
    if !attr.reference_types.is_empty() {
        value["referenceTypes"] = json!(attr.reference_types);
    }
    value
}

fn complex(name: &str, multi_valued: bool, attr: Attr, sub_attributes: Vec<Value>) -> Value {
    let mut value = attribute(name, "complex", attr);
    value["multiValued"] = multi_valued.into();
    value["subAttributes"] = sub_attributes.into();
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://help.example.com/scim/v2";

    /// Every attribute, sub-attributes included.
    fn attributes(schema: &Value) -> Vec<&Value> {
        let mut all = Vec::new();
        for attribute in schema["attributes"].as_array().unwrap() {
            all.push(attribute);
            if let Some(subs) = attribute["subAttributes"].as_array() {
                all.extend(subs);
            }
        }
        all
    }

    #[test]
    fn every_attribute_states_every_characteristic() {
        for schema in schemas(BASE, true) {
            for attribute in attributes(&schema) {
                for characteristic in [
                    "name",
                    "type",
                    "multiValued",
                    "description",
                    "required",
                    "caseExact",
                    "mutability",
                    "returned",
                    "uniqueness",
                ] {
                    assert!(
                        attribute.get(characteristic).is_some(),
                        "{} lacks {characteristic}",
                        attribute["name"]
                    );
                }
                assert_eq!(
                    attribute.get("subAttributes").is_some(),
                    attribute["type"] == "complex",
                    "{}",
                    attribute["name"]
                );
            }
        }
    }

    #[test]
    fn each_resource_type_names_a_schema_served_and_a_relative_endpoint() {
        let served: Vec<Value> = schemas(BASE, true)
            .into_iter()
            .map(|s| s["id"].clone())
            .collect();
        assert_eq!(resource_types(BASE, false).len(), 1, "no teams, no groups");
        for resource_type in resource_types(BASE, true) {
            assert!(served.contains(&resource_type["schema"]));
            assert!(resource_type["endpoint"].as_str().unwrap().starts_with('/'));
            assert!(resource_type["meta"]["location"]
                .as_str()
                .unwrap()
                .starts_with(BASE));
        }
        let config = service_provider_config(BASE);
        assert_eq!(config["patch"]["supported"], true);
        assert_eq!(config["etag"]["supported"], true);
        assert_eq!(config["filter"]["maxResults"], MAX_RESULTS);
    }
}
