use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::session::AuthError;
use crate::{
    components::{Check, Field, FormAlert, FormErrors},
    error::HttpError,
};

/// Emails a reset link when the address belongs to an account; answers the
/// same either way.
#[server(endpoint = "recover")]
pub async fn request_password_reset(email: String) -> Result<(), AuthError> {
    use crate::{
        domain::FieldErrors, error::respond, rate_limit::Limited, request::RequestInfo,
        state::use_state,
    };

    crate::session::limit(Limited::RecoverPassword)
        .await
        .map_err(respond)?;
    let email = crate::domain::Email::parse(&email)
        .map_err(|error| respond(AuthError::Invalid(FieldErrors::single("email", error.0))))?;
    let state = use_state();
    super::reset_links::request_password_reset(&state, &email, &RequestInfo::current())
        .await
        .map_err(|error| respond(AuthError::from(error)))?;
    leptos_axum::redirect("/recover?sent=1");
    Ok(())
}

/// `/recover`: "Recover your password".
#[component]
pub fn RecoverPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let sent = Memo::new(move |_| query.read().get("sent").is_some());
    let action = ServerAction::<RequestPasswordReset>::new();
    if let Some(Err(error)) = action.value().get_untracked() {
        crate::error::set_page_status(error.status());
    }
    let errors = FormErrors::of(action, &["email"]);
    let (email_error, form_error) = (errors.field("email"), errors.form());

    view! {
        <Title text="Recover your password"/>
        <section class="narrow">
            <h1>"Recover your password"</h1>
            <Show
                when=move || sent.get()
                fallback=move || view! {
                    <p class="lead">"Enter the email address you sign in with. We'll email you a link to choose a new password."</p>
                    <ActionForm action attr:novalidate=true attr:class="stack">
                        <FormAlert message=form_error/>
                        <Field
                            label="Email Address"
                            name="email"
                            kind="email"
                            autocomplete="username"
                            server_error=email_error
                            check=Check::Email
                        />
                        <button type="submit" class="button primary" disabled=move || action.pending().get()>
                            "Send reset link"
                        </button>
                    </ActionForm>
                }
            >
                <p class="notice" role="status">
                    "If an account uses that address, we've sent it a link to reset the password. The link works for 60 minutes. Check your inbox."
                </p>
            </Show>
            <p><a href="/sign-in">"Back to sign in"</a></p>
        </section>
    }
}
