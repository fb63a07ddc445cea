use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use serde::{Deserialize, Serialize};

use super::{InviteValidity, MAX_INVITE_DAYS, MIN_INVITE_DAYS};
use crate::{
    components::{Field, FormAlert, StatusPage},
    error::HttpError,
    users::UsersError,
};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanySettings {
    pub name: String,
    pub invite_validity_days: i32,
}

#[server(endpoint = "company/settings")]
pub async fn get_company_settings() -> Result<CompanySettings, UsersError> {
    use crate::{error::respond, state::use_state};

    let viewer = crate::users::require_user_manager().map_err(respond)?;
    super::store::settings(&use_state(), viewer.account_id)
        .await
        .map_err(|error| respond(UsersError::from(error)))
}

/// Sets how long invitation links work (1–30 days). Owner and Administrators.
#[server(endpoint = "company/invite-validity")]
pub async fn update_invite_validity(days: String) -> Result<(), UsersError> {
    use crate::{domain::FieldErrors, error::respond, state::use_state};

    let viewer = crate::users::require_user_manager().map_err(respond)?;
    let validity = InviteValidity::parse(&days)
        .map_err(|error| respond(UsersError::Invalid(FieldErrors::single("days", error.0))))?;
    super::store::set_invite_validity(&use_state(), &viewer, validity)
        .await
        .map_err(|error| respond(UsersError::from(error)))?;
    leptos_axum::redirect("/settings/company?saved=1");
    Ok(())
}

/// `/settings/company`.
#[component]
pub fn CompanySettingsPage() -> impl IntoView {
    let update = ServerAction::<UpdateInviteValidity>::new();
    let settings = Resource::new(move || update.version().get(), |_| get_company_settings());
    if let Some(Err(error)) = update.value().get_untracked() {
        crate::error::set_page_status(error.status());
    }
    view! {
        <Title text="Company settings"/>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(settings) => view! { <SettingsForm settings update/> }.into_any(),
                    Err(UsersError::SignInRequired) => view! { <Redirect path="/sign-in?next=/settings/company"/> }.into_any(),
                    Err(UsersError::Forbidden) => view! {
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
) -> impl IntoView {
    let days_error = Signal::derive(move || {
        update
            .value()
            .get()
            .and_then(Result::err)
            .and_then(|e| e.field("days"))
    });
    let form_error = Signal::derive(move || match update.value().get().and_then(Result::err) {
        Some(UsersError::Invalid(_)) | None => None,
        Some(other) => Some(other.to_string()),
    });
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
                    check=|v: String| InviteValidity::parse(&v).err().map(|e| e.0)
                />
                <button type="submit" class="button primary">"Save"</button>
            </ActionForm>
        </section>
    }
}
