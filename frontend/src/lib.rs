//! The browser half of Roster. Pages are rendered on the server; here the
//! islands (the components marked `#[island]`) come alive, and forms that
//! post to a server function answer in place.

mod forms;

use leptos::wasm_bindgen::{self, prelude::wasm_bindgen};

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Links the islands of `app` into this bundle.
    #[allow(unused_imports)]
    use app::*;
    leptos::mount::hydrate_islands();
    forms::answer_in_place();
    // The island script hydrates each island right after this returns, in
    // the same task; the mark goes on once they are all live.
    leptos::prelude::set_timeout(
        || {
            if let Some(body) = leptos::prelude::document().body() {
                // Tells end-to-end tests (and curious people) that the page is live.
                let _ = body.set_attribute("data-hydrated", "true");
            }
        },
        std::time::Duration::ZERO,
    );
}
