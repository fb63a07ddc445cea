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
    profile_section::ProfileFields,
    role_section::RoleSection,
    section_data::{SectionActions, SectionData, SectionResources},
    sessions_section::UserSessionsSection,
    teams_section::TeamsSection,
    ProfileError, ProfileNav, ProfileView, Section,
};
use crate::{
    components::StatusPage,
    credentials::{ApiKeysSection, AuthorizedAppsSection, MyAppsSection},
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
    let target = super::section_call::target(&user).map_err(respond)?;
    super::store::load(&use_state(), &viewer, target)
        .await
        .map_err(respond)
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
