use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    components::{Field, FormAlert, FormErrors},
    error::HttpError,
    session::AuthError,
};

/// The second step of signing in to an account with two-factor on.
#[server(endpoint = "two-factor/verify")]
pub async fn verify_sign_in_code(code: String) -> Result<(), AuthError> {
    use crate::{
        error::respond,
        rate_limit::Limited,
        request::RequestInfo,
        session::{cookie, store as sessions, Viewer},
        state::use_state,
    };

    crate::session::limit(Limited::TwoFactorCode)
        .await
        .map_err(respond)?;
    let state = use_state();
    let challenge = use_context::<http::request::Parts>()
        .and_then(|parts| cookie::read_challenge(&state.settings, &parts.headers))
        .ok_or(AuthError::ChallengeExpired)
        .map_err(respond)?;
    let (token, next) =
        super::challenge::complete_challenge(&state, &challenge, &code, &RequestInfo::current())
            .await
            .inspect_err(|error| {
                if let AuthError::CodesRefused { retry_after } = error {
                    crate::rate_limit::send_retry_after(*retry_after);
                }
            })
            .map_err(respond)?;
    // Whatever session this browser had ends, as with a sign-in without a code.
    if let Some(previous) = Viewer::current() {
        sessions::revoke(&state.pool, previous.session_id, state.now())
            .await
            .map_err(|error| respond(AuthError::from(error)))?;
    }
    cookie::send(&cookie::clear_challenge(&state.settings));
    cookie::send(&cookie::set(&state.settings, token.expose()));
    leptos_axum::redirect(&crate::session::return_path(&next));
    Ok(())
}

/// `/sign-in/two-factor`.
#[component]
pub fn TwoFactorSignInPage() -> impl IntoView {
    let action = ServerAction::<VerifySignInCode>::new();
    if let Some(Err(error)) = action.value().get_untracked() {
        crate::error::set_page_status(error.status());
    }
    let form_error = FormErrors::of(action, &[]).form();
    let no_field_error = Signal::derive(|| None::<String>);
    view! {
        <Title text="Two-factor authentication"/>
        <section class="narrow">
            <h1>"Two-factor authentication"</h1>
            <p class="lead">"Enter the 6-digit code from your authenticator app, or one of your recovery codes."</p>
            <ActionForm action attr:novalidate=true attr:class="stack">
                <FormAlert message=form_error/>
                <Field label="Authentication code" name="code" autocomplete="one-time-code" server_error=no_field_error/>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>"Verify"</button>
            </ActionForm>
            <p><a href="/sign-in">"Start again"</a></p>
        </section>
    }
}
