use leptos::prelude::*;
use leptos_meta::Title;

/// A full page explaining why the viewer cannot be here, with the matching
/// HTTP status when rendered on the server.
#[component]
pub fn StatusPage(status: u16, title: &'static str, children: Children) -> impl IntoView {
    crate::error::set_page_status(status);
    view! {
        <Title text=title/>
        <section class="status-page">
            <h1>{title}</h1>
            {children()}
        </section>
    }
}
