use leptos::prelude::*;

use super::{UsersError, UsersPage};

/// A page of the viewer's account's live users, for Owners and
/// Administrators: searched by name or email, sorted, with the billing line.
#[server(endpoint = "users/list")]
pub async fn list_users(
    #[server(default)] q: String,
    #[server(default)] sort: String,
    #[server(default)] dir: String,
    #[server(default)] page: String,
) -> Result<UsersPage, UsersError> {
    use crate::{error::respond, state::use_state};

    let viewer = super::require_user_manager().map_err(respond)?;
    let query = super::UsersQuery::parse(Some(&q), Some(&sort), Some(&dir), Some(&page));
    super::store::list(&use_state().pool, viewer.account_id, &query)
        .await
        .map_err(|error| respond(error.into()))
}
