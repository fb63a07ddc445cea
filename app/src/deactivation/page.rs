use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_params_map};

use super::{AccessPreview, DeactivationError};
use crate::{
    components::{FormAlert, StatusPage},
    error::HttpError,
};

#[server(endpoint = "users/access/preview")]
pub async fn get_access_preview(
    #[server(default)] user: String,
) -> Result<AccessPreview, DeactivationError> {
    use crate::{error::respond, state::use_state};

    let viewer = crate::session::Viewer::user_manager::<DeactivationError>().map_err(respond)?;
    let user =
        uuid::Uuid::parse_str(user.trim()).map_err(|_| respond(DeactivationError::NotFound))?;
    super::store::preview(&use_state().pool, &viewer, user)
        .await
        .map_err(respond)
}

/// Deactivates a user: they are signed out everywhere and cannot sign in
/// until reactivated.
#[server(endpoint = "users/deactivate")]
pub async fn deactivate_user(#[server(default)] user: String) -> Result<(), DeactivationError> {
    use crate::{error::respond, request::RequestInfo, state::use_state};

    let viewer = crate::session::Viewer::user_manager::<DeactivationError>().map_err(respond)?;
    let user =
        uuid::Uuid::parse_str(user.trim()).map_err(|_| respond(DeactivationError::NotFound))?;
    super::store::deactivate(&use_state(), &viewer, user, &RequestInfo::current())
        .await
        .map_err(respond)?;
    leptos_axum::redirect(&format!("/manage/users?done=deactivated&user={user}"));
    Ok(())
}

/// Reactivates a deactivated user: they can sign in again.
#[server(endpoint = "users/reactivate")]
pub async fn reactivate_user(#[server(default)] user: String) -> Result<(), DeactivationError> {
    use crate::{error::respond, request::RequestInfo, state::use_state};

    let viewer = crate::session::Viewer::user_manager::<DeactivationError>().map_err(respond)?;
    let user =
        uuid::Uuid::parse_str(user.trim()).map_err(|_| respond(DeactivationError::NotFound))?;
    super::store::reactivate(&use_state(), &viewer, user, &RequestInfo::current())
        .await
        .map_err(respond)?;
    leptos_axum::redirect(&format!("/manage/users?done=reactivated&user={user}"));
    Ok(())
}

/// `/manage/users/<id>/deactivate`.
#[component]
pub fn DeactivateUserPage() -> impl IntoView {
    view! { <AccessPage reactivate=false/> }
}

/// `/manage/users/<id>/reactivate`.
#[component]
pub fn ReactivateUserPage() -> impl IntoView {
    view! { <AccessPage reactivate=true/> }
}

/// The confirmation of either change: what it does, and its button.
#[component]
fn AccessPage(reactivate: bool) -> impl IntoView {
    let params = use_params_map();
    let user = move || params.read().get("id").unwrap_or_default();
    let preview = Resource::new(user, get_access_preview);
    let title = if reactivate {
        "Reactivate user"
    } else {
        "Deactivate user"
    };
    view! {
        <Title text=title/>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match preview.await {
                    Ok(preview) if preview.deactivated == reactivate => {
                        if reactivate {
                            view! { <ReactivateForm preview/> }.into_any()
                        } else {
                            view! { <DeactivateForm preview/> }.into_any()
                        }
                    }
                    Ok(preview) => {
                        let state = if preview.deactivated { "deactivated" } else { "active" };
                        view! {
                            <StatusPage status=409 title=if reactivate { "This user isn't deactivated" } else { "This user is already deactivated" }>
                                <p>{format!("{} is {state}.", preview.name)}</p>
                                <p><a href=format!("/manage/users/{}/profile", preview.user_id)>"Back to their profile"</a></p>
                            </StatusPage>
                        }
                        .into_any()
                    }
                    Err(DeactivationError::SignInRequired) => {
                        view! { <Redirect path="/sign-in?next=/manage/users"/> }.into_any()
                    }
                    Err(error) => view! {
                        <StatusPage status=error.status() title=if reactivate { "This user can't be reactivated" } else { "This user can't be deactivated" }>
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
fn DeactivateForm(preview: AccessPreview) -> impl IntoView {
    let deactivate = ServerAction::<DeactivateUser>::new();
    let error = action_error(deactivate.value());
    let name = preview.name.clone();
    let credentials = match (preview.sessions, preview.api_keys) {
        (0, 0) => "They can't sign in, and any password reset or invite link they were sent stops working.".to_owned(),
        (sessions, keys) => format!(
            "They are signed out at once ({sessions} open session{}), can't sign in, and their API key{} and the app authorizations they gave stop working for good. Any password reset or invite link they were sent stops working.",
            if sessions == 1 { "" } else { "s" },
            if keys == 1 { "" } else { "s" },
        ),
    };
    view! {
        <dialog open class="page page-dialog" aria-labelledby="access-heading">
            <header class="page-header">
                <h1 id="access-heading">{format!("Deactivate {name}")}</h1>
                <p class="muted">{preview.email.clone()}</p>
            </header>
            <h2>"What happens"</h2>
            <ul class="effects">
                <li>{credentials}</li>
                {(preview.apps > 0).then(|| view! {
                    <li>{format!("The {} apps they created stop working until they are reactivated.", preview.apps)}</li>
                })}
                <li>"Their conversations stay assigned to them, and workflows stay as they are."</li>
                <li>"They no longer count toward billing."</li>
                <li>"You can reactivate them at any time: they sign in again with their password."</li>
            </ul>
            <ActionForm action=deactivate attr:class="stack narrow-form">
                <FormAlert message=error/>
                <input type="hidden" name="user" value=preview.user_id.to_string()/>
                <div class="actions">
                    <button type="submit" class="button danger" disabled=move || deactivate.pending().get()>"Deactivate user"</button>
                    <a class="button" href=format!("/manage/users/{}/profile", preview.user_id)>"Cancel"</a>
                </div>
            </ActionForm>
        </dialog>
    }
}

#[component]
fn ReactivateForm(preview: AccessPreview) -> impl IntoView {
    let reactivate = ServerAction::<ReactivateUser>::new();
    let error = action_error(reactivate.value());
    let name = preview.name.clone();
    let sign_in = if preview.has_password {
        "They can sign in again with the password they had. Their earlier sessions, API keys and app authorizations don't come back."
    } else {
        "They never set a password: send them an invite email from the users list so they can sign in."
    };
    view! {
        <dialog open class="page page-dialog" aria-labelledby="access-heading">
            <header class="page-header">
                <h1 id="access-heading">{format!("Reactivate {name}")}</h1>
                <p class="muted">{preview.email.clone()}</p>
            </header>
            <h2>"What happens"</h2>
            <ul class="effects">
                <li>{sign_in}</li>
                {(preview.apps > 0).then(|| view! {
                    <li>{format!("The {} apps they created work again.", preview.apps)}</li>
                })}
                <li>"They count toward billing again."</li>
            </ul>
            <ActionForm action=reactivate attr:class="stack narrow-form">
                <FormAlert message=error/>
                <input type="hidden" name="user" value=preview.user_id.to_string()/>
                <div class="actions">
                    <button type="submit" class="button" disabled=move || reactivate.pending().get()>"Reactivate user"</button>
                    <a class="button" href=format!("/manage/users/{}/profile", preview.user_id)>"Cancel"</a>
                </div>
            </ActionForm>
        </dialog>
    }
}

/// The action's error, in words; its status is the page's when the form
/// was posted without JavaScript.
fn action_error(
    value: MappedSignal<Option<Result<(), DeactivationError>>>,
) -> Signal<Option<String>> {
    if let Some(Err(error)) = value.get_untracked() {
        crate::error::set_page_status(error.status());
    }
    Signal::derive(move || {
        value
            .get()
            .and_then(Result::err)
            .map(|error| error.to_string())
    })
}
