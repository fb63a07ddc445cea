use leptos::prelude::*;

use super::{UsersError, UsersPage};

/// A page of the viewer's account's live users, for Owners and
/// Administrators: searched by name or email, sorted, with the billing line.
/// `done` and `user` name the action just taken, for its notice.
// Each argument is one parameter of the page's address.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "users/list")]
pub async fn list_users(
    #[server(default)] q: String,
    #[server(default)] sort: String,
    #[server(default)] dir: String,
    #[server(default)] page: String,
    /// `after:ID` or `before:ID` for a page reached by Next or Previous.
    #[server(default)]
    from: String,
    #[server(default)] done: String,
    #[server(default)] user: String,
    /// `show` to list deactivated users too.
    #[server(default)]
    deactivated: String,
    /// A feature permission's stored name: only users who have it.
    #[server(default)]
    permission: String,
) -> Result<UsersPage, UsersError> {
    use crate::{error::respond, state::use_state};

    let viewer = crate::session::Viewer::user_manager::<UsersError>().map_err(respond)?;
    let state = use_state();
    let query = super::UsersQuery {
        from: super::Boundary::from_param(&from),
        ..super::UsersQuery::parse(Some(&q), Some(&sort), Some(&dir), Some(&page), None, None)
            .showing_deactivated(Some(&deactivated))
            .with_permission(Some(&permission))
    };
    let version = crate::session::UsersVersion::current();
    let mut page = super::page_cache::list(&state, &viewer, version, &query)
        .await
        .map_err(|error| respond(UsersError::from(error)))?;
    let done = super::notice::Done::parse(&done);
    if let (Some(done), Ok(user_id)) = (done, uuid::Uuid::parse_str(&user)) {
        let failed = |error: anyhow::Error| respond(UsersError::from(error));
        page.notice = super::store::notice(&state.pool, viewer.account_id, done, user_id)
            .await
            .map_err(failed)?;
        if done == super::notice::Done::LinkCopied {
            page.copied_link = super::invite_link::kept(&state, &viewer, user_id)
                .await
                .map_err(failed)?;
            if page.copied_link.is_some() {
                page.notice = None;
            }
        }
    }
    Ok(page)
}
