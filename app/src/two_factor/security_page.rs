use leptos::prelude::*;

use crate::{
    components::{Field, FormAlert, FormErrors},
    session::AuthError,
    session::HideSecretButton,
};

#[server(endpoint = "two-factor/status")]
pub async fn get_security_status() -> Result<super::SecurityStatus, AuthError> {
    use crate::{error::respond, session::Viewer, state::use_state};

    let viewer = Viewer::current()
        .ok_or(AuthError::SignInRequired)
        .map_err(respond)?;
    let state = use_state();
    let shown = crate::session::shown_once::kept(
        &state.settings,
        &viewer,
        super::store::FreshRecoveryCodes::KIND,
    );
    super::store::status(&state, &viewer, shown)
        .await
        .map_err(|error| respond(AuthError::from(error)))
}

/// Turns two-factor on for the viewer (never for anyone else).
#[server(endpoint = "two-factor/enable")]
pub async fn enable_two_factor(password: String, code: String) -> Result<(), AuthError> {
    use crate::{error::respond, rate_limit::Limited, session::Viewer, state::use_state};

    crate::session::limit(Limited::TwoFactorCode)
        .await
        .map_err(respond)?;
    let viewer = Viewer::current()
        .ok_or(AuthError::SignInRequired)
        .map_err(respond)?;
    let state = use_state();
    let codes = super::store::enable(
        &state,
        &viewer,
        &password,
        &code,
        &crate::request::RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    crate::session::shown_once::keep(
        &state.settings,
        &viewer,
        super::store::FreshRecoveryCodes::KIND,
        codes,
    );
    leptos_axum::redirect("/profile/security");
    Ok(())
}

/// Turns two-factor off for the viewer.
#[server(endpoint = "two-factor/disable")]
pub async fn disable_two_factor(password: String, code: String) -> Result<(), AuthError> {
    use crate::{error::respond, rate_limit::Limited, session::Viewer, state::use_state};

    crate::session::limit(Limited::TwoFactorCode)
        .await
        .map_err(respond)?;
    let viewer = Viewer::current()
        .ok_or(AuthError::SignInRequired)
        .map_err(respond)?;
    super::store::disable(
        &use_state(),
        &viewer,
        &password,
        &code,
        &crate::request::RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    leptos_axum::redirect("/profile/security");
    Ok(())
}

/// Replaces the viewer's recovery codes; the page then shows the new ones once.
#[server(endpoint = "two-factor/recovery-codes")]
pub async fn regenerate_recovery_codes(password: String) -> Result<(), AuthError> {
    use crate::{error::respond, rate_limit::Limited, session::Viewer, state::use_state};

    crate::session::limit(Limited::TwoFactorCode)
        .await
        .map_err(respond)?;
    let viewer = Viewer::current()
        .ok_or(AuthError::SignInRequired)
        .map_err(respond)?;
    let state = use_state();
    let codes = super::store::regenerate_recovery_codes(
        &state,
        &viewer,
        &password,
        &crate::request::RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    crate::session::shown_once::keep(
        &state.settings,
        &viewer,
        super::store::FreshRecoveryCodes::KIND,
        codes,
    );
    leptos_axum::redirect("/profile/security");
    Ok(())
}

/// Two-factor authentication on the viewer's own Security section: set it
/// up, or, once on, turn it off and renew the recovery codes.
#[component]
pub fn OwnSecuritySection(
    status: super::SecurityStatus,
    enable: ServerAction<EnableTwoFactor>,
    disable: ServerAction<DisableTwoFactor>,
    regenerate: ServerAction<RegenerateRecoveryCodes>,
) -> impl IntoView {
    view! {
        <h3>"Two-factor authentication"</h3>
        {if status.enabled {
            view! { <TwoFactorOn status disable regenerate/> }.into_any()
        } else {
            view! { <TwoFactorSetup status enable/> }.into_any()
        }}
    }
}

/// The errors of a two-factor form: its fields are the code and the password.
fn form_errors<A>(action: ServerAction<A>) -> FormErrors<AuthError>
where
    A: leptos::server_fn::ServerFn<Output = (), Error = AuthError> + Clone + Send + Sync + 'static,
{
    FormErrors::of(action, &["code", "password"])
}

#[component]
pub(super) fn TwoFactorSetup(
    status: super::SecurityStatus,
    enable: ServerAction<EnableTwoFactor>,
) -> impl IntoView {
    let errors = form_errors(enable);
    let field = move |name| errors.field(name);
    let setup = status.setup;
    view! {
        <p>"Two-factor authentication is "<strong>"off"</strong>". Turn it on so that signing in also needs a code from an authenticator app on your phone."</p>
        {setup.map(|key| view! {
            <ol class="steps">
                <li>
                    <p>"Scan this QR code with your authenticator app:"</p>
                    <img class="qr-code" src=key.qr_code alt="QR code for your authenticator app" width="200" height="200"/>
                    <p>"Or type this key into the app: "<code class="secret-key">{key.secret}</code></p>
                </li>
                <li>
                    <p>"Enter the 6-digit code the app shows, and your password."</p>
                </li>
            </ol>
        })}
        <ActionForm action=enable attr:novalidate=true attr:class="stack narrow-form">
            <FormAlert message=errors.form()/>
            <Field label="Authentication code" name="code" autocomplete="one-time-code" server_error=field("code")/>
            <Field label="Current password" name="password" kind="password" autocomplete="current-password" server_error=field("password")/>
            <button type="submit" class="button primary">"Turn on two-factor authentication"</button>
        </ActionForm>
    }
}

#[component]
fn TwoFactorOn(
    status: super::SecurityStatus,
    disable: ServerAction<DisableTwoFactor>,
    regenerate: ServerAction<RegenerateRecoveryCodes>,
) -> impl IntoView {
    let errors = form_errors(disable);
    let field = move |name| errors.field(name);
    let regenerate_errors = form_errors(regenerate);
    let regenerate_field = move |name| regenerate_errors.field(name);
    view! {
        <p role="status">"Two-factor authentication is "<strong>"on"</strong>". Signing in asks for a code from your authenticator app."</p>
        {status.recovery_codes.map(|codes| view! {
            <div class="recovery-codes">
                <h3>"Your recovery codes"</h3>
                <p>"Each works once, in place of a code, if you lose your phone. Save them somewhere safe now: they are shown only in this browser, for 10 minutes, and never again."</p>
                <ul aria-label="Recovery codes">
                    {codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}
                </ul>
                <HideSecretButton/>
            </div>
        })}
        <h3>"Recovery codes"</h3>
        <p>"Lost your codes, or used most of them? Get a new set; the old codes stop working."</p>
        <ActionForm action=regenerate attr:novalidate=true attr:class="stack narrow-form">
            <FormAlert message=regenerate_errors.form()/>
            <Field label="Password" name="password" kind="password" autocomplete="current-password" server_error=regenerate_field("password")/>
            <button type="submit" class="button">"Get new recovery codes"</button>
        </ActionForm>
        <h3>"Turn off two-factor authentication"</h3>
        {match status.required {
            Some(people) => view! {
                <p>{format!("Your company requires two-factor authentication for {people}, so it stays on. The Account Owner or an Administrator can change that in Company settings.")}</p>
            }.into_any(),
            None => view! {
                <ActionForm action=disable attr:novalidate=true attr:class="stack narrow-form">
                    <FormAlert message=errors.form()/>
                    <Field label="Authentication code" name="code" autocomplete="one-time-code" server_error=field("code")/>
                    <Field label="Current password" name="password" kind="password" autocomplete="current-password" server_error=field("password")/>
                    <button type="submit" class="button">"Turn off two-factor authentication"</button>
                </ActionForm>
            }.into_any(),
        }}
    }
}
