use leptos::{html, prelude::*};

use super::check::{Check, Siblings};

/// A labelled input with its error right below it.
///
/// An island: the server renders it, and the browser then runs the field's
/// [`Check`] (the server's own parser) once the person has left the field,
/// and, for a new password, a strength hint as they type. Otherwise the
/// error shown is the server's verdict on the last submission.
#[island]
pub fn Field(
    #[prop(into)] label: String,
    /// The form field's name, which is also the server function's argument.
    #[prop(into)]
    name: String,
    /// The input's type; text when not given.
    #[prop(optional, into)]
    kind: Option<String>,
    #[prop(optional, into)] autocomplete: Option<String>,
    #[prop(optional, into)] hint: Option<String>,
    /// The value the field starts with.
    #[prop(optional, into)]
    initial: Option<String>,
    #[prop(into)] server_error: Signal<Option<String>>,
    /// The rule the value follows, run by the browser as the server would.
    #[prop(optional)]
    check: Option<Check>,
) -> impl IntoView {
    let input = NodeRef::<html::Input>::new();
    let kind = kind.unwrap_or_else(|| "text".to_owned());
    let has_meter = matches!(check, Some(Check::NewPassword { .. }));
    let meter_text = RwSignal::new("");
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    // `None` until the person edits the field after the last server answer.
    let client_error = RwSignal::new(None::<Option<String>>);
    Effect::watch(
        move || server_error.get(),
        move |_, _, _| client_error.set(None),
        false,
    );
    let shown_error = move || client_error.get().unwrap_or_else(|| server_error.get());
    let check = StoredValue::new(check);
    let siblings = move || siblings_of(input.get_untracked());
    let run_check = move |text: String, only_clear: bool| {
        if let Some(verdict) = check.with_value(|c| c.as_ref().map(|c| c.run(&text, &siblings()))) {
            if !only_clear || verdict.is_none() {
                client_error.set(Some(verdict));
            }
        }
    };
    let described_by = {
        let error_id = error_id.clone();
        let hint_id = hint_id.clone();
        let has_hint = hint.is_some();
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if shown_error().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };

    view! {
        <div class="field" class:field-invalid=move || shown_error().is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id.clone()>{hint}</p> })}
            <input
                node_ref=input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                value=initial
                aria-invalid=move || shown_error().is_some().then_some("true")
                aria-describedby=described_by
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    if let Some(hint) = check.with_value(|c| c.as_ref().and_then(|c| c.meter(&text, &siblings()))) {
                        meter_text.set(hint);
                    }
                    // While typing, only clear an error; complain on leaving.
                    run_check(text, true);
                }
                on:change=move |ev| run_check(event_target_value(&ev), false)
            />
            <p class="field-error" id=error_id aria-live="polite">
                {shown_error}
            </p>
            {has_meter.then(|| view! { <p class="field-meter" aria-live="polite">{move || meter_text.get()}</p> })}
        </div>
    }
}

/// The values of the same form's fields that rules depend on.
fn siblings_of(input: Option<web_sys::HtmlInputElement>) -> Siblings {
    let Some(form) = input.and_then(|input| input.form()) else {
        return Siblings::default();
    };
    let value = |name: &str| {
        use leptos::wasm_bindgen::JsCast as _;
        form.query_selector(&format!("[name={name}]"))
            .ok()
            .flatten()
            .and_then(|element| element.dyn_into::<web_sys::HtmlInputElement>().ok())
            .map(|input| input.value())
    };
    Siblings {
        email: value("email"),
        company_name: value("company_name"),
    }
}
