use leptos::wasm_bindgen::JsCast as _;
use leptos::{ev, html, prelude::*};

use super::{SendInvite, SendPasswordReset, UserRow, UserStatus};

/// The three-dot menu of a users-table row: a menu button (arrow keys move
/// between items, Escape closes it and returns to the button). It is a
/// `<details>`, so it opens, and its items post, without JavaScript too.
#[component]
pub fn RowMenu(
    row: UserRow,
    invite: ServerAction<SendInvite>,
    reset: ServerAction<SendPasswordReset>,
) -> impl IntoView {
    let menu_id = format!("row-menu-{}", row.id);
    let label = format!("Actions for {}", row.name);
    let user_id = row.id.to_string();
    let invite_label = match row.status {
        UserStatus::InviteNotYetSent => Some("Send invite email"),
        UserStatus::Invited | UserStatus::InviteExpired => Some("Resend invite email"),
        UserStatus::Active | UserStatus::Locked => None,
    };
    let can_reset = row.manageable && matches!(row.status, UserStatus::Active | UserStatus::Locked);

    view! {
        <MenuButton menu_id label>
            {invite_label.map(|text| {
                let user_id = user_id.clone();
                view! {
                    <ActionForm action=invite>
                        <input type="hidden" name="user_id" value=user_id/>
                        <button type="submit" role="menuitem" tabindex="-1" class="menu-item">{text}</button>
                    </ActionForm>
                }
            })}
            {can_reset.then(|| {
                let user_id = user_id.clone();
                view! {
                    <ActionForm action=reset>
                        <input type="hidden" name="user_id" value=user_id/>
                        <button type="submit" role="menuitem" tabindex="-1" class="menu-item">"Reset password"</button>
                    </ActionForm>
                }
            })}
            {row.manageable.then(|| view! {
                <a role="menuitem" tabindex="-1" class="menu-item" href=format!("/manage/users/{}/profile", row.id)>
                    "Edit role & permissions"
                </a>
            })}
            {(row.manageable && row.role != crate::domain::Role::Owner).then(|| view! {
                <a role="menuitem" tabindex="-1" class="menu-item danger-link" href=format!("/manage/users/{}/delete", row.id)>
                    "Delete user"
                </a>
            })}
        </MenuButton>
    }
}

/// The menu button's behaviour in the browser: an island around the items,
/// which the server renders (they are plain forms and links).
#[island]
fn MenuButton(menu_id: String, label: String, children: Children) -> impl IntoView {
    let details = NodeRef::<html::Details>::new();
    let on_keydown = move |event: ev::KeyboardEvent| {
        let Some(details) = details.get() else { return };
        let items = menu_items(&details);
        let focused = items.iter().position(is_focused);
        let focus = |index: usize| {
            if let Some(item) = items.get(index) {
                let _ = item.focus();
            }
        };
        match event.key().as_str() {
            "ArrowDown" | "ArrowUp" | "Home" | "End" if !items.is_empty() => {
                event.prevent_default();
                details.set_open(true);
                let last = items.len() - 1;
                focus(match (event.key().as_str(), focused) {
                    ("Home", _) | ("ArrowDown", None) => 0,
                    ("End", _) | ("ArrowUp", None) => last,
                    ("ArrowDown", Some(i)) => (i + 1) % items.len(),
                    (_, Some(i)) => (i + last) % items.len(),
                    (_, None) => 0,
                });
            }
            "Enter" | " " if focused.is_none() && !details.open() => {
                event.prevent_default();
                details.set_open(true);
                focus(0);
            }
            "Escape" if details.open() => {
                event.prevent_default();
                details.set_open(false);
                if let Some(summary) = summary_of(&details) {
                    let _ = summary.focus();
                }
            }
            "Tab" => details.set_open(false),
            _ => {}
        }
    };
    // Closes when focus leaves the menu (a click elsewhere, Tab).
    let on_focusout = move |event: ev::FocusEvent| {
        let Some(details) = details.get() else { return };
        let inside = event
            .related_target()
            .and_then(|target| target.dyn_into::<web_sys::Node>().ok())
            .is_some_and(|node| details.contains(Some(&node)));
        if !inside {
            details.set_open(false);
        }
    };

    view! {
        <details
            class="menu row-menu"
            node_ref=details
            on:keydown=on_keydown
            on:focusout=on_focusout
            // Picking an item closes the menu.
            on:submit=move |_| {
                if let Some(details) = details.get() {
                    details.set_open(false);
                }
            }
        >
            <summary role="button" aria-haspopup="menu" aria-controls=menu_id.clone() aria-label=label.clone()>
                <span aria-hidden="true">"⋮"</span>
            </summary>
            <div class="menu-items" role="menu" id=menu_id aria-label=label>
                {children()}
            </div>
        </details>
    }
}

fn menu_items(details: &web_sys::HtmlDetailsElement) -> Vec<web_sys::HtmlElement> {
    let Ok(list) = details.query_selector_all("[role=menuitem]") else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
        .collect()
}

fn summary_of(details: &web_sys::HtmlDetailsElement) -> Option<web_sys::HtmlElement> {
    details
        .query_selector("summary")
        .ok()
        .flatten()
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
}

fn is_focused(element: &web_sys::HtmlElement) -> bool {
    element
        .owner_document()
        .and_then(|document| document.active_element())
        .is_some_and(|active| active == **element)
}
