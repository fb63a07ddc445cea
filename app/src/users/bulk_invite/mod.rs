//! Invite from CSV (`/manage/users/invite-from-csv`): upload a file of
//! people, see each row checked as Add User would check it, then create
//! every row that passed, each with their invite email, in one transaction.
//! The file is kept (for a week) between the check and Create, so the page
//! works without JavaScript and a second press creates nobody twice.

mod page;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use page::InviteFromCsvPage;

#[cfg(feature = "ssr")]
pub mod file;
#[cfg(feature = "ssr")]
pub mod rows;
#[cfg(feature = "ssr")]
pub mod store;

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

use super::UsersError;

/// The page's address.
pub const PAGE_PATH: &str = "/manage/users/invite-from-csv";
/// Where the file form posts (a server-only function: the browser bundle
/// carries no multipart parser).
pub const CHECK_PATH: &str = "/api/users/invite-from-csv/check";
/// The template file to fill in.
pub const TEMPLATE_PATH: &str = "/manage/users/invite-from-csv/template.csv";
/// The template's content: the header and two example rows.
pub const TEMPLATE: &str = "name,email,role,inboxes\r\nAda Lovelace,ada@example.com,Administrator,Support\r\nGrace Hopper,grace@example.com,User,\"Support, Sales\"\r\n";

/// A row of the file, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedRow {
    /// The line of the file it starts on (the header is line 1).
    pub line: u64,
    pub name: String,
    pub email: String,
    /// The role it gets ("User" when the file leaves it empty).
    pub role: String,
    pub inboxes: String,
    /// Each problem, in Add User's words, after its column ("Email: …").
    pub problems: Vec<String>,
}

/// An uploaded file, checked against the account as it is now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedFile {
    pub id: Uuid,
    pub file_name: String,
    pub rows: Vec<CheckedRow>,
    /// Rows that make a user.
    pub ready: usize,
    /// Once Create was pressed: what it did.
    pub finished: Option<Finished>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finished {
    pub created: i32,
    pub left_out: i32,
    /// When, in the viewer's zone and clock.
    pub at: String,
}

/// Reads the uploaded file (`file`), keeps it, and sends the browser to
/// its check. A file that cannot be read comes back with the reason next
/// to the field.
#[cfg(feature = "ssr")]
#[server(endpoint = "users/invite-from-csv/check", input = MultipartFormData)]
pub async fn check_csv_file(data: MultipartData) -> Result<(), UsersError> {
    use crate::{domain::FieldErrors, error::respond, state::use_state};

    let viewer = crate::session::Viewer::user_manager::<UsersError>().map_err(respond)?;
    let invalid = |message: &str| UsersError::Invalid(FieldErrors::single("file", message));
    let unreadable = |_| {
        respond(UsersError::BadRequest {
            message: "The upload could not be read.".into(),
            status: 400,
        })
    };
    let mut multipart = data
        .into_inner()
        .ok_or_else(|| respond(invalid("Choose a CSV file to check.")))?;
    let mut upload = None;
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        if field.name() != Some("file") {
            return Err(respond(UsersError::BadRequest {
                message: "This action takes only the field file.".into(),
                status: 422,
            }));
        }
        let name = field
            .file_name()
            .unwrap_or("")
            .chars()
            .take(200)
            .collect::<String>();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
            if bytes.len() + chunk.len() > file::MAX_FILE_BYTES {
                return Err(respond(invalid(file::TOO_LARGE)));
            }
            bytes.extend_from_slice(&chunk);
        }
        upload = Some((name, bytes));
    }
    let (name, bytes) = upload
        .filter(|(name, bytes)| !name.is_empty() || !bytes.is_empty())
        .ok_or_else(|| respond(invalid("Choose a CSV file to check.")))?;
    let rows = file::read(&bytes).map_err(|error| respond(invalid(&error.0)))?;
    // Kept as read: valid UTF-8 (checked above), without the byte order mark.
    let text = String::from_utf8_lossy(&bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let id = store::keep(&use_state(), &viewer, &name, text, rows.len())
        .await
        .map_err(|error| respond(UsersError::from(error)))?;
    leptos_axum::redirect(&format!("{PAGE_PATH}?file={id}"));
    Ok(())
}

/// The checked file the page shows (`file`: its id), or `None` for the
/// empty page.
#[server(endpoint = "users/invite-from-csv/get")]
pub async fn get_csv_file(
    #[server(default)] file: String,
) -> Result<Option<CheckedFile>, UsersError> {
    use crate::{error::respond, state::use_state};

    let viewer = crate::session::Viewer::user_manager::<UsersError>().map_err(respond)?;
    if file.trim().is_empty() {
        return Ok(None);
    }
    let id = Uuid::parse_str(file.trim()).map_err(|_| respond(UsersError::FileNotFound))?;
    store::checked(&use_state(), &viewer, id)
        .await
        .map(Some)
        .map_err(respond)
}

/// Creates every row of the file that passes the check now, each with
/// their invite email; pressed again, creates nobody more.
#[server(endpoint = "users/invite-from-csv/create")]
pub async fn create_csv_users(#[server(default)] file: String) -> Result<(), UsersError> {
    use crate::{error::respond, request::RequestInfo, state::use_state};

    let viewer = crate::session::Viewer::user_manager::<UsersError>().map_err(respond)?;
    let id = Uuid::parse_str(file.trim()).map_err(|_| respond(UsersError::FileNotFound))?;
    store::create(&use_state(), &viewer, id, &RequestInfo::current())
        .await
        .map_err(respond)?;
    leptos_axum::redirect(&format!("{PAGE_PATH}?file={id}"));
    Ok(())
}
