use leptos::{html, prelude::*, wasm_bindgen::JsCast as _};

use super::{AddUserOptions, UsersError};
use crate::components::{Check, Field, FormAlert, FormErrors};

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

    let viewer = crate::session::Viewer::user_manager::<UsersError>().map_err(respond)?;
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
/// dialog open. Either way the form posts to Create User as a plain form
/// does; a submission with errors comes back with the dialog open, the
/// errors next to the fields.
#[component]
pub fn AddUserDialog(options: AddUserOptions, open: bool) -> impl IntoView {
    let action = ServerAction::<CreateUser>::new();
    let error = action.value().get_untracked().and_then(Result::err);
    if let Some(error) = &error {
        crate::error::set_page_status(crate::error::HttpError::status(error));
    }
    let open = open || error.is_some();
    let errors = FormErrors::of(action, &["name", "email", "role", "inboxes"]);
    let field_error = move |name| errors.field(name);
    let form_error = errors.form();
    let role_error = field_error("role").get_untracked();
    let inboxes_error = field_error("inboxes").get_untracked();
    let default_role = options
        .roles
        .iter()
        .copied()
        .find(|role| *role == crate::domain::Role::User);

    view! {
        <AddUserModal open>
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
                <div class="field" class:field-invalid=role_error.is_some()>
                    <label for="field-role">"Role"</label>
                    <select
                        id="field-role"
                        name="role"
                        aria-invalid=role_error.is_some().then_some("true")
                        aria-describedby=role_error.is_some().then_some("field-role-error")
                    >
                        {options.roles.iter().map(|role| view! {
                            <option value=role.as_str() selected={Some(*role) == default_role}>{role.label()}</option>
                        }).collect_view()}
                    </select>
                    <p class="field-error" id="field-role-error" aria-live="polite">{role_error.clone()}</p>
                </div>
                <fieldset
                    class="field checkbox-group"
                    aria-invalid=inboxes_error.is_some().then_some("true")
                    aria-describedby=inboxes_error.is_some().then_some("field-inboxes-error")
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
                    <p class="field-error" id="field-inboxes-error" aria-live="polite">{inboxes_error.clone()}</p>
                </fieldset>
                <label class="checkbox">
                    <input type="checkbox" name="send_invite" checked=true/>
                    "Send an invite email?"
                </label>
                <p class="field-hint">"They can't sign in until you've sent the invite. Leave it off if you're not ready; you can send it later from the user's menu or their profile."</p>
                <input type="hidden" name="request_key" value=options.request_key.to_string()/>
                // Create User comes first, so Enter in a field creates rather
                // than cancels. Cancel closes the dialog (formmethod=dialog),
                // with or without JavaScript.
                <div class="dialog-actions">
                    <button type="submit" class="button primary">"Create User"</button>
                    <button type="submit" class="button" formmethod="dialog" formnovalidate=true>"Cancel"</button>
                </div>
            </ActionForm>
        </AddUserModal>
    }
}

/// The Add User button and the `<dialog>` around the form: an island, so
/// that the button opens the dialog as a modal one in place, and focus goes
/// back to the button when it closes. A dialog the server rendered open
/// (errors to show) becomes modal, with focus on the first field in error.
#[island]
fn AddUserModal(open: bool, children: Children) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    let opener = NodeRef::<html::Button>::new();
    let show = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        if let Some(dialog) = dialog.get() {
            if dialog.open() {
                dialog.close();
            }
            let _ = dialog.show_modal();
        }
    };
    Effect::new(move |_| {
        let Some(dialog) = dialog.get() else { return };
        if dialog.open() && !dialog.matches(":modal").unwrap_or(false) {
            // Not `close()`: that would send focus back to the button.
            let _ = dialog.remove_attribute("open");
            let _ = dialog.show_modal();
            let problem = dialog
                .query_selector("[aria-invalid=true]")
                .ok()
                .flatten()
                .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(problem) = problem {
                let _ = problem.focus();
            }
        }
    });
    let return_focus = move |_| {
        if let Some(opener) = opener.get() {
            let _ = opener.focus();
        }
    };
    view! {
        <form method="get" action="/manage/users" class="add-user-opener">
            <input type="hidden" name="add" value="1"/>
            <button type="submit" class="button primary" node_ref=opener on:click=show>"Add User"</button>
        </form>
        <dialog class="dialog" node_ref=dialog open=open aria-labelledby="add-user-title" on:close=return_focus>
            {children()}
        </dialog>
    }
}
