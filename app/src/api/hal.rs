//! HAL+JSON (`application/hal+json`) as Help Scout's Mailbox API 2.0 writes
//! it: a list's items under `_embedded`, its `page`, and `_links` whose
//! addresses are absolute, built from PUBLIC_URL.

use std::sync::Arc;

use axum::{
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use serde_json::{json, Value};

use super::ApiError;
use crate::public_url::PublicUrl;

/// How many items a page of a list holds.
pub const PAGE_SIZE: i64 = 50;

/// A HAL document, written out, answered with its media type. Cheap to
/// clone, so a written page can be kept and answered again (see
/// [`super::kept`]).
#[derive(Clone, Debug)]
pub struct Hal(Arc<str>);

impl IntoResponse for Hal {
    fn into_response(self) -> Response {
        let mut response =
            axum::body::Body::from(axum::body::Bytes::from_owner(ArcText(self.0))).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/hal+json"),
        );
        response
    }
}

impl Hal {
    /// One resource, as its own document.
    pub fn of(resource: impl Serialize) -> Result<Hal, ApiError> {
        let text = serde_json::to_string(&resource).map_err(anyhow::Error::from)?;
        Ok(Hal(text.into()))
    }

    /// The document's JSON.
    pub fn text(&self) -> &str {
        &self.0
    }
}

/// A written document as a response body's bytes, without copying them.
struct ArcText(Arc<str>);

impl AsRef<[u8]> for ArcText {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// The number in a resource's path (`/v2/users/{id}`): anything but a
/// positive number names no resource.
pub fn path_number(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|number| *number > 0)
        .ok_or(ApiError::NotFound)
}

/// A list's query string, or a 400 saying it could not be read (a
/// parameter given twice, say).
pub fn read_query<T>(
    query: Result<axum::extract::Query<T>, axum::extract::rejection::QueryRejection>,
) -> Result<T, ApiError> {
    query
        .map(|axum::extract::Query(query)| query)
        .map_err(|rejection| {
            ApiError::invalid("query", "could not be read", &rejection.body_text())
        })
}

/// `{"href": …}` for `path` under Roster.
pub fn link(public_url: &PublicUrl, path: &str) -> Value {
    json!({ "href": public_url.link(path) })
}

/// `2011-04-01T03:18:33Z`: ISO 8601 in UTC, to the second, as Help Scout
/// writes it.
pub fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The page a list request asks for: `page=N`, from 1 (to the largest
/// 32-bit number, as the OpenAPI document says); absent means 1.
pub fn page_number(raw: Option<&str>) -> Result<i64, ApiError> {
    let Some(raw) = raw else { return Ok(1) };
    raw.trim()
        .parse::<i32>()
        .ok()
        .filter(|page| *page >= 1)
        .map(i64::from)
        .ok_or_else(|| {
            ApiError::invalid("page", "must be a whole number from 1 to 2147483647", raw)
        })
}

/// One page of a list, as the client sees it.
pub struct ListPage<T> {
    /// What `_embedded` calls the items (`users`).
    pub name: &'static str,
    pub items: Vec<T>,
    pub number: i64,
    pub total: i64,
    /// The list's path and the query that filtered it (without `page`),
    /// e.g. `/v2/users` and `email=a%40b.com`.
    pub path: String,
    pub query: String,
}

impl<T: Serialize> ListPage<T> {
    pub fn into_hal(self, public_url: &PublicUrl) -> Result<Hal, ApiError> {
        let pages = (self.total + PAGE_SIZE - 1) / PAGE_SIZE;
        let prefix = if self.query.is_empty() {
            String::new()
        } else {
            format!("{}&", self.query)
        };
        let at = |page: i64| link(public_url, &format!("{}?{prefix}page={page}", self.path));
        let mut links = json!({
            "self": at(self.number),
            "first": at(1),
            "last": at(pages.max(1)),
            "page": {
                "href": public_url.link(&format!("{}?{prefix}page={{page}}", self.path)),
                "templated": true,
            },
        });
        if self.number < pages {
            links["next"] = at(self.number + 1);
        }
        if self.number > 1 && self.number <= pages {
            links["prev"] = at(self.number - 1);
        }
        let items = serde_json::to_value(&self.items).map_err(anyhow::Error::from)?;
        Hal::of(json!({
            "_embedded": { self.name: items },
            "_links": links,
            "page": {
                "size": PAGE_SIZE,
                "totalElements": self.total,
                "totalPages": pages,
                "number": self.number,
            },
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(number: i64, total: i64) -> Value {
        let url = PublicUrl::parse("https://roster.example").unwrap();
        ListPage {
            name: "users",
            items: Vec::<u8>::new(),
            number,
            total,
            path: "/v2/users".into(),
            query: "email=a%40b.com".into(),
        }
        .into_hal(&url)
        .unwrap()
        .text()
        .parse()
        .unwrap()
    }

    #[test]
    fn links_lead_through_every_page_once() {
        let first = page(1, 120);
        assert_eq!(first["page"]["totalPages"], 3);
        assert_eq!(
            first["_links"]["next"]["href"],
            "https://roster.example/v2/users?email=a%40b.com&page=2"
        );
        assert!(first["_links"].get("prev").is_none());
        let last = page(3, 120);
        assert!(last["_links"].get("next").is_none());
        assert_eq!(
            last["_links"]["prev"]["href"],
            "https://roster.example/v2/users?email=a%40b.com&page=2"
        );
        assert_eq!(
            last["_links"]["last"]["href"],
            "https://roster.example/v2/users?email=a%40b.com&page=3"
        );
    }

    #[test]
    fn an_empty_list_has_one_page_and_no_neighbours() {
        let empty = page(1, 0);
        assert_eq!(empty["page"]["totalPages"], 0);
        assert_eq!(
            empty["_links"]["last"]["href"],
            "https://roster.example/v2/users?email=a%40b.com&page=1"
        );
        assert!(empty["_links"].get("next").is_none());
        let beyond = page(9, 120);
        assert!(beyond["_links"].get("next").is_none() && beyond["_links"].get("prev").is_none());
    }

    #[test]
    fn timestamps_are_whole_seconds_in_utc() {
        let at = chrono::DateTime::parse_from_rfc3339("2011-04-01T03:18:33.123456+00:00")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(timestamp(at), "2011-04-01T03:18:33Z");
    }

    #[test]
    fn page_numbers_are_whole_and_from_one() {
        assert_eq!(page_number(None).unwrap(), 1);
        assert_eq!(page_number(Some("3")).unwrap(), 3);
        for bad in ["0", "-1", "x", "1.5", "99999999999999999999", ""] {
            assert!(page_number(Some(bad)).is_err(), "{bad}");
            assert!(matches!(path_number(bad), Err(ApiError::NotFound)), "{bad}");
        }
        assert_eq!(page_number(Some("2147483647")).unwrap(), 2_147_483_647);
        assert!(page_number(Some("2147483648")).is_err());
        assert_eq!(path_number("42").unwrap(), 42);
    }
}
