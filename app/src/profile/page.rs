use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    components::Redirect,
    hooks::{use_location, use_params_map, use_query_map},
};

use super::{section_screen::SectionScreen, ProfileError, ProfileNav, ProfileView, Section};
use crate::{
    components::{NotFound, StatusPage},
    error::HttpError,
    users::InviteDeliveryLine,
};

/// A profile: `user` empty for the viewer's own.
#[server(endpoint = "profile/get")]
pub async fn get_profile(#[server(default)] user: String) -> Result<ProfileView, ProfileError> {
    use crate::{error::respond, session::Viewer, state::use_state};

    let viewer = Viewer::current().ok_or_else(|| respond(ProfileError::SignInRequired))?;
    let target = super::section_call::target(&user).map_err(respond)?;
    super::access::load(&use_state(), &viewer, target)
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
    // The section is made first, once: its actions outlive every reload.
    let screen = SectionScreen::new(user, own);
    let body = section.make(screen);
    let query = use_query_map();
    let saved = Memo::new(move |_| query.read().get("saved").is_some());
    let profile = Resource::new(
        move || (user.get(), screen.changes()),
        |(user, _)| get_profile(user),
    );
    if let Some(status) = screen.failure() {
        crate::error::set_page_status(status);
    }
    let location = use_location();
    view! {
        <Title text=section.title()/>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || {
                let body = body.clone();
                Suspend::new(async move {
                match profile.await {
                    Ok(profile) => {
                        let body = body.draw(profile.clone()).await;
                        view! { <ProfileLayout profile section body saved/> }.into_any()
                    }
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
            })
            }}
        </Transition>
    }
}

#[component]
fn ProfileLayout(
    profile: ProfileView,
    section: Section,
    /// The section itself, drawn.
    body: AnyView,
    /// Whether the address says a save just happened (read as it changes: a
    /// save's redirect may arrive after the section reloaded).
    saved: Memo<bool>,
) -> impl IntoView {
    let user = (!profile.is_self).then_some(profile.user_id);
    let heading = if profile.is_self {
        "Your profile".to_owned()
    } else {
        profile.name.clone()
    };
    let notice = format!("{} saved.", section.title());
    let role = profile.role;
    let has_password = profile.has_password && !profile.deactivated;
    // Someone who has not accepted an invite can be sent one (again).
    let can_revoke_invite = profile.open_invite && !profile.has_password && !profile.deactivated;
    let invite = (!profile.has_password && !profile.deactivated).then_some(if profile.invited {
        "Resend invite email"
    } else {
        "Send invite email"
    });
    let can_delete = role != crate::domain::Role::Owner;
    let deactivated = profile.deactivated;
    let invite_delivery = profile.invite_delivery.clone().filter(|_| !deactivated);
    view! {
        <section class="page profile-layout">
            <header class="page-header">
                <h1>{heading}</h1>
                <p class="muted">{role.label()}{deactivated.then_some(" · Deactivated")}</p>
                {invite_delivery.map(|delivery| view! { <InviteDeliveryLine delivery/> })}
            </header>
            <div class="profile-columns">
                <ProfileNav user current=section can_reset_password=has_password invite can_revoke_invite can_delete=can_delete deactivated=deactivated/>
                <div class="profile-section">
                    <h2>{section.title()}</h2>
                    {move || saved.get().then(|| view! { <p class="notice" role="status">{notice.clone()}</p> })}
                    {body}
                </div>
            </div>
        </section>
    }
}
