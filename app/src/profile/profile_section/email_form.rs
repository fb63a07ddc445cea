//! The email address: a form of its own in the Profile section.

use leptos::prelude::*;

use super::ChangeEmail;
use crate::{
    components::{Check, Field, FormAlert, FormErrors},
    profile::{section_screen::user_field, ProfileView},
};

/// The email address: its own form, since changing one's own needs the
/// current password and tells the old address.
#[component]
pub(super) fn EmailForm(profile: ProfileView, action: ServerAction<ChangeEmail>) -> impl IntoView {
    let errors = FormErrors::of(action, &["email", "current_password"]);
    let field_error = move |name| errors.field(name);
    let form_error = errors.form();
    let user = user_field(&profile);
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
