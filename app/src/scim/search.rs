//! Searching with POST (RFC 7644 §3.4.3): `POST /Users/.search`,
//! `POST /Groups/.search`, and `POST /.search` at the root, which searches
//! users and then groups (a filter naming attributes of one type finds none
//! of the other). The body is a SearchRequest; its `filter`, paging and
//! attribute lists mean what they mean in a GET.

use axum::extract::State;
use serde_json::Value;

use super::{
    caller::ScimCaller,
    error::{ScimError, ScimType},
    list_request::{list_response, ListRequest},
    projection::Projection,
    request::ScimJson,
    users, Scim,
};
use crate::state::AppState;

pub const SEARCH_REQUEST: &str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

/// `POST /Users/.search`.
pub async fn users(
    State(state): State<AppState>,
    caller: ScimCaller,
    ScimJson(body): ScimJson,
) -> Result<Scim, ScimError> {
    let request = read(&body)?;
    Ok(Scim(users::search(&state, &caller, &request).await?))
}

/// `POST /Groups/.search`.
pub async fn groups(
    State(state): State<AppState>,
    caller: ScimCaller,
    ScimJson(body): ScimJson,
) -> Result<Scim, ScimError> {
    let request = read(&body)?;
    Ok(Scim(
        super::groups::search(&state, &caller, &request).await?,
    ))
}

/// `POST /.search`: users, then groups, as one list.
pub async fn everything(
    State(state): State<AppState>,
    caller: ScimCaller,
    ScimJson(body): ScimJson,
) -> Result<Scim, ScimError> {
    let request = read(&body)?;
    let user_criteria = match request.filter.as_deref() {
        None => Some(Vec::new()),
        Some(text) => {
            let filter = super::filter::parse(text)?;
            super::user_filter::criteria(&filter).ok()
        }
    };
    let group_criteria = super::groups::root_criteria(&caller, &request);
    if user_criteria.is_none() && group_criteria.is_none() {
        return Err(ScimError::bad(
            ScimType::InvalidFilter,
            "The filter names no attribute Roster filters users or groups by.",
        ));
    }
    let (offset, limit) = (request.offset(), request.limit());
    let mut resources = Vec::new();
    let mut users_total = 0;
    if let Some(wanted) = &user_criteria {
        let (found, total) =
            users::search_page(&state, &caller, wanted, offset, limit, &request.projection).await?;
        resources = found;
        users_total = total;
    }
    let mut groups_total = 0;
    if let Some(criteria) = &group_criteria {
        // Groups follow the users: the page starts among them once past
        // every user, and fills what the users leave of it.
        let group_offset = (offset - users_total).max(0);
        let room = limit - resources.len() as i64;
        let (found, total) = super::groups::search_page(
            &state,
            &caller,
            criteria,
            group_offset,
            room.max(0),
            &request.projection,
        )
        .await?;
        resources.extend(found);
        groups_total = total;
    }
    Ok(Scim(list_response(
        users_total + groups_total,
        request.start_index(),
        resources,
    )))
}

fn read(body: &Value) -> Result<ListRequest, ScimError> {
    let Value::Object(body) = body else {
        return Err(syntax("A search is a JSON object."));
    };
    let mut schemas_named = false;
    let mut request = ListRequest::default();
    let mut attributes = Vec::new();
    let mut excluded = Vec::new();
    for (key, value) in body {
        match key.to_ascii_lowercase().as_str() {
            "schemas" => {
                schemas_named = value.as_array().is_some_and(|schemas| {
                    schemas.iter().any(|s| {
                        s.as_str()
                            .is_some_and(|s| s.eq_ignore_ascii_case(SEARCH_REQUEST))
                    })
                })
            }
            "filter" => request.filter = text(value, "filter")?,
            "startindex" => request.start_index = whole(value, "startIndex")?,
            "count" => request.count = whole(value, "count")?,
            "attributes" => attributes = names(value, "attributes")?,
            "excludedattributes" => excluded = names(value, "excludedAttributes")?,
            // Sorting is not offered (ServiceProviderConfig says so): ignored.
            "sortby" | "sortorder" => {}
            _ => {
                return Err(syntax(format!(
                    "A SearchRequest has no {}.",
                    key.chars().take(64).collect::<String>()
                )))
            }
        }
    }
    if !schemas_named {
        return Err(syntax(format!("schemas must list {SEARCH_REQUEST}.")));
    }
    request.projection = Projection::of_lists(&attributes, &excluded)?;
    Ok(request)
}

fn syntax(detail: impl Into<String>) -> ScimError {
    ScimError::bad(ScimType::InvalidSyntax, detail)
}

fn text(value: &Value, name: &str) -> Result<Option<String>, ScimError> {
    match value {
        Value::Null => Ok(None),
        Value::String(text) => Ok(Some(text.clone())),
        _ => Err(ScimError::bad(
            ScimType::InvalidValue,
            format!("{name} must be a string."),
        )),
    }
}

fn whole(value: &Value, name: &str) -> Result<Option<i64>, ScimError> {
    match value {
        Value::Null => Ok(None),
        Value::Number(number) => number.as_i64().map(Some).ok_or_else(|| {
            ScimError::bad(
                ScimType::InvalidValue,
                format!("{name} must be a whole number."),
            )
        }),
        _ => Err(ScimError::bad(
            ScimType::InvalidValue,
            format!("{name} must be a whole number."),
        )),
    }
}

fn names(value: &Value, name: &str) -> Result<Vec<String>, ScimError> {
    let bad = || {
        ScimError::bad(
            ScimType::InvalidValue,
            format!("{name} must be a list of attribute names."),
        )
    };
    match value {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .iter()
            .map(|item| item.as_str().map(str::to_owned).ok_or_else(bad))
            .collect(),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_search_request_reads_as_a_list_query() {
        let request = read(&json!({
            "schemas": [SEARCH_REQUEST],
            "filter": "userName eq \"a\"",
            "startIndex": 2,
            "count": 5,
            "attributes": ["userName"],
        }))
        .unwrap();
        assert_eq!(request.filter.as_deref(), Some("userName eq \"a\""));
        assert_eq!((request.start_index, request.count), (Some(2), Some(5)));
        assert!(matches!(request.projection, Projection::Only(_)));
        for bad in [
            json!({ "filter": "x" }),
            json!({ "schemas": [SEARCH_REQUEST], "count": "5" }),
            json!({ "schemas": [SEARCH_REQUEST], "attributes": "userName" }),
            json!({ "schemas": [SEARCH_REQUEST], "limit": 5 }),
            json!([]),
        ] {
            assert_eq!(read(&bad).unwrap_err().status, 400, "{bad}");
        }
    }
}
