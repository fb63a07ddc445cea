//! The My Apps section: the OAuth apps the user made, each with an App ID
//! and an App Secret shown to them once; deletable by them or an admin.

#[cfg(feature = "ssr")]
mod store;

use leptos::prelude::*;

use crate::session::ShownOnce;

use super::{
    credentials::get_credentials,
    section_screen::{user_field, SectionScreen, SectionView},
};
use crate::{
    components::{Check, Field, FormAlert, FormErrors},
    credentials::Credentials,
    profile::ProfileError,
};

/// Creates an OAuth app for the viewer: an App ID, and an App Secret shown once.
#[server(endpoint = "credentials/apps/create")]
pub async fn create_oauth_app(
    #[server(default)] user: String,
    #[server(default)] name: String,
    #[server(default)] redirect_url: String,
) -> Result<(), ProfileError> {
    use crate::{error::respond, profile::section_call_without_version, state::use_state};

    let (viewer, target) = section_call_without_version(&user).map_err(respond)?;
    let app = crate::domain::NewOAuthApp::parse(&name, &redirect_url)
        .map_err(|errors| respond(ProfileError::Invalid(errors)))?;
    let state = use_state();
    let (id, secret) = store::create_app(
        &state,
        &viewer,
        target,
        app,
        &crate::request::RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    crate::session::shown_once::keep(
        &state.settings,
        &viewer,
        crate::credentials::secret::ShownSecret::KIND,
        secret,
    );
    crate::profile::redirect_to_section(&viewer, target, id, crate::profile::Section::MyApps);
    Ok(())
}

/// Deletes one of the user's apps; its credentials stop working at once.
#[server(endpoint = "credentials/apps/delete")]
pub async fn delete_oauth_app(
    #[server(default)] user: String,
    #[server(default)] app_id: String,
) -> Result<(), ProfileError> {
    use crate::{error::respond, profile::section_call_without_version, state::use_state};

    let (viewer, target) = section_call_without_version(&user).map_err(respond)?;
    let app_id =
        uuid::Uuid::parse_str(app_id.trim()).map_err(|_| respond(ProfileError::NotFound))?;
    let id = store::delete_app(
        &use_state(),
        &viewer,
        target,
        app_id,
        &crate::request::RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    crate::profile::redirect_to_section(&viewer, target, id, crate::profile::Section::MyApps);
    Ok(())
}

#[component]
fn MyAppsSection(
    credentials: Credentials,
    is_self: bool,
    name: String,
    user: String,
    create: ServerAction<CreateOauthApp>,
    delete: ServerAction<DeleteOauthApp>,
) -> impl IntoView {
    let errors = FormErrors::of(create, &["name", "redirect_url"]);
    let field_error = move |name| errors.field(name);
    let form_error = errors.form();
    let delete_error = FormErrors::of(delete, &[]).form();
    let apps = credentials.my_apps;
    let empty = if is_self {
        "You haven't created any apps. An app you create here gets an App ID and an App Secret, for connecting to Roster with OAuth.".to_owned()
    } else {
        format!("{name} hasn't created any apps.")
    };
    let secrets: Vec<_> = apps
        .iter()
        .filter_map(|app| {
            app.new_secret
                .clone()
                .map(|secret| (app.name.clone(), secret))
        })
        .collect();
    view! {
        <p class="notice">"An app trades its App ID and App Secret for access tokens at /v2/oauth2/token. On its own (the client_credentials grant) it acts as you, with your rights. To act for someone else, it sends them to its authorization link; once they press Allow, it acts as them (the authorization_code grant). Either way it reads through Roster's API what that person can see."</p>
        <FormAlert message=delete_error/>
        {secrets.into_iter().map(|(app_name, secret)| view! {
            <p>{format!("{app_name} is ready.")}</p>
            <ShownOnce label="App Secret" value=secret/>
        }).collect_view()}
        {if apps.is_empty() {
            view! { <p class="empty-state">{empty}</p> }.into_any()
        } else {
            view! {
                <table class="user-table">
                    <caption class="visually-hidden">"Apps"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"App"</th>
                            <th scope="col">"App ID"</th>
                            <th scope="col">"Redirect URL"</th>
                            <th scope="col">"Created"</th>
                            <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        {apps.into_iter().map(|app| {
                            let label = format!("Delete {}", app.name);
                            let link_label = format!("Authorization link of {}", app.name);
                            let link = format!("/authentication/authorizeClientApplication?client_id={}", app.client_id);
                            let user = user.clone();
                            view! {
                                <tr>
                                    <th scope="row">{app.name}</th>
                                    <td>
                                        <code>{app.client_id}</code>
                                        <br/>
                                        <a href=link aria-label=link_label>"Authorization link"</a>
                                    </td>
                                    <td class="break">{app.redirect_url}</td>
                                    <td>{app.created}</td>
                                    <td>
                                        <ActionForm action=delete>
                                            <input type="hidden" name="user" value=user/>
                                            <input type="hidden" name="app_id" value=app.id.to_string()/>
                                            <button type="submit" class="button danger" aria-label=label>"Delete"</button>
                                        </ActionForm>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        {is_self.then(|| view! {
            <h3>"Create an app"</h3>
            <ActionForm action=create attr:novalidate=true attr:class="stack narrow-form">
                <FormAlert message=form_error/>
                <Field
                    label="App Name"
                    name="name"
                    server_error=field_error("name")
                    check=Check::AppName
                />
                <Field
                    label="Redirect URL"
                    name="redirect_url"
                    kind="url"
                    hint="Where people return after allowing your app, such as https://example.com/callback."
                    server_error=field_error("redirect_url")
                    check=Check::RedirectUrl
                />
                <input type="hidden" name="user" value=String::new()/>
                <button type="submit" class="button primary" disabled=move || create.pending().get()>"Create App"</button>
            </ActionForm>
        })}
    }
}

pub(super) fn section(screen: SectionScreen) -> SectionView {
    let create = screen.action::<CreateOauthApp>();
    let delete = screen.action::<DeleteOauthApp>();
    let credentials = screen.load(get_credentials);
    SectionView::with_data(credentials, move |profile, credentials| {
        let user = user_field(&profile);
        view! {
            <MyAppsSection credentials is_self=profile.is_self name=profile.name user create delete/>
        }
        .into_any()
    })
}
