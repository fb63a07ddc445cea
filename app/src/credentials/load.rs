use leptos::prelude::*;

use super::Credentials;
use crate::profile::ProfileError;

/// The credentials of `user` (empty: the viewer's own). Fresh secrets are
/// in it once, for their owner.
#[server(endpoint = "credentials/get")]
pub async fn get_credentials(#[server(default)] user: String) -> Result<Credentials, ProfileError> {
    use crate::{error::respond, profile::target, session::Viewer, state::use_state};

    let viewer = Viewer::current().ok_or_else(|| respond(ProfileError::SignInRequired))?;
    let target = target(&user).map_err(respond)?;
    super::store::load(&use_state(), &viewer, target)
        .await
        .map_err(respond)
}
