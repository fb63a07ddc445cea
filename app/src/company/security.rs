//! Company > Security: the roles that must sign in with two-factor
//! authentication (enforced by the session, see `two_factor::required`).

use leptos::prelude::*;

use super::CompanyError;
use crate::{
    components::{FormAlert, FormErrors},
    domain::TwoFactorRoles,
};

/// Sets the roles that must use two-factor authentication (the boxes
/// checked; none: nobody must). Owner and Administrators.
#[server(endpoint = "company/two-factor")]
pub async fn update_two_factor_requirement(
    #[server(default)] roles: Vec<String>,
) -> Result<(), CompanyError> {
    use crate::{domain::FieldErrors, error::respond, state::use_state};

    let viewer = crate::session::Viewer::user_manager::<CompanyError>().map_err(respond)?;
    let roles = TwoFactorRoles::parse(&roles)
        .map_err(|error| respond(CompanyError::Invalid(FieldErrors::single("roles", error.0))))?;
    super::store::set_two_factor_roles(
        &use_state(),
        &viewer,
        &roles,
        &crate::request::RequestInfo::current(),
    )
    .await
    .map_err(|error| respond(CompanyError::from(error)))?;
    leptos_axum::redirect("/settings/company?saved=1");
    Ok(())
}

/// The Security part of Company settings.
#[component]
pub fn SecuritySettings(
    roles: TwoFactorRoles,
    action: ServerAction<UpdateTwoFactorRequirement>,
) -> impl IntoView {
    // Only a forged form can send a role that is not a box: one alert.
    let form_error = FormErrors::of(action, &[]).form();
    let now = if roles.is_empty() {
        "Now nobody must.".to_owned()
    } else {
        format!("Now required for {}.", roles.describe())
    };
    view! {
        <h2>"Security"</h2>
        <ActionForm action attr:class="stack narrow-form">
            <FormAlert message=form_error/>
            <fieldset class="field checkbox-group" aria-describedby="two-factor-roles-hint">
                <legend>"Require two-factor authentication"</legend>
                {TwoFactorRoles::CHOICES.into_iter().map(|role| view! {
                    <label class="checkbox">
                        <input type="checkbox" name="roles[]" value=role.as_str() checked=roles.includes(role)/>
                        {role.label()}
                    </label>
                }).collect_view()}
            </fieldset>
            <p class="field-hint" id="two-factor-roles-hint">
                {now}
                " Users of a checked role who have not set up two-factor authentication are asked to, right after signing in, and can use nothing else until it is on (you too, if your own role is checked). They cannot turn it off while their role requires it. Manage > Users shows who has not set it up."
            </p>
            <button type="submit" class="button primary">"Save security settings"</button>
        </ActionForm>
    }
}
