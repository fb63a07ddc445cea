//! A user as a SCIM resource (RFC 7643 §4.1). What an identity provider
//! wrote is shown back exactly as written (a `users.scim_profile` beside
//! the columns Roster reads) for as long as Roster's own values are the
//! ones it gave: once someone changes the name or address in Roster, SCIM
//! shows Roster's. Users never written by SCIM show Roster's values.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::{schemas::USER_SCHEMA, user_input::UserInput};

/// A user as the SCIM queries read them.
#[derive(Clone, Debug)]
pub struct UserRecord {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub scim_user_name: Option<String>,
    pub scim_external_id: Option<String>,
    pub scim_profile: Option<Value>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// What `users.scim_profile` holds: the attributes as last written, and
/// the Roster name, address and activity they left then.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredProfile {
    pub seen_name: String,
    pub seen_email: String,
    pub seen_active: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emails: Option<Vec<Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

impl StoredProfile {
    /// What to keep of `input`, saved as the user `name` and `email`,
    /// `active` or not.
    pub fn of(input: &UserInput, name: &str, email: &str, active: bool) -> Self {
        Self {
            seen_name: name.to_owned(),
            seen_email: email.to_owned(),
            seen_active: active,
            name: input.name.clone(),
            display_name: input.display_name.clone(),
            emails: input.emails.clone(),
            active: input.active,
        }
    }
}

impl UserRecord {
    /// `userName`: the identity provider's when it gave one other than the
    /// address, else the address (and so it follows a change of address).
    pub fn user_name(&self) -> &str {
        self.scim_user_name.as_deref().unwrap_or(&self.email)
    }

    /// The writable attributes as SCIM shows them now.
    pub fn attributes(&self) -> Map<String, Value> {
        let stored = self
            .scim_profile
            .clone()
            .and_then(|profile| serde_json::from_value::<StoredProfile>(profile).ok());
        let mut attributes = Map::new();
        attributes.insert("userName".into(), self.user_name().into());
        if let Some(external_id) = &self.scim_external_id {
            attributes.insert("externalId".into(), external_id.as_str().into());
        }
        match stored
            .as_ref()
            .filter(|stored| stored.seen_name == self.name)
        {
            Some(stored) => {
                if let Some(name) = &stored.name {
                    attributes.insert("name".into(), Value::Object(name.clone()));
                }
                if let Some(display_name) = &stored.display_name {
                    attributes.insert("displayName".into(), display_name.as_str().into());
                }
            }
            None => {
                let (given, family) = crate::domain::first_and_last(&self.name);
                attributes.insert(
                    "name".into(),
                    json!({ "formatted": self.name, "givenName": given, "familyName": family }),
                );
                attributes.insert("displayName".into(), self.name.as_str().into());
            }
        }
        match stored
            .as_ref()
            .filter(|stored| stored.seen_email == self.email)
        {
            Some(stored) => {
                if let Some(emails) = &stored.emails {
                    attributes.insert("emails".into(), Value::Array(emails.clone()));
                }
            }
            None => {
                attributes.insert(
                    "emails".into(),
                    json!([{ "value": self.email, "type": "work", "primary": true }]),
                );
            }
        }
        // Unassigned by the identity provider (which leaves the user as
        // they were), and nobody has changed it in Roster since: unassigned.
        let unassigned = stored
            .as_ref()
            .is_some_and(|stored| stored.active.is_none() && stored.seen_active == self.active);
        if !unassigned {
            attributes.insert("active".into(), self.active.into());
        }
        attributes
    }

    /// The whole resource, at the service whose base URL is `base`.
    pub fn resource(&self, base: &str) -> Value {
        let mut resource = Map::new();
        resource.insert("schemas".into(), json!([USER_SCHEMA]));
        resource.insert("id".into(), self.id.to_string().into());
        resource.extend(self.attributes());
        resource.insert(
            "meta".into(),
            json!({
                "resourceType": "User",
                "created": self.created_at.to_rfc3339_opts(SecondsFormat::Millis, true),
                "lastModified": self.updated_at.to_rfc3339_opts(SecondsFormat::Millis, true),
                "location": format!("{base}/Users/{}", self.id),
                "version": etag(self.version),
            }),
        );
        Value::Object(resource)
    }

    pub fn etag(&self) -> String {
        etag(self.version)
    }
}

/// A user's version as an ETag (RFC 7644 §3.14): weak, as the resource's
/// JSON is not kept byte for byte.
pub fn etag(version: i64) -> String {
    format!("W/\"{version}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(name: &str, email: &str, profile: Option<Value>) -> UserRecord {
        UserRecord {
            id: Uuid::nil(),
            name: name.into(),
            email: email.into(),
            scim_user_name: None,
            scim_external_id: None,
            scim_profile: profile,
            active: true,
            created_at: DateTime::UNIX_EPOCH,
            updated_at: DateTime::UNIX_EPOCH,
            version: 3,
        }
    }

    #[test]
    fn a_user_scim_never_wrote_shows_roster_values() {
        let attributes =
            Value::Object(record("Ada Lovelace", "ada@example.com", None).attributes());
        assert_eq!(
            attributes,
            json!({
                "userName": "ada@example.com",
                "name": { "formatted": "Ada Lovelace", "givenName": "Ada", "familyName": "Lovelace" },
                "displayName": "Ada Lovelace",
                "emails": [{ "value": "ada@example.com", "type": "work", "primary": true }],
                "active": true,
            })
        );
    }

    #[test]
    fn what_scim_wrote_shows_until_roster_changes_it() {
        let sent = json!({
            "userName": "u-1",
            "name": { "givenName": "Ada" },
            "emails": [{ "value": "Ada@Example.com", "type": "other", "primary": false }],
        });
        let input = UserInput::parse(sent.as_object().unwrap()).unwrap();
        let profile =
            serde_json::to_value(StoredProfile::of(&input, "Ada", "Ada@example.com", true))
                .unwrap();
        let mut user = record("Ada", "Ada@example.com", Some(profile));
        user.scim_user_name = Some("u-1".into());
        let shown = user.attributes();
        assert_eq!(shown["name"], sent["name"]);
        assert_eq!(shown["emails"], sent["emails"]);
        assert!(shown.get("displayName").is_none());
        // Unassigned, and as it was: not shown; deactivated in Roster: shown.
        assert!(shown.get("active").is_none());
        user.active = false;
        assert_eq!(user.attributes()["active"], false);
        // Unassigned while deactivated: the user stays so, shown unassigned.
        let removed = StoredProfile::of(&input, "Ada", "Ada@example.com", false);
        let mut left = user.clone();
        left.scim_profile = Some(serde_json::to_value(removed).unwrap());
        assert!(left.attributes().get("active").is_none());
        // Renamed in Roster: Roster's name; the address is still SCIM's.
        user.name = "Ada King".into();
        let shown = user.attributes();
        assert_eq!(shown["displayName"], "Ada King");
        assert_eq!(shown["emails"], sent["emails"]);
        user.email = "ada@king.example".into();
        assert_eq!(user.attributes()["emails"][0]["value"], "ada@king.example");
        assert_eq!(
            user.resource("https://x/scim/v2")["meta"]["version"],
            "W/\"3\""
        );
    }
}
