//! What the three credential sections (API Keys, Authorized Apps and My
//! Apps) share: loading a user's credentials, who may change them, and how a
//! fresh secret is shown.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    change::Change, credentials::secret::ShownSecret, request::RequestInfo, session::Viewer,
    state::AppState,
};
use crate::{credentials::Credentials, profile::ProfileError};

/// The credentials of `user` (empty: the viewer's own). A fresh secret is
/// in it for its owner while their browser holds it (`session::shown_once`).
#[server(endpoint = "credentials/get")]
pub async fn get_credentials(#[server(default)] user: String) -> Result<Credentials, ProfileError> {
    use crate::{error::respond, state::use_state};

    let viewer = Viewer::current().ok_or_else(|| respond(ProfileError::SignInRequired))?;
    let target = super::target(&user).map_err(respond)?;
    let state = use_state();
    let shown: Option<ShownSecret> =
        crate::session::shown_once::kept(&state.settings, &viewer, ShownSecret::KIND);
    load(&state, &viewer, target, shown.as_ref())
        .await
        .map_err(respond)
}

#[cfg(feature = "ssr")]
async fn load(
    state: &AppState,
    viewer: &Viewer,
    target: Option<uuid::Uuid>,
    shown: Option<&ShownSecret>,
) -> Result<Credentials, ProfileError> {
    use anyhow::Context as _;

    let mut tx = state.pool.begin().await.context("opening credentials")?;
    let user_id = super::access::open(&mut tx, viewer, target, false).await?;
    let owner = user_id == viewer.user_id;
    let credentials =
        crate::credentials::store::load(&mut tx, user_id, owner, shown, &viewer.local_time())
            .await?;
    tx.commit().await.context("committing credentials")?;
    Ok(credentials)
}

/// Who may make a change: creating a credential is for its owner alone;
/// revoking one is also for an admin who manages them.
#[cfg(feature = "ssr")]
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Who {
    TheUser,
    TheUserOrAnAdmin,
}

/// Begins a change to the user's credentials (the profile's access rules,
/// the user's row locked), refused when it is not `who`'s to make.
#[cfg(feature = "ssr")]
pub(super) async fn begin<'r>(
    state: &AppState,
    viewer: &Viewer,
    target: Option<uuid::Uuid>,
    who: Who,
    request: &'r RequestInfo,
) -> Result<(Change<'r>, uuid::Uuid), ProfileError> {
    let (change, user_id) =
        super::access::begin_change(state, viewer, target, request, "a credentials change").await?;
    if who == Who::TheUser && user_id != viewer.user_id {
        return Err(ProfileError::OnlyTheUser);
    }
    Ok((change, user_id))
}
