use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_query_map};

use super::{TeamView, TeamsError, TeamsOverview};
use crate::domain::PLUS_OR_PRO;
use crate::{
    components::{Check, Field, FormAlert, FormErrors, StatusPage},
    error::HttpError,
};

#[server(endpoint = "teams/list")]
pub async fn get_teams() -> Result<TeamsOverview, TeamsError> {
    use crate::{error::respond, state::use_state};

    let viewer = crate::session::Viewer::user_manager::<TeamsError>().map_err(respond)?;
    super::store::overview(&use_state(), &viewer)
        .await
        .map_err(respond)
}

#[server(endpoint = "teams/create")]
pub async fn create_team(#[server(default)] name: String) -> Result<(), TeamsError> {
    use crate::{domain::FieldErrors, error::respond, state::use_state};

    let viewer = crate::session::Viewer::user_manager::<TeamsError>().map_err(respond)?;
    let name = crate::domain::TeamName::parse(&name)
        .map_err(|e| respond(TeamsError::Invalid(FieldErrors::single("name", e.0))))?;
    super::store::create(
        &use_state(),
        &viewer,
        &name,
        &crate::request::RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    leptos_axum::redirect("/manage/teams?saved=1");
    Ok(())
}

/// Puts the user with this email address on the team.
#[server(endpoint = "teams/add-member")]
pub async fn add_team_member(
    #[server(default)] team_id: String,
    #[server(default)] email: String,
) -> Result<(), TeamsError> {
    use crate::{domain::FieldErrors, error::respond, state::use_state};

    let viewer = crate::session::Viewer::user_manager::<TeamsError>().map_err(respond)?;
    let team_id = parse_id(&team_id).map_err(respond)?;
    let email = crate::domain::Email::parse(&email)
        .map_err(|e| respond(TeamsError::Invalid(FieldErrors::single("email", e.0))))?;
    super::store::add_member(
        &use_state(),
        &viewer,
        team_id,
        &email,
        &crate::request::RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    leptos_axum::redirect("/manage/teams?saved=1");
    Ok(())
}

#[server(endpoint = "teams/remove-member")]
pub async fn remove_team_member(
    #[server(default)] team_id: String,
    #[server(default)] user_id: String,
) -> Result<(), TeamsError> {
    use crate::{error::respond, state::use_state};

    let viewer = crate::session::Viewer::user_manager::<TeamsError>().map_err(respond)?;
    let team_id = parse_id(&team_id).map_err(respond)?;
    let user_id = parse_id(&user_id).map_err(respond)?;
    super::store::remove_member(
        &use_state(),
        &viewer,
        team_id,
        user_id,
        &crate::request::RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    leptos_axum::redirect("/manage/teams?saved=1");
    Ok(())
}

#[cfg(feature = "ssr")]
fn parse_id(raw: &str) -> Result<uuid::Uuid, TeamsError> {
    uuid::Uuid::parse_str(raw.trim()).map_err(|_| TeamsError::NotFound)
}

/// `/manage/teams`.
#[component]
pub fn TeamsPage() -> impl IntoView {
    let create = ServerAction::<CreateTeam>::new();
    let add = ServerAction::<AddTeamMember>::new();
    let remove = ServerAction::<RemoveTeamMember>::new();
    let teams = Resource::new(
        move || create.version().get() + add.version().get() + remove.version().get(),
        |_| get_teams(),
    );
    let failed = create
        .value()
        .get_untracked()
        .and_then(Result::err)
        .or_else(|| add.value().get_untracked().and_then(Result::err))
        .or_else(|| remove.value().get_untracked().and_then(Result::err));
    if let Some(error) = failed {
        crate::error::set_page_status(error.status());
    }
    let query = use_query_map();
    let saved = move || query.read().get("saved").is_some();
    view! {
        <Title text="Teams"/>
        <section class="page">
            <header class="page-header">
                <h1>"Teams"</h1>
            </header>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match teams.await {
                        Ok(overview) if !overview.plan.allows_teams() => view! {
                            <p>{format!("Teams are {PLUS_OR_PRO}. This account is on {}.", overview.plan.label())}</p>
                            <p class="muted">"The Account Owner can change the plan in "<a href="/settings/company">"Company settings"</a>"."</p>
                        }.into_any(),
                        Ok(overview) => view! {
                            {saved().then(|| view! { <p class="notice" role="status">"Teams saved."</p> })}
                            <TeamList teams=overview.teams.clone() remove/>
                            <AddMemberForm teams=overview.teams add/>
                            <CreateTeamForm create/>
                        }.into_any(),
                        Err(TeamsError::SignInRequired) => view! { <Redirect path="/sign-in?next=/manage/teams"/> }.into_any(),
                        Err(error) => view! {
                            <StatusPage status=error.status() title="Teams can't be opened">
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
fn TeamList(teams: Vec<TeamView>, remove: ServerAction<RemoveTeamMember>) -> impl IntoView {
    let remove_error = FormErrors::of(remove, &[]).form();
    if teams.is_empty() {
        return view! { <p class="empty-state">"No teams yet. Create one below, then add its members."</p> }
            .into_any();
    }
    view! {
        <FormAlert message=remove_error/>
        {teams.into_iter().map(|team| {
            let team_id = team.id.to_string();
            let heading_id = format!("team-{}", team.id);
            let labelled_by = heading_id.clone();
            let empty = team.members.is_empty();
            view! {
                <section class="team" aria-labelledby=labelled_by>
                    <h2 id=heading_id>{team.name.clone()}</h2>
                    {if empty {
                        view! { <p class="muted">"No members yet."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="team-members">
                                {team.members.into_iter().map(|member| {
                                    let label = format!("Remove {} from {}", member.name, team.name);
                                    let team_id = team_id.clone();
                                    view! {
                                        <li>
                                            {member.name}" "<span class="muted">{member.email}</span>
                                            <ActionForm action=remove attr:class="inline-form">
                                                <input type="hidden" name="team_id" value=team_id/>
                                                <input type="hidden" name="user_id" value=member.id.to_string()/>
                                                <button type="submit" class="link-button" aria-label=label>"Remove"</button>
                                            </ActionForm>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
            }
        }).collect_view()}
    }
    .into_any()
}

/// One form for every team: which team, and whose email address.
#[component]
fn AddMemberForm(teams: Vec<TeamView>, add: ServerAction<AddTeamMember>) -> impl IntoView {
    let errors = FormErrors::of(add, &["email"]);
    let (email_error, form_error) = (errors.field("email"), errors.form());
    if teams.is_empty() {
        return ().into_any();
    }
    view! {
        <h2>"Add a member"</h2>
        <ActionForm action=add attr:novalidate=true attr:class="stack narrow-form">
            <FormAlert message=form_error/>
            <div class="field">
                <label for="field-team">"Team"</label>
                <select id="field-team" name="team_id">
                    {teams.into_iter().map(|team| view! {
                        <option value=team.id.to_string()>{team.name}</option>
                    }).collect_view()}
                </select>
            </div>
            <Field
                label="Email Address"
                name="email"
                kind="email"
                server_error=email_error
                check=Check::Email
            />
            <button type="submit" class="button primary">"Add member"</button>
        </ActionForm>
    }
    .into_any()
}

#[component]
fn CreateTeamForm(create: ServerAction<CreateTeam>) -> impl IntoView {
    let errors = FormErrors::of(create, &["name"]);
    let (name_error, form_error) = (errors.field("name"), errors.form());
    view! {
        <h2>"Create a team"</h2>
        <ActionForm action=create attr:novalidate=true attr:class="stack narrow-form">
            <FormAlert message=form_error/>
            <Field
                label="Team name"
                name="name"
                server_error=name_error
                check=Check::TeamName
            />
            <button type="submit" class="button primary">"Create team"</button>
        </ActionForm>
    }
}
