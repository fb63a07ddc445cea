use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use super::{setup_needed, SetUpRoster};
use crate::{
    components::{Check, Field, FormAlert, FormErrors},
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
    // A form that came back with errors is answered 422 (or 409), also
    // when it arrived by a plain POST and was redirected here.
    if let Some(Err(error)) = action.value().get_untracked() {
        crate::error::set_page_status(error.status());
    }
    let errors = FormErrors::of(action, &["company_name", "name", "email", "password"]);
    let field_error = move |name| errors.field(name);
    let form_error = errors.form();

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
                    check=Check::CompanyName
                />
                <Field
                    label="Your name"
                    name="name"
                    autocomplete="name"
                    server_error=field_error("name")
                    check=Check::PersonName
                />
                <Field
                    label="Email Address"
                    name="email"
                    kind="email"
                    autocomplete="email"
                    server_error=field_error("email")
                    check=Check::Email
                />
                <Field
                    label="Password"
                    name="password"
                    kind="password"
                    autocomplete="new-password"
                    hint="At least 15 characters. A few unrelated words make a strong password you can remember."
                    server_error=field_error("password")
                    check=Check::NewPassword { email: None, account_name: None }
                />
                <button type="submit" class="button primary" disabled=move || action.pending().get()>
                    "Create account"
                </button>
            </ActionForm>
        </section>
    }
}
