use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_params_map};

use super::{DeletionError, DeletionPreview};
use crate::{
    components::{ConfirmIdentity, FormAlert, FormErrors, StatusPage},
    domain::DELETION_REASONS,
    error::HttpError,
};

#[server(endpoint = "users/delete/preview")]
pub async fn get_deletion_preview(
    #[server(default)] user: String,
) -> Result<DeletionPreview, DeletionError> {
    use crate::{error::respond, state::use_state};

    let viewer = crate::session::Viewer::user_manager::<DeletionError>().map_err(respond)?;
    let user = uuid::Uuid::parse_str(user.trim()).map_err(|_| respond(DeletionError::NotFound))?;
    super::store::preview(&use_state().pool, &viewer, user)
        .await
        .map_err(respond)
}

/// Deletes a user, with a reason and a confirmation; `reassign_to` (a
/// teammate) receives their open conversations instead of Unassigned.
#[server(endpoint = "users/delete")]
pub async fn delete_user(
    #[server(default)] user: String,
    #[server(default)] reason: String,
    #[server(default)] other_reason: String,
    #[server(default)] reassign_to: String,
    #[server(default)] confirm: String,
    #[server(default)] password: String,
) -> Result<(), DeletionError> {
    use crate::{
        domain::{DeletionReason, FieldErrors},
        error::respond,
        state::use_state,
    };

    let viewer = crate::session::Viewer::user_manager::<DeletionError>().map_err(respond)?;
    let user = uuid::Uuid::parse_str(user.trim()).map_err(|_| respond(DeletionError::NotFound))?;
    let reason = DeletionReason::parse(&reason, &other_reason)
        .map_err(|errors| respond(DeletionError::Invalid(errors)))?;
    if confirm != "on" {
        return Err(respond(DeletionError::Invalid(FieldErrors::single(
            "confirm",
            "Tick the box to confirm.",
        ))));
    }
    let reassign_to = match reassign_to.trim() {
        "" => None,
        id => Some(uuid::Uuid::parse_str(id).map_err(|_| {
            respond(DeletionError::Invalid(FieldErrors::single(
                "reassign_to",
                "Choose a teammate from the list.",
            )))
        })?),
    };
    super::store::delete(
        &use_state(),
        &viewer,
        user,
        &reason,
        reassign_to,
        &password,
        &crate::request::RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    leptos_axum::redirect(&format!("/manage/users?done=deleted&user={user}"));
    Ok(())
}

/// `/manage/users/<id>/delete`.
#[component]
pub fn DeleteUserPage() -> impl IntoView {
    let params = use_params_map();
    let user = move || params.read().get("id").unwrap_or_default();
    let delete = ServerAction::<DeleteUser>::new();
    let preview = Resource::new(user, get_deletion_preview);
    if let Some(Err(error)) = delete.value().get_untracked() {
        crate::error::set_page_status(error.status());
    }
    view! {
        <Title text="Delete user"/>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match preview.await {
                    Ok(preview) => view! { <DeleteForm preview delete/> }.into_any(),
                    Err(DeletionError::SignInRequired) => {
                        view! { <Redirect path="/sign-in?next=/manage/users"/> }.into_any()
                    }
                    Err(error) => view! {
                        <StatusPage status=error.status() title="This user can't be deleted">
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
fn DeleteForm(preview: DeletionPreview, delete: ServerAction<DeleteUser>) -> impl IntoView {
    let errors = FormErrors::of(
        delete,
        &[
            "reason",
            "other_reason",
            "confirm",
            "reassign_to",
            "password",
        ],
    );
    let field_error = move |name| errors.field(name);
    let form_error = errors.form();
    let (reason_error, other_error, confirm_error, reassign_error) = (
        field_error("reason"),
        field_error("other_reason"),
        field_error("confirm"),
        field_error("reassign_to"),
    );
    let password_error = field_error("password");
    let name = preview.name.clone();
    let conversations = match preview.conversations {
        0 => format!("{name} has no conversations assigned."),
        1 => "The conversation assigned to them becomes Unassigned (or goes to the teammate you choose, if it is open).".to_owned(),
        n => format!("The {n} conversations assigned to them become Unassigned ({} open ones can go to a teammate instead). Large backlogs are moved in the background.", preview.open_conversations),
    };
    view! {
        // A dialog in the page's flow: it has its own address (and works
        // without JavaScript), and is announced as the dialog it is.
        <dialog open class="page page-dialog" aria-labelledby="delete-user-heading">
            <header class="page-header">
                <h1 id="delete-user-heading">{format!("Delete {name}")}</h1>
                <p class="muted">{preview.email.clone()}</p>
            </header>
            <h2>"What happens"</h2>
            <ul class="effects">
                <li>{conversations}</li>
                {(!preview.workflows.is_empty()).then(|| view! {
                    <li>{format!("These workflows become inactive, because they act on {name}: {}.", preview.workflows.join(", "))}</li>
                })}
                {(preview.apps > 0).then(|| view! {
                    <li>{format!("The {} apps they created are deleted, so their credentials stop working.", preview.apps)}</li>
                })}
                <li>"Their sessions, API keys and app authorizations stop working at once."</li>
                <li>"Their replies and notes, reports, tags and other workflows stay as they are."</li>
                <li>"Admins can't undo this. The server's operator can restore the user."</li>
            </ul>
            <ActionForm action=delete attr:novalidate=true attr:class="stack narrow-form">
                <FormAlert message=form_error/>
                <fieldset class="field checkbox-group"
                    aria-describedby=move || reason_error.get().is_some().then_some("field-reason-error")>
                    <legend>"Why are you deleting this user?"</legend>
                    {DELETION_REASONS.iter().map(|(key, label)| view! {
                        <label class="checkbox">
                            <input type="radio" name="reason" value=*key/>
                            {*label}
                        </label>
                    }).collect_view()}
                    <p class="field-error" id="field-reason-error" aria-live="polite">{move || reason_error.get()}</p>
                </fieldset>
                <div class="field" class:field-invalid=move || other_error.get().is_some()>
                    <label for="field-other_reason">"Other reason"</label>
                    <textarea id="field-other_reason" name="other_reason" rows="2" maxlength="500"
                        aria-describedby=move || other_error.get().is_some().then_some("field-other_reason-error")></textarea>
                    <p class="field-error" id="field-other_reason-error" aria-live="polite">{move || other_error.get()}</p>
                </div>
                <div class="field" class:field-invalid=move || reassign_error.get().is_some()>
                    <label for="field-reassign_to">"Give their open conversations to"</label>
                    <select id="field-reassign_to" name="reassign_to"
                        aria-describedby=move || reassign_error.get().is_some().then_some("field-reassign_to-error")>
                        <option value="">"Nobody: leave them Unassigned"</option>
                        {preview.teammates.iter().map(|(id, teammate)| view! {
                            <option value=id.to_string()>{teammate.clone()}</option>
                        }).collect_view()}
                    </select>
                    <p class="field-error" id="field-reassign_to-error" aria-live="polite">{move || reassign_error.get()}</p>
                </div>
                <div class="field" class:field-invalid=move || confirm_error.get().is_some()>
                    <label class="checkbox">
                        <input type="checkbox" name="confirm" id="field-confirm"
                            aria-describedby=move || confirm_error.get().is_some().then_some("field-confirm-error")/>
                        {format!("Yes, delete {name}")}
                    </label>
                    <p class="field-error" id="field-confirm-error" aria-live="polite">{move || confirm_error.get()}</p>
                </div>
                <ConfirmIdentity error=password_error/>
                <input type="hidden" name="user" value=preview.user_id.to_string()/>
                <div class="actions">
                    <button type="submit" class="button danger" disabled=move || delete.pending().get()>"Delete User"</button>
                    <a class="button" href=format!("/manage/users/{}/profile", preview.user_id)>"Cancel"</a>
                </div>
            </ActionForm>
        </dialog>
    }
}
