use leptos::prelude::*;

/// Ends the current session and clears its cookie, then to the sign-in page.
#[server(endpoint = "sign-out")]
pub async fn sign_out() -> Result<(), ServerFnError> {
    use super::{cookie, store, Viewer};
    use crate::{error::report_unexpected, state::use_state};

    let state = use_state();
    if let Some(viewer) = Viewer::current() {
        store::revoke(&state.pool, viewer.session_id, state.now())
            .await
            .map_err(|error| {
                ServerFnError::new(crate::error::unexpected_message(&report_unexpected(error)))
            })?;
    }
    cookie::send(&cookie::clear(&state.settings));
    cookie::send(&super::shown_once::clear(&state.settings));
    leptos_axum::redirect("/sign-in?notice=signed-out");
    Ok(())
}
