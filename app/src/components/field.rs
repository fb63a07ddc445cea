use leptos::prelude::*;

/// A labelled input with its error right below it.
///
/// The error shown is the browser's own check (the same parser the server
/// runs) once the person has left the field, or else the server's verdict on
/// the last submission.
#[component]
pub fn Field(
    label: &'static str,
    /// The form field's name, which is also the server function's argument.
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    /// The value the field starts with.
    #[prop(optional, into)]
    initial: Option<String>,
    #[prop(into)] server_error: Signal<Option<String>>,
    /// Returns the error for a value, as the server would.
    #[prop(optional, into)]
    check: Option<Callback<String, Option<String>>>,
    /// Mirrors the current value, for checks that depend on other fields.
    #[prop(optional)]
    value: Option<RwSignal<String>>,
    /// A live hint about the value (e.g. a password's strength).
    #[prop(optional, into)]
    meter: Option<Callback<String, &'static str>>,
) -> impl IntoView {
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
    let run_check = move |text: String, only_clear: bool| {
        if let Some(check) = check {
            let verdict = check.run(text);
            if !only_clear || verdict.is_none() {
                client_error.set(Some(verdict));
            }
        }
    };
    let described_by = {
        let error_id = error_id.clone();
        let hint_id = hint_id.clone();
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
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
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                value=initial
                aria-invalid=move || shown_error().is_some().then_some("true")
                aria-describedby=described_by
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    if let Some(value) = value {
                        value.set(text.clone());
                    }
                    if let Some(meter) = meter {
                        meter_text.set(meter.run(text.clone()));
                    }
                    // While typing, only clear an error; complain on leaving.
                    run_check(text, true);
                }
                on:change=move |ev| run_check(event_target_value(&ev), false)
            />
            <p class="field-error" id=error_id aria-live="polite">
                {shown_error}
            </p>
            {meter.map(|_| view! { <p class="field-meter" aria-live="polite">{move || meter_text.get()}</p> })}
        </div>
    }
}
