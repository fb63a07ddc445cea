//! Feature Permissions on a profile (Plus and Pro): Default follows the
//! role's defaults; Custom is a set for this user alone. Set by an admin for
//! someone else; the Owner always has every permission.

#[cfg(feature = "ssr")]
pub mod store;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::section_screen::{SectionScreen, SectionView};
use crate::profile::{ProfileError, ProfileView};
use crate::{
    company::PermissionBoxes,
    components::{FormAlert, FormErrors, PlanGate},
    domain::{Explained, Permission, Role},
};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeaturePermissionsView {
    /// `None` while the user follows their role's defaults.
    pub custom: Option<Vec<Permission>>,
    pub role_defaults: Vec<Permission>,
    /// What the user may do now.
    pub effective: Vec<Permission>,
    /// Every permission, whether they have it, and why.
    pub explained: Vec<Explained>,
}

#[server(endpoint = "profile/feature-permissions")]
pub async fn get_feature_permissions(
    #[server(default)] user: String,
) -> Result<FeaturePermissionsView, ProfileError> {
    use crate::{error::respond, state::use_state};

    let (viewer, target) =
        crate::profile::section_call::section_call_without_version(&user).map_err(respond)?;
    store::feature_permissions(&use_state(), &viewer, target)
        .await
        .map_err(respond)
}

/// `mode` is "default" (follow the role) or "custom" (exactly `permissions`).
#[server(endpoint = "profile/feature-permissions/update")]
pub async fn update_feature_permissions(
    #[server(default)] user: String,
    #[server(default)] mode: String,
    #[server(default)] permissions: Vec<String>,
    #[server(default)] version: String,
) -> Result<(), ProfileError> {
    use crate::{domain::FieldErrors, error::respond, state::use_state};

    let (viewer, target, version) =
        crate::profile::section_call::section_call(&user, &version).map_err(respond)?;
    let custom = match mode.trim() {
        "default" => None,
        "custom" => Some(Permission::parse_set(&permissions).map_err(|e| {
            respond(ProfileError::Invalid(FieldErrors::single(
                "permissions",
                e.0,
            )))
        })?),
        _ => {
            return Err(respond(ProfileError::Invalid(FieldErrors::single(
                "mode",
                "Choose Default or Custom.",
            ))))
        }
    };
    let id = store::save_feature_permissions(
        &use_state(),
        &viewer,
        target,
        custom,
        version,
        &crate::request::RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    crate::profile::redirect_to_section(
        &viewer,
        target,
        id,
        crate::profile::Section::FeaturePermissions,
    );
    Ok(())
}

pub(super) fn section(screen: SectionScreen) -> SectionView {
    let action = screen.action::<UpdateFeaturePermissions>();
    let permissions = screen.load(get_feature_permissions);
    SectionView::with_data(permissions, move |profile, permissions| {
        view! { <FeaturePermissionsSection profile permissions action/> }.into_any()
    })
}

#[component]
fn FeaturePermissionsSection(
    profile: ProfileView,
    permissions: FeaturePermissionsView,
    action: ServerAction<UpdateFeaturePermissions>,
) -> impl IntoView {
    let now = view! { <EffectivePermissions name=profile.name.clone() explained=permissions.explained.clone()/> };
    if !profile.plan.allows_feature_permissions() {
        return view! {
            {now}
            <PlanGate feature="Feature Permissions" plan=profile.plan/>
        }
        .into_any();
    }
    if profile.role == Role::Owner {
        return view! {
            <p>"The Account Owner always has every permission."</p>
            {now}
        }
        .into_any();
    }
    let error = FormErrors::of(action, &[]).form();
    let is_custom = permissions.custom.is_some();
    let default_label = format!("Default: follow the {} role", profile.role.label());
    view! {
        <ActionForm action attr:class="stack narrow-form">
            <FormAlert message=error/>
            <fieldset class="field checkbox-group">
                <legend>"Permissions"</legend>
                <label class="checkbox">
                    <input type="radio" name="mode" value="default" checked=!is_custom/>
                    {default_label}
                </label>
                <label class="checkbox">
                    <input type="radio" name="mode" value="custom" checked=is_custom/>
                    "Custom: only the permissions ticked below"
                </label>
            </fieldset>
            <fieldset class="field checkbox-group">
                <legend>{format!("What {} may do", profile.name)}</legend>
                <PermissionBoxes granted=permissions.effective/>
            </fieldset>
            <input type="hidden" name="user" value=profile.user_id.to_string()/>
            <input type="hidden" name="version" value=profile.version.to_string()/>
            <button type="submit" class="button primary" disabled=move || action.pending().get()>"Save"</button>
        </ActionForm>
        {now}
    }
    .into_any()
}

/// What the user may do now, each permission with its reason.
#[component]
fn EffectivePermissions(name: String, explained: Vec<Explained>) -> impl IntoView {
    view! {
        <table class="user-table effective-permissions">
            <caption>{format!("What {name} may do now")}</caption>
            <thead>
                <tr>
                    <th scope="col">"Permission"</th>
                    <th scope="col">"Has it"</th>
                    <th scope="col">"Why"</th>
                </tr>
            </thead>
            <tbody>
                {explained.into_iter().map(|e| view! {
                    <tr>
                        <th scope="row">{e.permission.label()}</th>
                        <td data-label="Has it">{if e.granted { "Yes" } else { "No" }}</td>
                        <td data-label="Why">{e.because.describe()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
