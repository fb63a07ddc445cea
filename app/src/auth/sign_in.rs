use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::session::AuthError;
use crate::{
    components::{Field, FormAlert, FormErrors},
    error::HttpError,
};

/// Signs in with an email and password, then goes to `next` (a path on
/// this site) or the start page.
#[server(endpoint = "sign-in")]
pub async fn sign_in(email: String, password: String, next: String) -> Result<(), AuthError> {
    use crate::{
        error::respond,
        rate_limit::Limited,
        request::RequestInfo,
        session::{cookie, store as sessions, Viewer},
        state::use_state,
    };

    crate::session::limit(Limited::SignIn)
        .await
        .map_err(respond)?;
    let state = use_state();
    let next = crate::session::return_path(&next);
    let token =
        match super::store::sign_in(&state, &email, &password, &next, &RequestInfo::current())
            .await
            .map_err(respond)?
        {
            super::store::SignedIn::Session(token) => token,
            super::store::SignedIn::NeedsCode(challenge) => {
                cookie::send(&cookie::set_challenge(&state.settings, challenge.expose()));
                leptos_axum::redirect("/sign-in/two-factor");
                return Ok(());
            }
        };
    // Whatever session this browser had ends: a sign-in always gets a new one.
    if let Some(previous) = Viewer::current() {
        sessions::revoke(&state.pool, previous.session_id, state.now())
            .await
            .map_err(|error| respond(AuthError::from(error)))?;
    }
    cookie::send(&cookie::set(&state.settings, token.expose()));
    leptos_axum::redirect(&next);
    Ok(())
}

/// `/sign-in`.
#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let next = query.read_untracked().get("next").unwrap_or_default();
    let notice = match query.read_untracked().get("notice").as_deref() {
        Some("password-changed") => {
            Some("Your password has been changed. Sign in with your new password.")
        }
        Some("signed-out") => Some("You have signed out."),
        _ => None,
    };
    let action = ServerAction::<SignIn>::new();
    if let Some(Err(error)) = action.value().get_untracked() {
        crate::error::set_page_status(error.status());
    }
    let form_error = FormErrors::of(action, &[]).form();
    let no_field_error = Signal::derive(|| None::<String>);

    view! {
        <Title text="Sign in"/>
        <section class="narrow">
            <h1>"Sign in to Roster"</h1>
            {notice.map(|text| view! { <p class="notice" role="status">{text}</p> })}
            <ActionForm action attr:novalidate=true attr:class="stack">
                <FormAlert message=form_error/>
                <Field label="Email Address" name="email" kind="email" autocomplete="username" server_error=no_field_error/>
                <Field
                    label="Password"
                    name="password"
                    kind="password"
                    autocomplete="current-password"
                    server_error=no_field_error
                />
                <input type="hidden" name="next" value=next/>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>
                    "Sign in"
                </button>
            </ActionForm>
            <p><a href="/recover">"Forgot your password?"</a></p>
        </section>
    }
}
