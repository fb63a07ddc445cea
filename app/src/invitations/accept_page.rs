use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{InvitationSummary, InviteError};
use crate::{
    components::{Check, Field, FormAlert, FormErrors, StatusPage},
    error::HttpError,
};

#[server(endpoint = "invite/check")]
pub async fn get_invitation(token: String) -> Result<InvitationSummary, InviteError> {
    use crate::{error::respond, state::use_state};

    super::store::summary(&use_state(), &token)
        .await
        .map_err(respond)
}

/// Accepts an invitation: sets the name and password, signs the person in.
#[server(endpoint = "invite/accept")]
pub async fn accept_invite(
    token: String,
    name: String,
    password: String,
) -> Result<(), InviteError> {
    use crate::{
        error::respond,
        rate_limit::{check_current_request, Limited},
        request::RequestInfo,
        session::{cookie, store as sessions, Viewer},
        state::use_state,
    };

    check_current_request(Limited::AcceptInvite)
        .await
        .map_err(|retry_after| respond(InviteError::TooManyRequests { retry_after }))?;
    let state = use_state();
    let session = super::store::accept(&state, &token, &name, &password, &RequestInfo::current())
        .await
        .map_err(respond)?;
    // Whoever was signed in on this browser is signed out: it is the new user's now.
    if let Some(previous) = Viewer::current() {
        sessions::revoke(&state.pool, previous.session_id, state.now())
            .await
            .map_err(|error| respond(InviteError::from(error)))?;
    }
    cookie::send(&cookie::set(&state.settings, session.expose()));
    leptos_axum::redirect("/");
    Ok(())
}

/// `/invite/<token>`: accept an invitation, or learn why the link is dead.
#[component]
pub fn AcceptInvitePage() -> impl IntoView {
    let params = use_params_map();
    let token = params.read_untracked().get("token").unwrap_or_default();
    let invitation = Resource::new(
        {
            let token = token.clone();
            move || token.clone()
        },
        get_invitation,
    );
    view! {
        <Title text="Accept your invitation"/>
        <Suspense>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    match invitation.await {
                        Ok(summary) => view! { <AcceptForm token summary/> }.into_any(),
                        Err(InviteError::Link(dead)) => view! {
                            <StatusPage status=InviteError::Link(dead).status() title=dead.title()>
                                <p>{dead.explain()}</p>
                                <p><a href="/sign-in">"Go to sign in"</a></p>
                            </StatusPage>
                        }
                        .into_any(),
                        Err(error) => view! {
                            <StatusPage status=error.status() title="This invitation could not be checked">
                                <p>{error.to_string()}</p>
                            </StatusPage>
                        }
                        .into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn AcceptForm(token: String, summary: InvitationSummary) -> impl IntoView {
    let action = ServerAction::<AcceptInvite>::new();
    if let Some(Err(error)) = action.value().get_untracked() {
        crate::error::set_page_status(error.status());
    }
    let errors = FormErrors::of(action, &["name", "password"]);
    let (name_error, password_error) = (errors.field("name"), errors.field("password"));
    let form_error = errors.form();
    let invited_by = match &summary.inviter_name {
        Some(inviter) => format!(
            "{inviter} invited you to join {} on Roster.",
            summary.account_name
        ),
        None => format!("You're invited to join {} on Roster.", summary.account_name),
    };
    let expires = format!(
        "This invitation works until {}.",
        summary.expires_at.format("%-d %B %Y at %H:%M UTC")
    );
    let password_check = Check::NewPassword {
        email: Some(summary.email.clone()),
        account_name: Some(summary.account_name.clone()),
    };
    view! {
        <section class="narrow">
            <h1>"Accept your invitation"</h1>
            <p class="lead">{invited_by}</p>
            <p class="muted">{expires}</p>
            <ActionForm action attr:novalidate=true attr:class="stack">
                <FormAlert message=form_error/>
                <p>"You'll sign in as " <strong>{summary.email.clone()}</strong> "."</p>
                <Field
                    label="Name"
                    name="name"
                    autocomplete="name"
                    initial=summary.name.clone()
                    server_error=name_error
                    check=Check::PersonName
                />
                <Field
                    label="Password"
                    name="password"
                    kind="password"
                    autocomplete="new-password"
                    hint="At least 15 characters. A few unrelated words make a strong password you can remember."
                    server_error=password_error
                    check=password_check
                />
                <input type="hidden" name="token" value=token/>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>
                    "Accept invitation"
                </button>
            </ActionForm>
        </section>
    }
}
