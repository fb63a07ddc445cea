use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use crate::session::AuthError;
use crate::{
    components::{Check, Field, FormAlert, FormErrors, StatusPage},
    error::HttpError,
};

/// What the link in a reset email can still do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResetLinkState {
    Usable,
    Expired,
    Used,
    Invalid,
}

#[server(endpoint = "reset/check")]
pub async fn check_reset_link(token: String) -> Result<ResetLinkState, AuthError> {
    use super::reset_links::{reset_link_state, LinkState};
    use crate::{error::respond, state::use_state};

    let state = reset_link_state(&use_state(), &token)
        .await
        .map_err(|error| respond(AuthError::from(error)))?;
    Ok(match state {
        LinkState::Usable => ResetLinkState::Usable,
        LinkState::Expired => ResetLinkState::Expired,
        LinkState::Used => ResetLinkState::Used,
        LinkState::Invalid => ResetLinkState::Invalid,
    })
}

/// Sets a new password through a reset link; the person then signs in again.
#[server(endpoint = "reset")]
pub async fn reset_password(token: String, password: String) -> Result<(), AuthError> {
    use crate::{error::respond, rate_limit::Limited, request::RequestInfo, state::use_state};

    crate::session::limit(Limited::ResetPassword)
        .await
        .map_err(respond)?;
    super::reset_links::reset_password(&use_state(), &token, &password, &RequestInfo::current())
        .await
        .map_err(respond)?;
    leptos_axum::redirect("/sign-in?notice=password-changed");
    Ok(())
}

/// `/reset/<token>`: choose a new password, or learn why the link no longer works.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let params = use_params_map();
    let token = params.read_untracked().get("token").unwrap_or_default();
    let link = Resource::new(
        {
            let token = token.clone();
            move || token.clone()
        },
        check_reset_link,
    );
    view! {
        <Title text="Reset password"/>
        <Suspense>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    match link.await {
                        Ok(ResetLinkState::Usable) => view! { <ResetForm token/> }.into_any(),
                        Ok(ResetLinkState::Expired) => view! {
                            <StatusPage status=410 title="This reset link has expired">
                                <p>"Reset links work for 60 minutes. "<a href="/recover">"Ask for a new link"</a>" and use it within the hour."</p>
                            </StatusPage>
                        }.into_any(),
                        Ok(ResetLinkState::Used) => view! {
                            <StatusPage status=410 title="This reset link was already used">
                                <p>"Each link works once. If you just chose a new password, "<a href="/sign-in">"sign in"</a>" with it; otherwise "<a href="/recover">"ask for a new link"</a>"."</p>
                            </StatusPage>
                        }.into_any(),
                        Ok(ResetLinkState::Invalid) => view! {
                            <StatusPage status=404 title="This reset link is not valid">
                                <p>"It may have been replaced by a newer link, or copied incompletely. "<a href="/recover">"Ask for a new link"</a>"."</p>
                            </StatusPage>
                        }.into_any(),
                        Err(error) => view! {
                            <StatusPage status=500 title="This link could not be checked">
                                <p>{error.to_string()}</p>
                            </StatusPage>
                        }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn ResetForm(token: String) -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    if let Some(Err(error)) = action.value().get_untracked() {
        crate::error::set_page_status(error.status());
    }
    let errors = FormErrors::of(action, &["password"]);
    let (password_error, form_error) = (errors.field("password"), errors.form());
    view! {
        <section class="narrow">
            <h1>"Reset password"</h1>
            <ActionForm action attr:novalidate=true attr:class="stack">
                <FormAlert message=form_error/>
                <Field
                    label="New password"
                    name="password"
                    kind="password"
                    autocomplete="new-password"
                    hint="At least 15 characters. A few unrelated words make a strong password you can remember."
                    server_error=password_error
                    check=Check::NewPassword { email: None, account_name: None }
                />
                <input type="hidden" name="token" value=token/>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>
                    "Reset password"
                </button>
            </ActionForm>
        </section>
    }
}
