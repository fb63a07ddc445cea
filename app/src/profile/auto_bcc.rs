use leptos::prelude::*;

use super::{ProfileError, ProfileView};
use crate::{
    components::{Check, Field, FormAlert},
    domain::Email,
};

/// Sets (or, empty, clears) the address blind-copied on the user's replies.
#[server(endpoint = "profile/auto-bcc")]
pub async fn update_auto_bcc(
    #[server(default)] user: String,
    #[server(default)] auto_bcc: String,
    #[server(default)] version: String,
) -> Result<(), ProfileError> {
    use crate::{domain::FieldErrors, error::respond, request::RequestInfo, state::use_state};

    let (viewer, target, version) =
        super::section_call::section_call(&user, &version).map_err(respond)?;
    let address = parse_auto_bcc(&auto_bcc).map_err(|message| {
        respond(ProfileError::Invalid(FieldErrors::single(
            "auto_bcc", message,
        )))
    })?;
    let id = super::store::save_auto_bcc(
        &use_state(),
        &viewer,
        target,
        &address,
        version,
        &RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    crate::profile::redirect_to_section(&viewer, target, id, crate::profile::Section::AutoBcc);
    Ok(())
}

/// Empty clears it; anything else must be an email address.
pub fn parse_auto_bcc(raw: &str) -> Result<String, String> {
    if raw.trim().is_empty() {
        Ok(String::new())
    } else {
        Email::parse(raw)
            .map(|email| email.as_str().to_owned())
            .map_err(|e| e.0)
    }
}

#[component]
pub fn AutoBccSection(profile: ProfileView, action: ServerAction<UpdateAutoBcc>) -> impl IntoView {
    let error = move || action.value().get().and_then(Result::err);
    let field_error = Signal::derive(move || error().and_then(|e| e.field("auto_bcc")));
    let form_error = Signal::derive(move || match error() {
        Some(ProfileError::Invalid(_)) | None => None,
        Some(other) => Some(other.to_string()),
    });
    let user = if profile.is_self {
        String::new()
    } else {
        profile.user_id.to_string()
    };
    view! {
        <p>"Every reply sent from Roster is also blind-copied to this address, for example a CRM or an archive. Leave it empty to send no copy."</p>
        <ActionForm action attr:novalidate=true attr:class="stack narrow-form">
            <FormAlert message=form_error/>
            <Field
                label="Auto Bcc address"
                name="auto_bcc"
                kind="email"
                initial=profile.auto_bcc.clone()
                server_error=field_error
                check=Check::AutoBcc
            />
            <input type="hidden" name="user" value=user/>
            <input type="hidden" name="version" value=profile.version.to_string()/>
            <button type="submit" class="button primary" disabled=move || action.pending().get()>"Save"</button>
        </ActionForm>
    }
}
