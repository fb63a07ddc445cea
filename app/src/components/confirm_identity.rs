use leptos::prelude::*;

use super::Field;

/// The acting person's password (or two-factor code), asked before a change
/// they cannot take back themselves. The server checks it; see
/// `two_factor::confirmation`.
#[component]
pub fn ConfirmIdentity(
    #[prop(into)] error: Signal<Option<String>>,
    /// When the form asks it only for some of its changes, which ones.
    #[prop(optional)]
    only_when: Option<&'static str>,
) -> impl IntoView {
    let hint = format!(
        "To confirm it is you{}. If you use two-factor authentication, a code from your app works too.",
        only_when.map(|when| format!(" when you {when}")).unwrap_or_default()
    );
    view! {
        <Field
            label="Your password"
            name="password"
            kind="password"
            autocomplete="current-password"
            hint=hint
            server_error=error
        />
    }
}
