//! The group filters Roster answers: what identity providers send to find
//! a group before creating it (`displayName eq "…"`, `externalId eq "…"`),
//! joined by `and`. Any other filter is a 400 `invalidFilter`.

use super::{
    error::{ScimError, ScimType},
    filter::{Filter, Op, Value},
    group_store::GroupCriteria,
};

const GROUP_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:group";

pub fn criteria(filter: &Filter) -> Result<GroupCriteria, ScimError> {
    let mut criteria = GroupCriteria::default();
    collect(filter, &mut criteria)?;
    Ok(criteria)
}

fn collect(filter: &Filter, criteria: &mut GroupCriteria) -> Result<(), ScimError> {
    match filter {
        Filter::And(left, right) => {
            collect(left, criteria)?;
            collect(right, criteria)
        }
        Filter::Compare {
            path,
            op: Op::Eq,
            value: Value::Str(text),
        } if path.sub.is_none() && path.urn.as_deref().is_none_or(|urn| urn == GROUP_URN) => {
            match path.name.as_str() {
                "displayname" => criteria.display_name = Some(text.clone()),
                "externalid" => criteria.external_id = Some(text.clone()),
                _ => return Err(unsupported()),
            }
            Ok(())
        }
        _ => Err(unsupported()),
    }
}

fn unsupported() -> ScimError {
    ScimError::bad(
        ScimType::InvalidFilter,
        "Roster filters groups by displayName and externalId, each with eq, joined by and.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scim::filter::parse;

    #[test]
    fn by_name_and_external_id_only() {
        let found =
            criteria(&parse(r#"displayName eq "Tier 2" and externalId eq "g1""#).unwrap()).unwrap();
        assert_eq!(found.display_name.as_deref(), Some("Tier 2"));
        assert_eq!(found.external_id.as_deref(), Some("g1"));
        for other in [
            r#"displayName co "T""#,
            r#"members[value eq "1"]"#,
            r#"userName eq "a""#,
        ] {
            let error = criteria(&parse(other).unwrap()).unwrap_err();
            assert_eq!(error.scim_type, Some(ScimType::InvalidFilter), "{other}");
        }
    }
}
