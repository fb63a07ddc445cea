use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
};

use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, request::Parts, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

use app::body::{read_within, Unread};

use super::MAX_BODY_BYTES;

/// The fields each server function accepts, by path, and which of them take
/// a file upload (with their body limit).
pub struct ApiFields(
    HashMap<&'static str, &'static [&'static str]>,
    HashMap<&'static str, usize>,
);

impl ApiFields {
    pub fn new(
        entries: Vec<(&'static str, &'static [&'static str])>,
        uploads: Vec<(&'static str, usize)>,
    ) -> Self {
        Self(entries.into_iter().collect(), uploads.into_iter().collect())
    }

    /// The largest body any server function reads.
    pub fn max_body_bytes(&self) -> usize {
        self.1.values().copied().fold(MAX_BODY_BYTES, usize::max)
    }

    pub fn paths(&self) -> impl Iterator<Item = &&'static str> {
        self.0.keys()
    }
}

/// Checks the shape of a server function call before server_fn reads it:
/// POST only (405), a form body (415), at most 64 KiB (413), each field at
/// most once (400) and only the fields the function takes (422).
pub async fn guard_server_fns(
    State(api): State<Arc<ApiFields>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if !path.starts_with("/api/") {
        return next.run(request).await;
    }
    let Some(fields) = api.0.get(path).copied() else {
        return refuse(StatusCode::NOT_FOUND, "There is no such action.".into());
    };
    if request.method() != Method::POST {
        let mut response = refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            "This action only accepts POST.".into(),
        );
        response
            .headers_mut()
            .insert(header::ALLOW, header::HeaderValue::from_static("POST"));
        return response;
    }
    if let Some(limit) = api.1.get(path).copied() {
        return guard_upload(request, limit, next).await;
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';').next().is_some_and(|t| {
                t.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        });
    if !is_form {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Send this action as application/x-www-form-urlencoded.".into(),
        );
    }
    let (parts, body) = request.into_parts();
    let bytes = match read_within(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(Unread::TooLarge) => {
            return refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                "This request is too large.".into(),
            )
        }
        Err(Unread::BrokeOff) => {
            return refuse(StatusCode::BAD_REQUEST, "The request broke off.".into())
        }
    };
    if let Err((status, message)) = check_fields(&bytes, fields) {
        return refuse(status, message);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// A file upload: `multipart/form-data` with a boundary, read whole (up to
/// `limit`) before the function parses it. Its fields are the function's
/// own check, since it reads them one by one.
async fn guard_upload(request: Request, limit: usize, next: Next) -> Response {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let is_multipart = content_type
        .split(';')
        .next()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("multipart/form-data"));
    let has_boundary = content_type.split(';').skip(1).any(|param| {
        param
            .trim()
            .strip_prefix("boundary=")
            .is_some_and(|b| !b.trim_matches('"').is_empty() && b.len() <= 200)
    });
    if !is_multipart || !has_boundary {
        // Read what is sent first (as for a file too large), so that a
        // client still sending gets the answer rather than a reset.
        app::body::refuse(request.into_body()).await;
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Send this action as multipart/form-data.".into(),
        );
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let (parts, body) = request.into_parts();
    if declared.is_some_and(|length| length > limit) {
        app::body::refuse(body).await;
        return too_large(&parts);
    }
    let bytes = match read_within(body, limit).await {
        Ok(bytes) => bytes,
        Err(Unread::TooLarge) => return too_large(&parts),
        Err(Unread::BrokeOff) => {
            return refuse(StatusCode::BAD_REQUEST, "The upload broke off.".into())
        }
    };
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// A file over the limit: a browser posting the form without JavaScript is
/// sent back to its page with the error next to the field; anything else
/// gets 413.
fn too_large(parts: &Parts) -> Response {
    let path = parts.uri.path();
    let accepts_html = parts
        .headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    // Only the path of the page it came from: never another site.
    let back = parts
        .headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| url::Url::parse(v).ok())
        .map(|url| url[url::Position::BeforePath..].to_owned());
    let redirect = back
        .filter(|_| accepts_html)
        .and_then(|back| app::api_fields::upload_too_large_redirect(path, &back));
    match redirect.and_then(|to| header::HeaderValue::from_str(&to).ok()) {
        Some(location) => {
            let mut response = StatusCode::SEE_OTHER.into_response();
            response.headers_mut().insert(header::LOCATION, location);
            response
        }
        None => refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "This file is too large: a photo can be at most 2 MB.".into(),
        ),
    }
}

fn check_fields(body: &[u8], accepted: &[&str]) -> Result<(), (StatusCode, String)> {
    let mut seen = HashSet::new();
    for (name, _) in url::form_urlencoded::parse(body) {
        let (base, index) = split_list_field(&name);
        if !accepted.contains(&base) {
            return Err((
                StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "This action does not take a field named {:?}.",
                    truncate(&name)
                ),
            ));
        }
        // `inboxes[]` (a checkbox group) may repeat; anything else is sent once.
        if index != Some("") && !seen.insert(name.clone()) {
            return Err((
                StatusCode::BAD_REQUEST,
                format!("The field {:?} was sent more than once.", truncate(&name)),
            ));
        }
    }
    Ok(())
}

/// `inboxes[]` and `inboxes[3]` are items of the list field `inboxes`; the
/// index, when there is one, is at most three digits.
fn split_list_field(name: &str) -> (&str, Option<&str>) {
    if let Some(open) = name.find('[') {
        let index = &name[open + 1..];
        if let Some(index) = index.strip_suffix(']') {
            if index.len() <= 3 && index.bytes().all(|b| b.is_ascii_digit()) {
                return (&name[..open], Some(index));
            }
        }
    }
    (name, None)
}

fn truncate(name: &str) -> String {
    name.chars().take(40).collect()
}

fn refuse(status: StatusCode, message: String) -> Response {
    (status, message).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: &[&str] = &["name", "email"];

    #[test]
    fn accepts_known_fields_once_each() {
        assert!(check_fields(b"name=Ada&email=a%40x.io", FIELDS).is_ok());
        assert!(check_fields(b"name=Ada", FIELDS).is_ok());
    }

    #[test]
    fn refuses_extra_fields_with_422() {
        let (status, _) = check_fields(b"name=Ada&role=owner", FIELDS).unwrap_err();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, _) = check_fields(b"name[role]=owner", FIELDS).unwrap_err();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    #[test]
    fn list_fields_take_indexed_or_repeated_items() {
        const LISTS: &[&str] = &["name", "inboxes"];
        assert!(check_fields(b"inboxes%5B%5D=a&inboxes%5B%5D=b", LISTS).is_ok());
        assert!(check_fields(b"inboxes[0]=a&inboxes[1]=b", LISTS).is_ok());
        let (status, _) = check_fields(b"inboxes[0]=a&inboxes[0]=b", LISTS).unwrap_err();
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, _) = check_fields(b"teams[]=a", LISTS).unwrap_err();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, _) = check_fields(b"inboxes[1000]=a", LISTS).unwrap_err();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    #[test]
    fn refuses_repeated_fields_with_400() {
        let (status, _) = check_fields(b"name=a&name=b", FIELDS).unwrap_err();
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }
}
