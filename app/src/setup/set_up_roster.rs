use leptos::prelude::*;

use super::SetupError;

/// Creates the account and its Owner, signs the Owner in and takes them to
/// Manage > Users. Refused once any account exists.
#[server(endpoint = "setup")]
pub async fn set_up_roster(
    company_name: String,
    name: String,
    email: String,
    password: String,
) -> Result<(), SetupError> {
    use super::{store, NewAccount};
    use crate::{
        error::respond,
        rate_limit::{check_current_request, Limited},
        request::RequestInfo,
        session::cookie,
        state::use_state,
    };

    let new_account = NewAccount::parse(&company_name, &name, &email, &password)
        .map_err(|errors| respond(SetupError::Invalid(errors)))?;
    // Counted once the form would be hashed (a mistyped field costs nothing).
    check_current_request(Limited::SetUp)
        .await
        .map_err(|retry_after| respond(SetupError::TooManyRequests { retry_after }))?;
    let state = use_state();
    let token = store::create_account(&state, new_account, &RequestInfo::current())
        .await
        .map_err(respond)?;
    cookie::send(&cookie::set(&state.settings, token.expose()));
    leptos_axum::redirect("/manage/users");
    Ok(())
}
