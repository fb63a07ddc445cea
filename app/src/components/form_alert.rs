use leptos::prelude::*;

/// A form-level message, for errors that belong to no single field.
#[component]
pub fn FormAlert(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || message.get().is_some()>
            <div class="form-alert" role="alert">
                {move || message.get()}
            </div>
        </Show>
    }
}
