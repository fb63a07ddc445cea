// A server function takes one argument per form field.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    components::Redirect,
    hooks::{use_location, use_params_map, use_query_map},
};

use super::{
    auto_bcc::AutoBccSection,
    feature_permissions::FeaturePermissionsSection,
    inbox_access::InboxAccessSection,
    notifications_section::NotificationsSection,
    photo::PhotoForm,
    role_section::RoleSection,
    section_data::{SectionActions, SectionData, SectionResources},
    sessions_section::UserSessionsSection,
    teams_section::TeamsSection,
    ProfileError, ProfileNav, ProfileView, Section,
};
use crate::{
    components::{Check, Field, FormAlert, StatusPage},
    credentials::{ApiKeysSection, AuthorizedAppsSection, MyAppsSection},
    domain::{parse_alternate_emails, TimeFormat, MAX_ALTERNATE_EMAILS},
    error::HttpError,
    session::OwnSessionsSection,
    shell::NotFound,
    two_factor::OwnSecuritySection,
};

/// A profile: `user` empty for the viewer's own.
#[server(endpoint = "profile/get")]
pub async fn get_profile(#[server(default)] user: String) -> Result<ProfileView, ProfileError> {
    use crate::{error::respond, session::Viewer, state::use_state};

    let viewer = Viewer::current().ok_or_else(|| respond(ProfileError::SignInRequired))?;
    let target = target(&user).map_err(respond)?;
    super::store::load(&use_state(), &viewer, target)
        .await
        .map_err(respond)
}

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

    let (viewer, target, version) = section_call(&user, &version).map_err(respond)?;
    let form = super::ProfileForm {
        name: &name,
        alternate_emails: &alternate_emails,
        job_title: &job_title,
        phone: &phone,
        pronouns: &pronouns,
        timezone: &timezone,
        time_format: &time_format,
    };
    let update = super::ProfileUpdate::parse(&form)
        .map_err(|errors| respond(ProfileError::Invalid(errors)))?;
    let id = super::store::save(
        &use_state(),
        &viewer,
        target,
        &update,
        version,
        &RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    redirect_to_section(&viewer, target, id, "profile");
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
    let (viewer, target, version) = section_call(&user, &version).map_err(respond)?;
    let email = Email::parse(&email)
        .map_err(|e| respond(ProfileError::Invalid(FieldErrors::single("email", e.0))))?;
    let id = super::store::change_email(
        &use_state(),
        &viewer,
        target,
        &email,
        &current_password,
        version,
    )
    .await
    .map_err(respond)?;
    redirect_to_section(&viewer, target, id, "profile");
    Ok(())
}

/// Where a saved section goes back to, with its "saved" notice.
#[cfg(feature = "ssr")]
fn section_path(
    viewer: &crate::session::Viewer,
    target: Option<uuid::Uuid>,
    id: uuid::Uuid,
    segment: &str,
) -> String {
    if target.is_none() && id == viewer.user_id {
        format!("/profile/{segment}?saved=1")
    } else {
        format!("/manage/users/{id}/{segment}?saved=1")
    }
}

/// What every section's save starts with: the signed-in viewer, whose
/// profile (`user` empty: their own) and the version the form was read at.
#[cfg(feature = "ssr")]
pub(super) fn section_call(
    user: &str,
    version: &str,
) -> Result<(crate::session::Viewer, Option<uuid::Uuid>, i64), ProfileError> {
    let viewer = crate::session::Viewer::current().ok_or(ProfileError::SignInRequired)?;
    let target = target(user)?;
    let version = version
        .trim()
        .parse::<i64>()
        .map_err(|_| ProfileError::Stale)?;
    Ok((viewer, target, version))
}

/// What a section's change without a version check starts with: the
/// signed-in viewer and whose profile (`user` empty: their own).
#[cfg(feature = "ssr")]
pub fn section_call_without_version(
    user: &str,
) -> Result<(crate::session::Viewer, Option<uuid::Uuid>), ProfileError> {
    let viewer = crate::session::Viewer::current().ok_or(ProfileError::SignInRequired)?;
    Ok((viewer, target(user)?))
}

/// Sends a browser without JavaScript back to the section it changed.
#[cfg(feature = "ssr")]
pub fn redirect_to_section(
    viewer: &crate::session::Viewer,
    target: Option<uuid::Uuid>,
    id: uuid::Uuid,
    segment: &str,
) {
    leptos_axum::redirect(&section_path(viewer, target, id, segment));
}

#[cfg(feature = "ssr")]
pub fn target(user: &str) -> Result<Option<uuid::Uuid>, ProfileError> {
    if user.trim().is_empty() {
        Ok(None)
    } else {
        uuid::Uuid::parse_str(user.trim())
            .map(Some)
            .map_err(|_| ProfileError::NotFound)
    }
}

/// `/profile/<section>`: your own profile.
#[component]
pub fn OwnProfilePage() -> impl IntoView {
    let section = section_param(true);
    move || match section.get() {
        Some(section) => {
            view! { <ProfileScreen user=Signal::derive(String::new) section own=true/> }.into_any()
        }
        None => view! { <NotFound/> }.into_any(),
    }
}

/// `/manage/users/<id>/<section>`: an admin's view of someone's profile.
#[component]
pub fn AdminProfilePage() -> impl IntoView {
    let params = use_params_map();
    let user = Signal::derive(move || params.read().get("id").unwrap_or_default());
    let section = section_param(false);
    move || match section.get() {
        Some(section) => view! { <ProfileScreen user section own=false/> }.into_any(),
        None => view! { <NotFound/> }.into_any(),
    }
}

/// The section the address names, if there is one for this entrance.
fn section_param(own: bool) -> Memo<Option<Section>> {
    let params = use_params_map();
    Memo::new(move |_| {
        params
            .read()
            .get("section")
            .and_then(|segment| Section::from_segment(&segment))
            .filter(|section| section.shown(own))
    })
}

#[component]
fn ProfileScreen(user: Signal<String>, section: Section, own: bool) -> impl IntoView {
    let actions = SectionActions::new();
    let query = use_query_map();
    let saved = Memo::new(move |_| query.read().get("saved").is_some());
    let profile = Resource::new(
        move || (user.get(), actions.version()),
        |(user, _)| get_profile(user),
    );
    let data = SectionResources::new(section, own, user, actions);
    if let Some(status) = actions.failure_status() {
        crate::error::set_page_status(status);
    }
    let location = use_location();
    view! {
        <Title text=section.title()/>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let loaded = match profile.await {
                    Ok(profile) => data.load().await.map(|data| (profile, data)),
                    Err(error) => Err(error),
                };
                match loaded {
                    Ok((profile, data)) => view! { <ProfileLayout profile section actions data saved/> }.into_any(),
                    Err(ProfileError::SignInRequired) => {
                        let here = location.pathname.get_untracked();
                        view! { <Redirect path=format!("/sign-in?next={here}")/> }.into_any()
                    }
                    Err(error) => view! {
                        <StatusPage status=error.status() title="This profile can't be opened">
                            <p>{error.to_string()}</p>
                        </StatusPage>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ProfileLayout(
    profile: ProfileView,
    section: Section,
    actions: SectionActions,
    data: SectionData,
    /// Whether the address says a save just happened (read as it changes: a
    /// save's redirect may arrive after the section reloaded).
    saved: Memo<bool>,
) -> impl IntoView {
    let user = (!profile.is_self).then_some(profile.user_id);
    let user_field = user.map(|id| id.to_string()).unwrap_or_default();
    let heading = if profile.is_self {
        "Your profile".to_owned()
    } else {
        profile.name.clone()
    };
    let notice = format!("{} saved.", section.title());
    let role = profile.role;
    let has_password = profile.has_password;
    let can_delete = role != crate::domain::Role::Owner;
    let is_self = profile.is_self;
    let name = profile.name.clone();
    let body = match (section, data) {
        (Section::Profile, _) => {
            view! { <ProfileFields profile actions/> }.into_any()
        }
        (Section::AutoBcc, _) => view! { <AutoBccSection profile action=actions.auto_bcc/> }.into_any(),
        (Section::Role, _) => view! { <RoleSection profile action=actions.role/> }.into_any(),
        (Section::Security, SectionData::Security(status)) => view! {
            <OwnSecuritySection status enable=actions.enable_two_factor disable=actions.disable_two_factor regenerate=actions.regenerate_codes/>
        }
        .into_any(),
        (Section::Security, _) => view! { <SecuritySection profile/> }.into_any(),
        (Section::Notifications, _) => {
            view! { <NotificationsSection profile action=actions.notifications/> }.into_any()
        }
        (Section::InboxAccess, _) => {
            view! { <InboxAccessSection profile action=actions.inbox_access/> }.into_any()
        }
        (Section::ActiveSessions, SectionData::OwnSessions(mine)) => view! {
            <OwnSessionsSection mine confirm=actions.confirm_password revoke=actions.revoke_session revoke_others=actions.revoke_other_sessions/>
        }
        .into_any(),
        (Section::ActiveSessions, SectionData::UserSessions(sessions)) => view! {
            <UserSessionsSection sessions name user=user_field revoke=actions.revoke_user_sessions/>
        }
        .into_any(),
        (Section::ApiKeys, SectionData::Credentials(credentials)) => view! {
            <ApiKeysSection credentials is_self name user=user_field create=actions.create_api_key revoke=actions.revoke_api_key/>
        }
        .into_any(),
        (Section::AuthorizedApps, SectionData::Credentials(credentials)) => view! {
            <AuthorizedAppsSection credentials is_self name user=user_field revoke=actions.revoke_authorized_app/>
        }
        .into_any(),
        (Section::MyApps, SectionData::Credentials(credentials)) => view! {
            <MyAppsSection credentials is_self name user=user_field create=actions.create_app delete=actions.delete_app/>
        }
        .into_any(),
        (Section::FeaturePermissions, SectionData::FeaturePermissions(permissions)) => view! {
            <FeaturePermissionsSection profile permissions action=actions.feature_permissions/>
        }
        .into_any(),
        (Section::Teams, SectionData::Teams(teams)) => {
            view! { <TeamsSection profile teams action=actions.teams/> }.into_any()
        }
        (
            Section::ActiveSessions
            | Section::ApiKeys
            | Section::AuthorizedApps
            | Section::MyApps
            | Section::FeaturePermissions
            | Section::Teams,
            _,
        ) => {
            ().into_any()
        }
    };
    view! {
        <section class="page profile-layout">
            <header class="page-header">
                <h1>{heading}</h1>
                <p class="muted">{role.label()}</p>
            </header>
            <div class="profile-columns">
                <ProfileNav user current=section can_reset_password=has_password can_delete=can_delete/>
                <div class="profile-section">
                    <h2>{section.title()}</h2>
                    {move || saved.get().then(|| view! { <p class="notice" role="status">{notice.clone()}</p> })}
                    {body}
                </div>
            </div>
        </section>
    }
}

#[component]
fn ProfileFields(profile: ProfileView, actions: SectionActions) -> impl IntoView {
    let (update, change_email) = (actions.update, actions.change_email);
    let error = move || update.value().get().and_then(Result::err);
    let field_error =
        move |name: &'static str| Signal::derive(move || error().and_then(|e| e.field(name)));
    let form_error = Signal::derive(move || match error() {
        Some(ProfileError::Invalid(_)) | None => None,
        Some(other) => Some(other.to_string()),
    });
    let timezone_error = field_error("timezone");
    let time_format_error = field_error("time_format");
    let email_profile = profile.clone();
    let current_zone = profile.timezone.clone();
    let current_format = profile.time_format;
    let user = if profile.is_self {
        String::new()
    } else {
        profile.user_id.to_string()
    };
    let photo_profile = profile.clone();
    view! {
        <PhotoForm profile=photo_profile remove=actions.remove_photo/>
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
                    {profile.timezones.iter().map(|zone| view! {
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
                {format!("Other addresses this person writes from, one per line (up to {MAX_ALTERNATE_EMAILS}). Mail from them is matched to them.")}
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

/// The email address: its own form, since changing one's own needs the
/// current password and tells the old address.
#[component]
fn EmailForm(profile: ProfileView, action: ServerAction<ChangeEmail>) -> impl IntoView {
    let error = move || action.value().get().and_then(Result::err);
    let field_error =
        move |name: &'static str| Signal::derive(move || error().and_then(|e| e.field(name)));
    let form_error = Signal::derive(move || match error() {
        Some(ProfileError::Invalid(_)) | None => None,
        Some(other) => Some(other.to_string()),
    });
    let user = if profile.is_self {
        String::new()
    } else {
        profile.user_id.to_string()
    };
    let hint = if profile.is_self {
        "We'll tell your current address about the change."
    } else {
        "We'll tell their current address about the change."
    };
    view! {
        <h3>"Email Address"</h3>
        <ActionForm action attr:novalidate=true attr:class="stack narrow-form">
            <FormAlert message=form_error/>
            <Field
                label="Email Address"
                name="email"
                kind="email"
                autocomplete="email"
                hint=hint
                initial=profile.email.clone()
                server_error=field_error("email")
                check=Check::Email
            />
            {profile.is_self.then(|| view! {
                <Field
                    label="Current password"
                    name="current_password"
                    kind="password"
                    autocomplete="current-password"
                    hint="Needed to change your email address."
                    server_error=field_error("current_password")
                />
            })}
            <input type="hidden" name="user" value=user/>
            <input type="hidden" name="version" value=profile.version.to_string()/>
            <button type="submit" class="button" disabled=move || action.pending().get()>"Change email"</button>
        </ActionForm>
    }
}

/// An admin's view of a user's Security: the two-factor status, and no
/// control that would set it up for them.
#[component]
fn SecuritySection(profile: ProfileView) -> impl IntoView {
    let status = if profile.two_factor_enabled {
        "Two-factor authentication is on."
    } else {
        "Two-factor authentication is off."
    };
    view! {
        <p><strong>{status}</strong></p>
        <p class="muted">
            {format!("Only {} can set up or turn off two-factor authentication, from their own profile.", profile.name)}
        </p>
    }
}
