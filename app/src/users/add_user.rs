use leptos::{html, prelude::*};

use super::{AddUserOptions, UsersError};
use crate::components::{Check, Field, FormAlert};

/// Add User: creates a user with their role and inbox access, and emails
/// them an invitation unless "Send an invite email?" is off.
#[server(endpoint = "users/create")]
pub async fn create_user(
    #[server(default)] name: String,
    #[server(default)] email: String,
    #[server(default)] role: String,
    #[server(default)] inboxes: Vec<String>,
    #[server(default)] send_invite: String,
    #[server(default)] request_key: String,
) -> Result<(), UsersError> {
    use crate::{error::respond, request::RequestInfo, state::use_state};

    let viewer = super::require_user_manager().map_err(respond)?;
    let state = use_state();
    let plan = super::store::plan(&state.pool, viewer.account_id)
        .await
        .map_err(|error| respond(UsersError::from(error)))?;
    let form = super::NewUserForm {
        name: &name,
        email: &email,
        role: &role,
        inboxes: &inboxes,
        send_invite: &send_invite,
    };
    let new_user = super::NewUser::parse(&form, plan)
        .map_err(|errors| respond(UsersError::Invalid(errors)))?;
    // Without a key (a script, say) every call stands alone.
    let request_key =
        uuid::Uuid::parse_str(request_key.trim()).unwrap_or_else(|_| uuid::Uuid::new_v4());
    let created = super::admin_actions::create_user(
        &state,
        &viewer,
        &new_user,
        request_key,
        &RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    leptos_axum::redirect(&format!("/manage/users?done=added&user={}", created.id));
    Ok(())
}

/// The Add User button and its dialog. With JavaScript the button opens a
/// modal `<dialog>` (focus moves in; Escape and Cancel close it and focus
/// returns to the button); without, it loads `?add=1`, which renders the
/// dialog open, and the form posts as a plain form. An island: with
/// JavaScript, errors appear in the open dialog with what was typed kept,
/// and a created user loads the users table with its notice.
#[island]
pub fn AddUserDialog(options: AddUserOptions, open: bool) -> impl IntoView {
    let action = ServerAction::<CreateUser>::new();
    let dialog = NodeRef::<html::Dialog>::new();
    let opener = NodeRef::<html::Button>::new();
    if let Some(Err(error)) = action.value().get_untracked() {
        crate::error::set_page_status(crate::error::HttpError::status(&error));
    }
    let error = move || action.value().get().and_then(Result::err);
    let field_error =
        move |name: &'static str| Signal::derive(move || error().and_then(|e| e.field(name)));
    let form_error = Signal::derive(move || match error() {
        Some(UsersError::Invalid(_) | UsersError::Duplicate(_)) | None => None,
        Some(other) => Some(other.to_string()),
    });
    let role_error = field_error("role");
    let inboxes_error = field_error("inboxes");

    let show = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        if let Some(dialog) = dialog.get() {
            if dialog.open() {
                dialog.close();
            }
            let _ = dialog.show_modal();
        }
    };
    let cancel = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        if let Some(dialog) = dialog.get() {
            dialog.close();
        }
    };
    let return_focus = move |_| {
        if let Some(opener) = opener.get() {
            let _ = opener.focus();
        }
    };
    let default_role = options
        .roles
        .iter()
        .copied()
        .find(|role| *role == crate::domain::Role::User);

    view! {
        <form method="get" action="/manage/users" class="add-user-opener">
            <input type="hidden" name="add" value="1"/>
            <button type="submit" class="button primary" node_ref=opener on:click=show>"Add User"</button>
        </form>
        <dialog class="dialog" node_ref=dialog open=open aria-labelledby="add-user-title" on:close=return_focus>
            <h2 id="add-user-title">"Add User"</h2>
            <ActionForm action attr:novalidate=true attr:class="stack">
                <FormAlert message=form_error/>
                <Field
                    label="Name"
                    name="name"
                    autocomplete="off"
                    server_error=field_error("name")
                    check=Check::PersonName
                />
                <Field
                    label="Email Address"
                    name="email"
                    kind="email"
                    autocomplete="off"
                    server_error=field_error("email")
                    check=Check::Email
                />
                <div class="field" class:field-invalid=move || role_error.get().is_some()>
                    <label for="field-role">"Role"</label>
                    <select
                        id="field-role"
                        name="role"
                        aria-invalid=move || role_error.get().is_some().then_some("true")
                        aria-describedby=move || role_error.get().is_some().then_some("field-role-error")
                    >
                        {options.roles.iter().map(|role| view! {
                            <option value=role.as_str() selected={Some(*role) == default_role}>{role.label()}</option>
                        }).collect_view()}
                    </select>
                    <p class="field-error" id="field-role-error" aria-live="polite">{move || role_error.get()}</p>
                </div>
                <fieldset
                    class="field checkbox-group"
                    aria-invalid=move || inboxes_error.get().is_some().then_some("true")
                    aria-describedby=move || inboxes_error.get().is_some().then_some("field-inboxes-error")
                >
                    <legend>"Inboxes"</legend>
                    <p class="field-hint">"Which inboxes this user may access."</p>
                    {options.inboxes.iter().map(|inbox| view! {
                        <label class="checkbox">
                            <input type="checkbox" name="inboxes[]" value=inbox.id.to_string()/>
                            {inbox.name.clone()}
                            <span class="muted">" " {inbox.email.clone()}</span>
                        </label>
                    }).collect_view()}
                    <p class="field-error" id="field-inboxes-error" aria-live="polite">{move || inboxes_error.get()}</p>
                </fieldset>
                <label class="checkbox">
                    <input type="checkbox" name="send_invite" checked=true/>
                    "Send an invite email?"
                </label>
                <p class="field-hint">"They can't sign in until you've sent the invite. Leave it off if you're not ready; you can send it later from the user's menu."</p>
                <input type="hidden" name="request_key" value=options.request_key.to_string()/>
                // Create User comes first, so Enter in a field creates rather than cancels.
                <div class="dialog-actions">
                    <button type="submit" class="button primary" disabled=move || action.pending().get()>"Create User"</button>
                    <button type="submit" class="button" formmethod="dialog" formnovalidate=true on:click=cancel>"Cancel"</button>
                </div>
            </ActionForm>
        </dialog>
    }
}
