//! Teams on a profile (Plus and Pro): the teams a user is on, set by an
//! admin. Light Users are never on a team.

#[cfg(feature = "ssr")]
pub mod store;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::section_screen::{SectionScreen, SectionView};
use crate::profile::{ProfileError, ProfileView};
use crate::{
    components::{FormAlert, FormErrors, PlanGate},
    domain::Role,
};

/// Every team of the account, and those the user is on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserTeams {
    pub teams: Vec<(Uuid, String)>,
    pub member_of: Vec<Uuid>,
}

#[server(endpoint = "profile/teams")]
pub async fn get_user_teams(#[server(default)] user: String) -> Result<UserTeams, ProfileError> {
    use crate::{error::respond, state::use_state};

    let (viewer, target) =
        crate::profile::section_call::section_call_without_version(&user).map_err(respond)?;
    store::teams_of(&use_state(), &viewer, target)
        .await
        .map_err(respond)
}

/// Puts the user on exactly these teams.
#[server(endpoint = "profile/teams/update")]
pub async fn update_user_teams(
    #[server(default)] user: String,
    #[server(default)] teams: Vec<String>,
    #[server(default)] version: String,
) -> Result<(), ProfileError> {
    use crate::{error::respond, state::use_state};

    let (viewer, target, version) =
        crate::profile::section_call::section_call(&user, &version).map_err(respond)?;
    let ids =
        crate::profile::section_call::chosen_ids(&teams, "teams", "Choose teams from the list.")
            .map_err(respond)?;
    let id = store::save_teams(
        &use_state(),
        &viewer,
        target,
        &ids,
        version,
        &crate::request::RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    crate::profile::redirect_to_section(&viewer, target, id, crate::profile::Section::Teams);
    Ok(())
}

pub(super) fn section(screen: SectionScreen) -> SectionView {
    let action = screen.action::<UpdateUserTeams>();
    let teams = screen.load(get_user_teams);
    SectionView::with_data(teams, move |profile, teams| {
        view! { <TeamsSection profile teams action/> }.into_any()
    })
}

#[component]
fn TeamsSection(
    profile: ProfileView,
    teams: UserTeams,
    action: ServerAction<UpdateUserTeams>,
) -> impl IntoView {
    if !profile.plan.allows_teams() {
        return view! { <PlanGate feature="Teams" plan=profile.plan/> }.into_any();
    }
    if profile.role == Role::LightUser {
        return view! { <p>"Light Users can't be on teams. Give them another role to add them to one."</p> }
            .into_any();
    }
    if teams.teams.is_empty() {
        return view! {
            <p class="empty-state">"This account has no teams yet. Create them on "<a href="/manage/teams">"Manage > Teams"</a>"."</p>
        }
        .into_any();
    }
    let error = FormErrors::of(action, &[]).form();
    let member_of = teams.member_of;
    view! {
        <ActionForm action attr:class="stack narrow-form">
            <FormAlert message=error/>
            <fieldset class="field checkbox-group">
                <legend>{format!("Teams {} is on", profile.name)}</legend>
                {teams.teams.into_iter().map(|(id, name)| view! {
                    <label class="checkbox">
                        <input type="checkbox" name="teams[]" value=id.to_string() checked={member_of.contains(&id)}/>
                        {name}
                    </label>
                }).collect_view()}
            </fieldset>
            <input type="hidden" name="user" value=profile.user_id.to_string()/>
            <input type="hidden" name="version" value=profile.version.to_string()/>
            <button type="submit" class="button primary" disabled=move || action.pending().get()>"Save"</button>
        </ActionForm>
    }
    .into_any()
}
