use leptos::prelude::*;

use crate::session::AuthError;

/// Takes a fresh secret off the page before its ten minutes are over (it is
/// copied, or someone may look over the person's shoulder), then goes back.
/// A POST, so only the person's own page can do it.
#[server(endpoint = "shown-once/hide")]
pub async fn hide_secret(#[server(default)] back: String) -> Result<(), AuthError> {
    use crate::state::use_state;

    let state = use_state();
    super::cookie::send(&super::shown_once::clear(&state.settings));
    leptos_axum::redirect(&crate::session::return_path(&back));
    Ok(())
}

/// The button under a fresh secret. A plain form: the page reloads without
/// the secret, with JavaScript or without.
#[component]
pub fn HideSecretButton() -> impl IntoView {
    let back = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    view! {
        <form method="post" action="/api/shown-once/hide">
            <input type="hidden" name="back" value=back/>
            <button type="submit" class="button">"Done, I've copied it"</button>
        </form>
    }
}

/// A secret shown this once, with a plain warning.
#[component]
pub fn ShownOnce(label: &'static str, value: String) -> impl IntoView {
    view! {
        <div class="notice shown-once" role="status">
            <p><strong>"Copy it now: it is shown only in this browser, for 10 minutes, and never again."</strong></p>
            <label class="field">
                <span class="field-label">{label}</span>
                <input type="text" readonly=true value=value class="secret"/>
            </label>
            <HideSecretButton/>
        </div>
    }
}
