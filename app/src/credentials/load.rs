use leptos::prelude::*;

use super::Credentials;
use crate::profile::ProfileError;

/// The credentials of `user` (empty: the viewer's own). A fresh secret is
/// in it for its owner while their browser holds it (`session::shown_once`).
#[server(endpoint = "credentials/get")]
pub async fn get_credentials(#[server(default)] user: String) -> Result<Credentials, ProfileError> {
    use crate::{error::respond, profile::target, session::Viewer, state::use_state};

    let viewer = Viewer::current().ok_or_else(|| respond(ProfileError::SignInRequired))?;
    let target = target(&user).map_err(respond)?;
    let state = use_state();
    let shown: Option<super::secret::ShownSecret> = crate::session::shown_once::kept(
        &state.settings,
        &viewer,
        super::secret::ShownSecret::KIND,
    );
    super::store::load(&state, &viewer, target, shown.as_ref())
        .await
        .map_err(respond)
}
