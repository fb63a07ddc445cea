//! Forms that post to a server function, answered in place.
//!
//! Every form on a page posts to its server function as a plain form does
//! (and does without JavaScript): the server answers with a redirect, to the
//! page the change leads to, or back to the form's page with the error in
//! the address. With JavaScript the browser sends that same request with
//! `fetch` instead, and shows the page the server answered with in place: a
//! change that worked shows the page it leads to (at its address, so Back
//! works); an error swaps only the page's `<main>`, with the errors next to
//! their fields, and puts back what the person had typed. The page is never
//! asked for twice, so what a page shows once (a new secret) is not lost.

use leptos::{
    prelude::{document, window},
    task::spawn_local,
    wasm_bindgen::{closure::Closure, JsCast, JsValue},
};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Document, Element, FormData, HtmlElement, HtmlFormElement, HtmlInputElement, HtmlSelectElement,
    HtmlTextAreaElement, SubmitEvent,
};

/// Listens for every form submission on the page.
pub fn answer_in_place() {
    let on_submit = Closure::<dyn Fn(SubmitEvent)>::new(on_submit);
    let _ =
        document().add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
    on_submit.forget();
    // Back and Forward over a page shown in place load that page.
    let on_history = Closure::<dyn Fn()>::new(|| {
        let _ = window().location().reload();
    });
    let _ =
        window().add_event_listener_with_callback("popstate", on_history.as_ref().unchecked_ref());
    on_history.forget();
    let on_change = Closure::<dyn Fn(web_sys::Event)>::new(submit_on_change);
    let _ =
        document().add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
    on_change.forget();
}

/// A filter form marked `data-submit-on-change` (Manage > Users' "Show
/// deactivated users", "With permission") is sent as soon as one of its
/// checkboxes or lists changes; without JavaScript its submit button sends it.
fn submit_on_change(event: web_sys::Event) {
    let target = event.target();
    let form = match (
        target
            .clone()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok()),
        target.and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()),
    ) {
        (Some(input), _) if input.type_() == "checkbox" => input.form(),
        (_, Some(select)) => select.form(),
        _ => None,
    };
    if let Some(form) = form.filter(|form| form.has_attribute("data-submit-on-change")) {
        let _ = form.request_submit();
    }
}

fn on_submit(event: SubmitEvent) {
    // An island's own form (Add User) has answered already.
    if event.default_prevented() {
        return;
    }
    let Some(form) = event
        .target()
        .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
    else {
        return;
    };
    let submitter = event.submitter();
    let attribute = |name: &str| submitter.as_ref().and_then(|s| s.get_attribute(name));
    let method = attribute("formmethod")
        .unwrap_or_else(|| form.method())
        .to_lowercase();
    let action = attribute("formaction").unwrap_or_else(|| form.action());
    let is_server_function = url_path(&action).is_some_and(|path| path.starts_with("/api/"));
    // Uploads, forms that go elsewhere, and forms whose answer leads to
    // another site (`data-leaves-roster`: the authorization page's Allow
    // and Deny) are left to the browser.
    if method != "post"
        || form.enctype() != "application/x-www-form-urlencoded"
        || !is_server_function
        || form.has_attribute("data-leaves-roster")
    {
        return;
    }
    // A second press while the first is on its way sends nothing more.
    if form.get_attribute("aria-busy").as_deref() == Some("true") {
        event.prevent_default();
        return;
    }
    let Ok(data) = FormData::new_with_form(&form) else {
        return;
    };
    // The button pressed is part of what a form sends, when it has a name.
    let pressed = attribute("name")
        .filter(|name| !name.is_empty())
        .map(|name| (name, attribute("value").unwrap_or_default()));
    if let Some((name, value)) = &pressed {
        let _ = data.append_with_str(name, value);
    }
    event.prevent_default();
    let _ = form.set_attribute("aria-busy", "true");
    spawn_local(async move {
        let sent = send(&form, &action, &data).await;
        let _ = form.remove_attribute("aria-busy");
        if sent.is_err() {
            // The request never got an answer: let the browser try it.
            submit_natively(&form, &action, pressed);
        }
    });
}

/// Submits the form as the browser would have, with the button pressed.
fn submit_natively(form: &HtmlFormElement, action: &str, pressed: Option<(String, String)>) {
    form.set_action(action);
    if let Some((name, value)) = pressed {
        if let Ok(input) = document().create_element("input") {
            let _ = input.set_attribute("type", "hidden");
            let _ = input.set_attribute("name", &name);
            let _ = input.set_attribute("value", &value);
            let _ = form.append_child(&input);
        }
    }
    let _ = form.submit();
}

async fn send(form: &HtmlFormElement, action: &str, data: &FormData) -> Result<(), JsValue> {
    let body = web_sys::UrlSearchParams::new_with_str_sequence_sequence(data)?;
    let headers = web_sys::Headers::new()?;
    // As a plain form post does: the server answers with a redirect.
    headers.set("Accept", "text/html")?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&body);
    let response: web_sys::Response =
        JsFuture::from(window().fetch_with_str_and_init(action, &init))
            .await?
            .dyn_into()?;
    let landed = response.url();
    let is_error = landed.contains("__err=") || response.status() >= 400;
    let html = JsFuture::from(response.text()?)
        .await?
        .as_string()
        .unwrap_or_default();
    let page =
        web_sys::DomParser::new()?.parse_from_string(&html, web_sys::SupportedType::TextHtml)?;
    let here = document();
    if is_error {
        let index = form_index(form);
        if let (Some(current), Some(answer)) = (main_of(&here), main_of(&page)) {
            current.set_inner_html(&answer.inner_html());
            here.set_title(&page.title());
            hydrate_islands_in(&current);
            if let Some(form) = index.and_then(|i| forms_in(&current).get(i).cloned()) {
                put_back(&form, data);
                focus_first_problem(&form);
            }
            return Ok(());
        }
    } else if let (Some(current), Some(answer)) = (here.body(), page.body()) {
        window()
            .history()?
            .push_state_with_url(&JsValue::NULL, "", Some(&landed))?;
        current.set_inner_html(&answer.inner_html());
        here.set_title(&page.title());
        window().scroll_to_with_x_and_y(0.0, 0.0);
        hydrate_islands_in(&current);
        // As after a page load, reading starts at the new page's content.
        if let Some(main) = main_of(&here).and_then(|m| m.dyn_into::<HtmlElement>().ok()) {
            let _ = main.set_attribute("tabindex", "-1");
            let _ = main.focus();
        }
        return Ok(());
    }
    // Not one of Roster's pages: show it as the browser would.
    window().location().assign(&landed)
}

fn url_path(url: &str) -> Option<String> {
    web_sys::Url::new_with_base(url, &window().location().href().ok()?)
        .ok()
        .filter(|url| url.origin() == window().location().origin().unwrap_or_default())
        .map(|url| url.pathname())
}

fn main_of(page: &Document) -> Option<Element> {
    page.query_selector("main").ok().flatten()
}

fn forms_in(main: &Element) -> Vec<HtmlFormElement> {
    let Ok(list) = main.query_selector_all("form") else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<HtmlFormElement>().ok())
        .collect()
}

/// Which of the page's forms this is, to find it again in the answer.
fn form_index(form: &HtmlFormElement) -> Option<usize> {
    let main = main_of(&document())?;
    forms_in(&main).iter().position(|f| f == form)
}

/// Puts back what the person typed, chose and ticked. Hidden fields keep the
/// server's new values (a version, a request key).
fn put_back(form: &HtmlFormElement, data: &FormData) {
    let elements = form.elements();
    for i in 0..elements.length() {
        let Some(element) = elements.item(i) else {
            continue;
        };
        if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
            let sent = data.get_all(&input.name());
            let was_sent =
                |value: &str| sent.iter().any(|v| v.as_string().as_deref() == Some(value));
            match input.type_().as_str() {
                "hidden" | "submit" | "button" | "file" | "reset" | "image" => {}
                "checkbox" | "radio" => input.set_checked(was_sent(&input.value())),
                _ => {
                    if let Some(value) = sent.get(0).as_string() {
                        input.set_value(&value);
                    }
                }
            }
        } else if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
            if let Some(value) = data.get(&area.name()).as_string() {
                area.set_value(&value);
            }
        } else if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
            if let Some(value) = data.get(&select.name()).as_string() {
                select.set_value(&value);
            }
        }
    }
}

/// Moves focus to the first field with an error, so it is announced.
fn focus_first_problem(form: &HtmlFormElement) {
    let problem = form
        .query_selector("[aria-invalid=true]")
        .ok()
        .flatten()
        .and_then(|element| element.dyn_into::<HtmlElement>().ok());
    if let Some(problem) = problem {
        let _ = problem.focus();
    }
}

/// The islands in new markup come alive as on a page load (the island
/// script leaves `__hydrateIsland` for this).
fn hydrate_islands_in(root: &Element) {
    let Ok(hydrate) = js_sys::Reflect::get(&window(), &JsValue::from_str("__hydrateIsland")) else {
        return;
    };
    let Some(hydrate) = hydrate.dyn_ref::<js_sys::Function>() else {
        return;
    };
    let Ok(islands) = root.query_selector_all("leptos-island") else {
        return;
    };
    for i in 0..islands.length() {
        let Some(island) = islands.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        // An island inside another one comes alive with it.
        let nested = island
            .parent_element()
            .and_then(|parent| parent.closest("leptos-island").ok().flatten())
            .is_some();
        if !nested {
            let component = island.get_attribute("data-component").unwrap_or_default();
            let _ = hydrate.call2(&window(), &island, &JsValue::from_str(&component));
        }
    }
}
