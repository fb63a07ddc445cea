use leptos::prelude::*;

/// Whether Roster still waits for its first account.
#[server(endpoint = "setup-needed")]
pub async fn setup_needed() -> Result<bool, ServerFnError> {
    use crate::{error::report_unexpected, state::use_state};

    super::store::setup_needed(&use_state().pool)
        .await
        .map_err(|error| {
            ServerFnError::new(crate::error::unexpected_message(&report_unexpected(error)))
        })
}
