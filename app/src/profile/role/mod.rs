//! The Role section: what an admin makes a user, by the rules.

#[cfg(feature = "ssr")]
pub mod store;

use leptos::prelude::*;

use super::section_screen::{SectionScreen, SectionView};
use crate::components::{ConfirmIdentity, FormAlert, FormErrors};
use crate::profile::{ProfileError, ProfileView};

/// Changes a user's role, by the rules: only the Owner and Administrators
/// change roles, nobody their own; an Administrator never touches the Owner
/// or makes anyone Owner; the Owner hands ownership over (becoming an
/// Administrator) once they confirm; becoming a Light User (Plus and Pro)
/// takes the user off their teams once confirmed.
#[server(endpoint = "profile/role")]
pub async fn update_role(
    #[server(default)] user: String,
    #[server(default)] role: String,
    #[server(default)] confirm: String,
    #[server(default)] version: String,
    #[server(default)] password: String,
) -> Result<(), ProfileError> {
    use crate::{domain::FieldErrors, error::respond, request::RequestInfo, state::use_state};

    let (viewer, target, version) =
        crate::profile::section_call::section_call(&user, &version).map_err(respond)?;
    let role = crate::domain::Role::parse(role.trim())
        .map_err(|error| respond(ProfileError::Invalid(FieldErrors::single("role", error.0))))?;
    let id = store::save_role(
        &use_state(),
        &viewer,
        target,
        role,
        (!confirm.is_empty()).then_some(password.as_str()),
        version,
        &RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    crate::profile::redirect_to_section(&viewer, target, id, crate::profile::Section::Role);
    Ok(())
}

/// What becoming a Light User does to someone with `open` conversations
/// that are not closed, for the confirmation.
pub fn light_user_consequence(open: i64) -> String {
    match open {
        0 => "as a Light User they will be removed from their teams and can't be assigned conversations".to_owned(),
        1 => "as a Light User they will be removed from their teams, and their 1 open conversation will become Unassigned".to_owned(),
        n => format!(
            "as a Light User they will be removed from their teams, and their {} open conversations will become Unassigned",
            crate::domain::grouped(n)
        ),
    }
}

pub(super) fn section(screen: SectionScreen) -> SectionView {
    let action = screen.action::<UpdateRole>();
    SectionView::new(move |profile| view! { <RoleSection profile action/> }.into_any())
}

#[component]
fn RoleSection(profile: ProfileView, action: ServerAction<UpdateRole>) -> impl IntoView {
    if profile.assignable_roles.is_empty() {
        let why = if profile.is_self {
            "Nobody changes their own role. Ask the Account Owner or another Administrator."
        } else {
            "Only the Account Owner changes the Account Owner's role, by transferring ownership."
        };
        return view! {
            <p>"Role: " <strong>{profile.role.label()}</strong></p>
            <p class="muted">{why}</p>
        }
        .into_any();
    }
    let errors = FormErrors::of(action, &["role", "confirm", "password"]);
    let role_error = errors.field("role");
    let confirm_error = errors.field("confirm");
    let password_error = errors.field("password");
    let may_hand_over = profile
        .assignable_roles
        .contains(&crate::domain::Role::Owner);
    let form_error = errors.form();
    let current = profile.role;
    let may_make_light = current != crate::domain::Role::LightUser
        && profile
            .assignable_roles
            .contains(&crate::domain::Role::LightUser);
    let consequences: Vec<String> = [
        may_hand_over.then(|| "transferring ownership makes me an Administrator".to_owned()),
        may_make_light.then(|| light_user_consequence(profile.open_conversations)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let confirm_label =
        (!consequences.is_empty()).then(|| format!("I understand: {}.", consequences.join("; ")));
    view! {
        <ActionForm action attr:novalidate=true attr:class="stack narrow-form">
            <FormAlert message=form_error/>
            <div class="field" class:field-invalid=move || role_error.get().is_some()>
                <label for="field-role">"Role"</label>
                <select id="field-role" name="role"
                    aria-describedby=move || role_error.get().is_some().then_some("field-role-error")>
                    {profile.assignable_roles.iter().map(|role| view! {
                        <option value=role.as_str() selected={*role == current}>{role.label()}</option>
                    }).collect_view()}
                </select>
                <p class="field-error" id="field-role-error" aria-live="polite">{move || role_error.get()}</p>
            </div>
            {confirm_label.map(|label| view! {
                <div class="field" class:field-invalid=move || confirm_error.get().is_some()>
                    <label class="checkbox">
                        <input type="checkbox" name="confirm" id="field-confirm"
                            aria-describedby=move || confirm_error.get().is_some().then_some("field-confirm-error")/>
                        {label}
                    </label>
                    <p class="field-error" id="field-confirm-error" aria-live="polite">{move || confirm_error.get()}</p>
                </div>
            })}
            {may_hand_over.then(|| view! {
                <ConfirmIdentity error=password_error only_when="transfer ownership"/>
            })}
            <input type="hidden" name="user" value=profile.user_id.to_string()/>
            <input type="hidden" name="version" value=profile.version.to_string()/>
            <button type="submit" class="button primary" disabled=move || action.pending().get()>"Save"</button>
        </ActionForm>
    }
    .into_any()
}
