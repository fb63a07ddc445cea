//! Company > Permissions (Plus and Pro): each role's default feature
//! permissions, which every user of the role follows unless their profile
//! sets custom ones.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_query_map};
use serde::{Deserialize, Serialize};

use super::CompanyError;
use crate::{
    components::{FormAlert, FormErrors, PlanGate, StatusPage},
    domain::{Permission, Plan, Role},
    error::HttpError,
};

/// The roles whose defaults an account sets (the Owner has everything).
pub const CONFIGURABLE_ROLES: [Role; 3] = [Role::Administrator, Role::User, Role::LightUser];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleDefaults {
    pub plan: Plan,
    pub roles: Vec<(Role, Vec<Permission>)>,
}

#[server(endpoint = "company/permissions")]
pub async fn get_role_defaults() -> Result<RoleDefaults, CompanyError> {
    use crate::{error::respond, state::use_state};

    let viewer = crate::session::Viewer::user_manager::<CompanyError>().map_err(respond)?;
    super::store::role_defaults(&use_state(), viewer.account_id)
        .await
        .map_err(respond)
}

/// Sets one role's default permissions. Owner and Administrators, Plus and Pro.
#[server(endpoint = "company/permissions/update")]
pub async fn update_role_defaults(
    #[server(default)] role: String,
    #[server(default)] permissions: Vec<String>,
) -> Result<(), CompanyError> {
    use crate::{domain::FieldErrors, error::respond, state::use_state};

    let viewer = crate::session::Viewer::user_manager::<CompanyError>().map_err(respond)?;
    let role = Role::parse(&role)
        .ok()
        .filter(|role| CONFIGURABLE_ROLES.contains(role))
        .ok_or_else(|| {
            respond(CompanyError::Invalid(FieldErrors::single(
                "role",
                "Choose Administrator, User or Light User.",
            )))
        })?;
    let permissions = Permission::parse_set(&permissions).map_err(|e| {
        respond(CompanyError::Invalid(FieldErrors::single(
            "permissions",
            e.0,
        )))
    })?;
    super::store::set_role_defaults(
        &use_state(),
        &viewer,
        role,
        &permissions,
        &crate::request::RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    leptos_axum::redirect("/settings/permissions?saved=1");
    Ok(())
}

/// `/settings/permissions`.
#[component]
pub fn PermissionsPage() -> impl IntoView {
    let update = ServerAction::<UpdateRoleDefaults>::new();
    let defaults = Resource::new(move || update.version().get(), |_| get_role_defaults());
    if let Some(Err(error)) = update.value().get_untracked() {
        crate::error::set_page_status(error.status());
    }
    let query = use_query_map();
    let saved = move || query.read().get("saved").is_some();
    let error = FormErrors::of(update, &[]).form();
    view! {
        <Title text="Permissions"/>
        <section class="page">
            <header class="page-header">
                <h1>"Permissions"</h1>
            </header>
            <p class="lead">"What each role may do by default. A user's profile can set custom permissions instead."</p>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match defaults.await {
                        Ok(defaults) if !defaults.plan.allows_feature_permissions() => {
                            view! { <PlanGate feature="Feature Permissions" plan=defaults.plan/> }.into_any()
                        }
                        Ok(defaults) => view! {
                            {saved().then(|| view! { <p class="notice" role="status">"Permissions saved."</p> })}
                            <FormAlert message=error/>
                            {defaults.roles.into_iter().map(|(role, granted)| view! {
                                <RoleDefaultsForm role granted update/>
                            }).collect_view()}
                        }.into_any(),
                        Err(CompanyError::SignInRequired) => view! { <Redirect path="/sign-in?next=/settings/permissions"/> }.into_any(),
                        Err(error) => view! {
                            <StatusPage status=error.status() title="Permissions can't be opened">
                                <p>{error.to_string()}</p>
                            </StatusPage>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn RoleDefaultsForm(
    role: Role,
    granted: Vec<Permission>,
    update: ServerAction<UpdateRoleDefaults>,
) -> impl IntoView {
    view! {
        <ActionForm action=update attr:class="stack narrow-form">
            <fieldset class="field checkbox-group">
                <legend>{format!("{} permissions", role.label())}</legend>
                <PermissionBoxes granted/>
            </fieldset>
            <input type="hidden" name="role" value=role.as_str()/>
            <button type="submit" class="button primary">{format!("Save {} permissions", role.label())}</button>
        </ActionForm>
    }
}

/// One checkbox per permission anyone but the Owner can have.
#[component]
pub fn PermissionBoxes(granted: Vec<Permission>) -> impl IntoView {
    Permission::grantable()
        .map(|permission| {
            view! {
                <label class="checkbox">
                    <input type="checkbox" name="permissions[]" value=permission.as_str() checked=granted.contains(&permission)/>
                    {permission.label()}
                </label>
            }
        })
        .collect_view()
}
