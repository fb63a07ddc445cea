use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_query_map};
use serde::{Deserialize, Serialize};

use super::{CompanyError, SecuritySettings, UpdateTwoFactorRequirement};
use crate::domain::{MAX_INVITE_DAYS, MIN_INVITE_DAYS};
use crate::{
    components::{Check, Field, FormAlert, FormErrors, StatusPage},
    domain::Plan,
    error::HttpError,
};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanySettings {
    pub name: String,
    pub invite_validity_days: i32,
    pub plan: Plan,
    /// Only the Owner changes the plan (billing).
    pub can_change_plan: bool,
    /// Company > Security: the roles that must use two-factor authentication.
    pub two_factor_roles: crate::domain::TwoFactorRoles,
}

#[server(endpoint = "company/settings")]
pub async fn get_company_settings() -> Result<CompanySettings, CompanyError> {
    use crate::{error::respond, state::use_state};

    let viewer = crate::session::Viewer::user_manager::<CompanyError>().map_err(respond)?;
    let mut settings = super::store::settings(&use_state(), viewer.account_id)
        .await
        .map_err(|error| respond(CompanyError::from(error)))?;
    settings.can_change_plan = viewer.role == crate::domain::Role::Owner;
    Ok(settings)
}

/// Sets the account's plan (Standard, Plus, Pro). The Owner only.
#[server(endpoint = "company/plan")]
pub async fn update_plan(#[server(default)] plan: String) -> Result<(), CompanyError> {
    use crate::{domain::FieldErrors, error::respond, state::use_state};

    let viewer = crate::session::Viewer::user_manager::<CompanyError>().map_err(respond)?;
    if viewer.role != crate::domain::Role::Owner {
        return Err(respond(CompanyError::OwnerOnly));
    }
    let plan = Plan::parse(&plan)
        .map_err(|error| respond(CompanyError::Invalid(FieldErrors::single("plan", error.0))))?;
    super::store::set_plan(
        &use_state(),
        &viewer,
        plan,
        &crate::request::RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    leptos_axum::redirect("/settings/company?saved=1");
    Ok(())
}

/// Sets how long invitation links work (1–30 days). Owner and Administrators.
#[server(endpoint = "company/invite-validity")]
pub async fn update_invite_validity(days: String) -> Result<(), CompanyError> {
    use crate::{domain::FieldErrors, error::respond, state::use_state};

    let viewer = crate::session::Viewer::user_manager::<CompanyError>().map_err(respond)?;
    let validity = crate::domain::InviteValidity::parse(&days)
        .map_err(|error| respond(CompanyError::Invalid(FieldErrors::single("days", error.0))))?;
    super::store::set_invite_validity(
        &use_state(),
        &viewer,
        validity,
        &crate::request::RequestInfo::current(),
    )
    .await
    .map_err(|error| respond(CompanyError::from(error)))?;
    leptos_axum::redirect("/settings/company?saved=1");
    Ok(())
}

/// `/settings/company`.
#[component]
pub fn CompanySettingsPage() -> impl IntoView {
    let update = ServerAction::<UpdateInviteValidity>::new();
    let update_plan = ServerAction::<UpdatePlan>::new();
    let update_security = ServerAction::<UpdateTwoFactorRequirement>::new();
    let settings = Resource::new(
        move || {
            update.version().get() + update_plan.version().get() + update_security.version().get()
        },
        |_| get_company_settings(),
    );
    let failed = update
        .value()
        .get_untracked()
        .and_then(Result::err)
        .or_else(|| update_plan.value().get_untracked().and_then(Result::err))
        .or_else(|| {
            update_security
                .value()
                .get_untracked()
                .and_then(Result::err)
        });
    if let Some(error) = failed {
        crate::error::set_page_status(error.status());
    }
    let query = use_query_map();
    let saved = move || {
        query.read().get("saved").is_some()
            || matches!(update.value().get(), Some(Ok(())))
            || matches!(update_plan.value().get(), Some(Ok(())))
            || matches!(update_security.value().get(), Some(Ok(())))
    };
    view! {
        <Title text="Company settings"/>
        {move || saved().then(|| view! { <p class="notice page-notice" role="status">"Company settings saved."</p> })}
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(settings) => view! { <SettingsForm settings update update_plan update_security/> }.into_any(),
                    Err(CompanyError::SignInRequired) => view! { <Redirect path="/sign-in?next=/settings/company"/> }.into_any(),
                    Err(CompanyError::Forbidden) => view! {
                        <StatusPage status=403 title="You can't change company settings">
                            <p>"Only the Account Owner and Administrators can change them."</p>
                        </StatusPage>
                    }.into_any(),
                    Err(error) => view! {
                        <StatusPage status=error.status() title="Settings could not be loaded">
                            <p>{error.to_string()}</p>
                        </StatusPage>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SettingsForm(
    settings: CompanySettings,
    update: ServerAction<UpdateInviteValidity>,
    update_plan: ServerAction<UpdatePlan>,
    update_security: ServerAction<UpdateTwoFactorRequirement>,
) -> impl IntoView {
    let errors = FormErrors::of(update, &["days"]);
    let (days_error, form_error) = (errors.field("days"), errors.form());
    let hint = format!(
        "Invitation links stop working after this many days ({MIN_INVITE_DAYS}–{MAX_INVITE_DAYS}). Now: {} days.",
        settings.invite_validity_days
    );
    view! {
        <section class="page">
            <header class="page-header">
                <h1>"Company settings"</h1>
            </header>
            <p class="lead">{settings.name}</p>
            <ActionForm action=update attr:novalidate=true attr:class="stack narrow-form">
                <FormAlert message=form_error/>
                <p class="field-hint">{hint}</p>
                <Field
                    label="Invite validity (days)"
                    name="days"
                    kind="number"
                    server_error=days_error
                    check=Check::InviteValidity
                />
                <button type="submit" class="button primary">"Save"</button>
            </ActionForm>
            <PlanForm plan=settings.plan can_change=settings.can_change_plan action=update_plan/>
            <SecuritySettings roles=settings.two_factor_roles action=update_security/>
        </section>
    }
}

/// The plan: the Owner chooses it; Administrators see it.
#[component]
fn PlanForm(plan: Plan, can_change: bool, action: ServerAction<UpdatePlan>) -> impl IntoView {
    let error = FormErrors::of(action, &[]).form();
    if !can_change {
        return view! {
            <h2>"Plan"</h2>
            <p>{format!("This account is on the {} plan. Only the Account Owner can change it.", plan.label())}</p>
        }
        .into_any();
    }
    view! {
        <h2>"Plan"</h2>
        <ActionForm action attr:class="stack narrow-form">
            <FormAlert message=error/>
            <fieldset class="field checkbox-group">
                <legend>"Plan"</legend>
                {Plan::ALL.into_iter().map(|choice| view! {
                    <label class="checkbox">
                        <input type="radio" name="plan" value=choice.as_str() checked={choice == plan}/>
                        {choice.label()}
                    </label>
                }).collect_view()}
            </fieldset>
            <p class="field-hint">"Plus and Pro add Light Users, Feature Permissions and Teams."</p>
            <button type="submit" class="button primary">"Save plan"</button>
        </ActionForm>
    }
    .into_any()
}
