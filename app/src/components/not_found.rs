use leptos::prelude::*;

use super::StatusPage;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <StatusPage status=404 title="Page not found">
            <p>"There is nothing at this address. "<a href="/">"Go to the start page"</a>"."</p>
        </StatusPage>
    }
}
