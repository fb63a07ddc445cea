use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use super::{setup_needed, SetUpRoster, SetupError};
use crate::{
    components::{Field, FormAlert},
    domain::{strength_hint, CompanyName, Email, Password, PasswordContext, PersonName},
    error::HttpError,
};

/// `/setup`: the first-run form. Once an account exists it sends people to `/`.
#[component]
pub fn SetupPage() -> impl IntoView {
    let needed = Resource::new(|| (), |_| setup_needed());
    view! {
        <Title text="Set up Roster"/>
        <Suspense>
            {move || Suspend::new(async move {
                match needed.await {
                    Ok(true) => view! { <SetupForm/> }.into_any(),
                    _ => view! { <Redirect path="/"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SetupForm() -> impl IntoView {
    let action = ServerAction::<SetUpRoster>::new();
    let error = move || action.value().get().and_then(Result::err);
    // A form that came back with errors is answered 422 (or 409), also
    // when it arrived by a plain POST and was redirected here.
    if let Some(Err(error)) = action.value().get_untracked() {
        crate::error::set_page_status(error.status());
    }
    let field_error =
        move |name: &'static str| Signal::derive(move || error().and_then(|e| e.field(name)));
    let form_error = Signal::derive(move || match error() {
        Some(SetupError::Invalid(_)) | None => None,
        Some(other) => Some(other.to_string()),
    });

    let company = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let check_password = move |password: String| {
        let company = company.get_untracked();
        let email = email.get_untracked();
        let context = PasswordContext {
            email: Some(&email),
            account_name: Some(&company),
        };
        Password::parse(&password, &context).err().map(|e| e.0)
    };

    view! {
        <section class="narrow">
            <h1>"Set up Roster"</h1>
            <p class="lead">
                "Create your company's account. You will be its Account Owner and can add your teammates next."
            </p>
            <ActionForm action attr:novalidate=true attr:class="stack">
                <FormAlert message=form_error/>
                <Field
                    label="Company name"
                    name="company_name"
                    autocomplete="organization"
                    server_error=field_error("company_name")
                    check=|v: String| CompanyName::parse(&v).err().map(|e| e.0)
                    value=company
                />
                <Field
                    label="Your name"
                    name="name"
                    autocomplete="name"
                    server_error=field_error("name")
                    check=|v: String| PersonName::parse(&v).err().map(|e| e.0)
                />
                <Field
                    label="Email Address"
                    name="email"
                    kind="email"
                    autocomplete="email"
                    server_error=field_error("email")
                    check=|v: String| Email::parse(&v).err().map(|e| e.0)
                    value=email
                />
                <Field
                    label="Password"
                    name="password"
                    kind="password"
                    autocomplete="new-password"
                    hint="At least 15 characters. A few unrelated words make a strong password you can remember."
                    server_error=field_error("password")
                    check=check_password
                    meter=move |password: String| {
                        let company = company.get_untracked();
                        let email = email.get_untracked();
                        strength_hint(&password, &PasswordContext { email: Some(&email), account_name: Some(&company) })
                    }
                />
                <button type="submit" class="button primary" disabled=move || action.pending().get()>
                    "Create account"
                </button>
            </ActionForm>
        </section>
    }
}
