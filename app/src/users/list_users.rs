use leptos::prelude::*;

use super::{UserRow, UsersError};

/// The live users of the viewer's account, for Owners and Administrators.
#[server(endpoint = "users/list")]
pub async fn list_users() -> Result<Vec<UserRow>, UsersError> {
    use crate::{error::respond, session::Viewer, state::use_state};

    let viewer = Viewer::current()
        .ok_or(UsersError::SignInRequired)
        .map_err(respond)?;
    if !viewer.role.manages_users() {
        return Err(respond(UsersError::Forbidden));
    }
    super::store::list(&use_state().pool, viewer.account_id)
        .await
        .map_err(|error| respond(error.into()))
}
