//! The Auto Bcc section: an address blind-copied on the user's replies.

#[cfg(feature = "ssr")]
pub mod store;

use leptos::prelude::*;

use super::section_screen::{user_field, SectionScreen, SectionView};
use crate::components::{Check, Field, FormAlert, FormErrors};
use crate::profile::{ProfileError, ProfileView};

/// Sets (or, empty, clears) the address blind-copied on the user's replies.
#[server(endpoint = "profile/auto-bcc")]
pub async fn update_auto_bcc(
    #[server(default)] user: String,
    #[server(default)] auto_bcc: String,
    #[server(default)] version: String,
) -> Result<(), ProfileError> {
    use crate::{
        domain::{parse_auto_bcc, FieldErrors},
        error::respond,
        request::RequestInfo,
        state::use_state,
    };

    let (viewer, target, version) =
        crate::profile::section_call::section_call(&user, &version).map_err(respond)?;
    let address = parse_auto_bcc(&auto_bcc).map_err(|error| {
        respond(ProfileError::Invalid(FieldErrors::single(
            "auto_bcc", error.0,
        )))
    })?;
    let id = store::save_auto_bcc(
        &use_state(),
        &viewer,
        target,
        address.as_ref(),
        version,
        &RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    crate::profile::redirect_to_section(&viewer, target, id, crate::profile::Section::AutoBcc);
    Ok(())
}

pub(super) fn section(screen: SectionScreen) -> SectionView {
    let action = screen.action::<UpdateAutoBcc>();
    SectionView::new(move |profile| view! { <AutoBccSection profile action/> }.into_any())
}

#[component]
fn AutoBccSection(profile: ProfileView, action: ServerAction<UpdateAutoBcc>) -> impl IntoView {
    let errors = FormErrors::of(action, &["auto_bcc"]);
    let (field_error, form_error) = (errors.field("auto_bcc"), errors.form());
    let user = user_field(&profile);
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
