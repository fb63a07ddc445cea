//! The Profile section: name, email, alternate emails, job title, phone,
//! pronouns, time zone and time format, and the email form of its own.

// A server function takes one argument per form field.
#![allow(clippy::too_many_arguments)]

mod email_form;
pub mod photo;
#[cfg(feature = "ssr")]
pub mod store;
mod update;

pub use update::{ProfileForm, ProfileUpdate};

use leptos::prelude::*;

use self::{email_form::EmailForm, photo::PhotoForm, photo::RemovePhoto};
use super::section_screen::{user_field, SectionScreen, SectionView};
use crate::{
    components::{Check, Field, FormAlert, FormErrors},
    domain::{parse_alternate_emails, TimeFormat, MAX_ALTERNATE_EMAILS},
    error::HttpError,
    profile::{ProfileError, ProfileView},
};

/// Saves the Profile section of `user` (empty: the viewer's own).
#[server(endpoint = "profile/update")]
pub async fn update_profile(
    #[server(default)] user: String,
    #[server(default)] name: String,
    #[server(default)] alternate_emails: String,
    #[server(default)] job_title: String,
    #[server(default)] phone: String,
    #[server(default)] pronouns: String,
    #[server(default)] timezone: String,
    #[server(default)] time_format: String,
    #[server(default)] version: String,
) -> Result<(), ProfileError> {
    use crate::{error::respond, request::RequestInfo, state::use_state};

    let (viewer, target, version) =
        crate::profile::section_call::section_call(&user, &version).map_err(respond)?;
    let form = ProfileForm {
        name: &name,
        alternate_emails: &alternate_emails,
        job_title: &job_title,
        phone: &phone,
        pronouns: &pronouns,
        timezone: &timezone,
        time_format: &time_format,
    };
    let update =
        ProfileUpdate::parse(&form).map_err(|errors| respond(ProfileError::Invalid(errors)))?;
    let id = store::save(
        &use_state(),
        &viewer,
        target,
        &update,
        version,
        &RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    crate::profile::section_call::redirect_to_section(
        &viewer,
        target,
        id,
        crate::profile::Section::Profile,
    );
    Ok(())
}

/// Changes the email address of `user` (empty: the viewer's own, which
/// needs the current password).
#[server(endpoint = "profile/email")]
pub async fn change_email(
    #[server(default)] user: String,
    #[server(default)] email: String,
    #[server(default)] current_password: String,
    #[server(default)] version: String,
) -> Result<(), ProfileError> {
    use crate::{
        domain::{Email, FieldErrors},
        error::respond,
        rate_limit::Limited,
        state::use_state,
    };

    crate::rate_limit::check_current_request(Limited::SignIn)
        .await
        .map_err(|retry_after| {
            respond(ProfileError::BadRequest {
                message: format!("Too many attempts. Try again in {retry_after} seconds."),
                status: 429,
            })
        })?;
    let (viewer, target, version) =
        crate::profile::section_call::section_call(&user, &version).map_err(respond)?;
    let email = Email::parse(&email)
        .map_err(|e| respond(ProfileError::Invalid(FieldErrors::single("email", e.0))))?;
    let id = store::change_email(
        &use_state(),
        &viewer,
        target,
        &email,
        &current_password,
        version,
        &crate::request::RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    crate::profile::section_call::redirect_to_section(
        &viewer,
        target,
        id,
        crate::profile::Section::Profile,
    );
    Ok(())
}

/// Every IANA time zone name, for the section's list.
#[server(endpoint = "profile/timezones")]
pub async fn get_timezones() -> Result<Vec<String>, ProfileError> {
    use crate::{error::respond, session::Viewer};

    Viewer::current().ok_or_else(|| respond(ProfileError::SignInRequired))?;
    Ok(chrono_tz::TZ_VARIANTS
        .iter()
        .map(|zone| zone.name().to_owned())
        .collect())
}

pub(super) fn section(screen: SectionScreen) -> SectionView {
    let update = screen.action::<UpdateProfile>();
    let change_email = screen.action::<ChangeEmail>();
    let remove_photo = screen.action::<RemovePhoto>();
    if let Some(error) = photo::upload_error() {
        screen.fail(error.status());
    }
    // The list never changes: loaded once per screen, not after each save.
    let timezones = Resource::new(|| (), |_| get_timezones());
    SectionView::with_data(timezones, move |profile, timezones| {
        view! { <ProfileFields profile timezones update change_email remove_photo/> }.into_any()
    })
}

#[component]
fn ProfileFields(
    profile: ProfileView,
    timezones: Vec<String>,
    update: ServerAction<UpdateProfile>,
    change_email: ServerAction<ChangeEmail>,
    remove_photo: ServerAction<RemovePhoto>,
) -> impl IntoView {
    let errors = FormErrors::of(
        update,
        &[
            "name",
            "alternate_emails",
            "job_title",
            "phone",
            "pronouns",
            "timezone",
            "time_format",
        ],
    );
    let field_error = move |name| errors.field(name);
    let form_error = errors.form();
    let timezone_error = field_error("timezone");
    let time_format_error = field_error("time_format");
    let email_profile = profile.clone();
    let current_zone = profile.timezone.clone();
    let current_format = profile.time_format;
    let user = user_field(&profile);
    let photo_profile = profile.clone();
    view! {
        <PhotoForm profile=photo_profile remove=remove_photo/>
        <ActionForm action=update attr:novalidate=true attr:class="stack narrow-form">
            <FormAlert message=form_error/>
            <Field
                label="Name"
                name="name"
                autocomplete="name"
                initial=profile.name.clone()
                server_error=field_error("name")
                check=Check::PersonName
            />
            <AlternateEmails profile=profile.clone() error=field_error("alternate_emails")/>
            <Field
                label="Job title"
                name="job_title"
                initial=profile.job_title.clone()
                server_error=field_error("job_title")
                check=Check::JobTitle
            />
            <Field
                label="Phone"
                name="phone"
                kind="tel"
                autocomplete="tel"
                initial=profile.phone.clone()
                server_error=field_error("phone")
                check=Check::Phone
            />
            <Field
                label="Pronouns"
                name="pronouns"
                initial=profile.pronouns.clone()
                server_error=field_error("pronouns")
                check=Check::Pronouns
            />
            <div class="field" class:field-invalid=move || timezone_error.get().is_some()>
                <label for="field-timezone">"Time zone"</label>
                <select id="field-timezone" name="timezone"
                    aria-describedby=move || timezone_error.get().is_some().then_some("field-timezone-error")>
                    {timezones.iter().map(|zone| view! {
                        <option value=zone.clone() selected={*zone == current_zone}>{zone.clone()}</option>
                    }).collect_view()}
                </select>
                <p class="field-error" id="field-timezone-error" aria-live="polite">{move || timezone_error.get()}</p>
            </div>
            <fieldset class="field checkbox-group"
                aria-describedby=move || time_format_error.get().is_some().then_some("field-time-format-error")>
                <legend>"Time format"</legend>
                {[TimeFormat::TwelveHour, TimeFormat::TwentyFourHour].into_iter().map(|format| view! {
                    <label class="checkbox">
                        <input type="radio" name="time_format" value=format.as_str() checked={format == current_format}/>
                        {format.label()}
                    </label>
                }).collect_view()}
                <p class="field-error" id="field-time-format-error" aria-live="polite">{move || time_format_error.get()}</p>
            </fieldset>
            <input type="hidden" name="user" value=user/>
            <input type="hidden" name="version" value=profile.version.to_string()/>
            <button type="submit" class="button primary" disabled=move || update.pending().get()>"Save"</button>
        </ActionForm>
        <EmailForm profile=email_profile action=change_email/>
    }
}

/// Other addresses the user writes from, one per line.
#[component]
fn AlternateEmails(profile: ProfileView, error: Signal<Option<String>>) -> impl IntoView {
    let primary = profile.email.clone();
    let client_error = RwSignal::new(None::<Option<String>>);
    let shown = move || client_error.get().unwrap_or_else(|| error.get());
    view! {
        <div class="field" class:field-invalid=move || shown().is_some()>
            <label for="field-alternate_emails">"Alternate emails"</label>
            <p class="field-hint" id="field-alternate_emails-hint">
                {format!("Other addresses this person writes from, one per line (up to {MAX_ALTERNATE_EMAILS}). Integrations see them through the API and SCIM; Roster itself receives no mail, so nothing is matched to them here yet.")}
            </p>
            <textarea
                id="field-alternate_emails"
                name="alternate_emails"
                rows="3"
                aria-invalid=move || shown().is_some().then_some("true")
                aria-describedby=move || if shown().is_some() {
                    "field-alternate_emails-hint field-alternate_emails-error"
                } else {
                    "field-alternate_emails-hint"
                }
                on:change=move |event| {
                    let value = event_target_value(&event);
                    client_error.set(Some(parse_alternate_emails(&value, &primary).err().map(|e| e.0)));
                }
            >{profile.alternate_emails.join("\n")}</textarea>
            <p class="field-error" id="field-alternate_emails-error" aria-live="polite">{shown}</p>
        </div>
    }
}
