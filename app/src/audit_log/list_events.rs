use leptos::prelude::*;

use super::{AuditEvents, AuditLogError};

/// A page of the account's audit log, for its Owner and Administrators.
/// Each argument is one parameter of the page's address; a filter that
/// cannot be read comes back as the page's errors, with a 400.
#[server(endpoint = "audit-log/list")]
pub async fn list_audit_events(
    #[server(default)] person: String,
    #[server(default)] kind: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] before: String,
) -> Result<AuditEvents, AuditLogError> {
    use crate::{error::respond, session::Viewer, state::use_state};

    let viewer = Viewer::user_manager::<AuditLogError>().map_err(respond)?;
    let filter = match super::AuditFilter::parse(&person, &kind, &from, &to, &before) {
        Ok(filter) => filter,
        Err(errors) => return Ok(refused(errors)),
    };
    match super::store::page(&use_state().pool, &viewer, &filter).await {
        Err(AuditLogError::Invalid(errors)) => Ok(refused(errors)),
        page => page.map_err(respond),
    }
}

#[cfg(feature = "ssr")]
fn refused(errors: crate::domain::FieldErrors) -> AuditEvents {
    crate::error::set_page_status(400);
    super::store::refused(errors)
}
