//! What a list or a single resource's answer may ask for (RFC 7644 §3.4.2):
//! `filter`, `startIndex` and `count` paging, and the attribute lists, from
//! a query string or a search body; and the ListResponse that answers it.

use axum::extract::Query;
use serde_json::{json, Value};

use super::{
    error::{ScimError, ScimType},
    projection::Projection,
    schemas::{LIST_RESPONSE, MAX_RESULTS},
};

/// What a list asks for.
#[derive(Clone, Debug, Default)]
pub struct ListRequest {
    pub filter: Option<String>,
    pub start_index: Option<i64>,
    pub count: Option<i64>,
    pub projection: Projection,
}

impl ListRequest {
    /// 1-based; anything below 1 is 1 (RFC 7644 §3.4.2.4).
    pub fn start_index(&self) -> i64 {
        self.start_index.unwrap_or(1).max(1)
    }

    pub fn offset(&self) -> i64 {
        self.start_index() - 1
    }

    /// At most [`MAX_RESULTS`]; a negative count is 0.
    pub fn limit(&self) -> i64 {
        self.count
            .unwrap_or(i64::from(MAX_RESULTS))
            .clamp(0, i64::from(MAX_RESULTS))
    }
}

/// A list's query parameters, as sent.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListQuery {
    filter: Option<String>,
    start_index: Option<String>,
    count: Option<String>,
    attributes: Option<String>,
    excluded_attributes: Option<String>,
}

impl ListQuery {
    pub fn read(self) -> Result<ListRequest, ScimError> {
        Ok(ListRequest {
            filter: self.filter,
            start_index: number(self.start_index.as_deref(), "startIndex")?,
            count: number(self.count.as_deref(), "count")?,
            projection: Projection::parse(
                self.attributes.as_deref(),
                self.excluded_attributes.as_deref(),
            )?,
        })
    }
}

/// A single resource's query parameters.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OneQuery {
    attributes: Option<String>,
    excluded_attributes: Option<String>,
}

impl OneQuery {
    pub fn projection(self) -> Result<Projection, ScimError> {
        Projection::parse(
            self.attributes.as_deref(),
            self.excluded_attributes.as_deref(),
        )
    }
}

pub type QueryOf<T> = Result<Query<T>, axum::extract::rejection::QueryRejection>;

/// The query, or SCIM's 400 for one that cannot be read.
pub fn query<T>(query: QueryOf<T>) -> Result<T, ScimError> {
    query
        .map(|Query(query)| query)
        .map_err(|rejection| ScimError::bad(ScimType::InvalidValue, rejection.body_text()))
}

/// A ListResponse of `resources`, from `start_index`, of `total` in all.
pub fn list_response(total: i64, start_index: i64, resources: Vec<Value>) -> Value {
    json!({
        "schemas": [LIST_RESPONSE],
        "totalResults": total,
        "startIndex": start_index,
        "itemsPerPage": resources.len(),
        "Resources": resources,
    })
}

/// A whole number parameter, if given.
fn number(raw: Option<&str>, name: &str) -> Result<Option<i64>, ScimError> {
    raw.map(|raw| {
        raw.trim().parse::<i64>().map_err(|_| {
            ScimError::bad(
                ScimType::InvalidValue,
                format!("{name} must be a whole number."),
            )
        })
    })
    .transpose()
}
