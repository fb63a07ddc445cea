use leptos::wasm_bindgen::JsCast as _;
use leptos::{ev, prelude::*, server_fn::ServerFn};

use super::{CopyInviteLink, RevokeInvite, SendInvite, SendPasswordReset, UserRow, UserStatus};

/// The id of the one form every row menu's buttons submit (each button
/// names its server function and its user), so a row carries no form.
pub const ROW_ACTIONS_FORM: &str = "row-actions";

/// The form the row menus' buttons submit: empty, since each button brings
/// its own action and user.
#[component]
pub fn RowActionsForm() -> impl IntoView {
    view! { <form id=ROW_ACTIONS_FORM method="post" action={<SendInvite as ServerFn>::PATH}></form> }
}

/// The three-dot menu of a users-table row: a menu button (arrow keys move
/// between items, Escape closes it and returns to the button). It is a
/// `<details>`, so it opens, and its items post, without JavaScript too.
/// `index` is the row's place on the page, for the menu's id.
#[component]
pub fn RowMenu(row: UserRow, index: usize) -> impl IntoView {
    let menu_id = format!("row-menu-{index}");
    let label = format!("Actions for {}", row.name);
    let user_id = row.id.to_string();
    let invite_label = match row.status {
        UserStatus::InviteNotYetSent | UserStatus::InviteRevoked => Some("Send invite email"),
        UserStatus::Invited | UserStatus::InviteExpired => Some("Resend invite email"),
        UserStatus::Active | UserStatus::Locked | UserStatus::Deactivated => None,
    };
    let deactivated = row.status == UserStatus::Deactivated;
    let can_change_access = row.manageable && row.role != crate::domain::Role::Owner;
    let (access_path, access_label) = if deactivated {
        ("reactivate", "Reactivate user")
    } else {
        ("deactivate", "Deactivate user")
    };
    let can_reset = row.manageable && matches!(row.status, UserStatus::Active | UserStatus::Locked);
    let can_revoke = matches!(row.status, UserStatus::Invited | UserStatus::InviteExpired);
    let item = move |action: &'static str, text: &'static str| {
        view! {
            <button
                type="submit"
                form=ROW_ACTIONS_FORM
                formaction=action
                name="user_id"
                value=user_id.clone()
                role="menuitem"
                tabindex="-1"
                class="menu-item"
            >
                {text}
            </button>
        }
    };

    view! {
        <details class="menu row-menu">
                <summary role="button" aria-haspopup="menu" aria-controls=menu_id.clone() aria-label=label.clone()>
                    <span aria-hidden="true">"⋮"</span>
                </summary>
                <div class="menu-items" role="menu" id=menu_id aria-label=label>
                    {invite_label.map(|text| item(<SendInvite as ServerFn>::PATH, text))}
                    {invite_label.is_some().then(|| item(<CopyInviteLink as ServerFn>::PATH, "Copy invite link"))}
                    {can_revoke.then(|| item(<RevokeInvite as ServerFn>::PATH, "Revoke invite"))}
                    {can_reset.then(|| item(<SendPasswordReset as ServerFn>::PATH, "Reset password"))}
                    {row.manageable.then(|| view! {
                        <a role="menuitem" tabindex="-1" class="menu-item" href=format!("/manage/users/{}/profile", row.id)>
                            "Edit role & permissions"
                        </a>
                    })}
                    {can_change_access.then(|| view! {
                        <a role="menuitem" tabindex="-1" class="menu-item" href=format!("/manage/users/{}/{access_path}", row.id)>
                            {access_label}
                        </a>
                    })}
                    {can_change_access.then(|| view! {
                        <a role="menuitem" tabindex="-1" class="menu-item danger-link" href=format!("/manage/users/{}/delete", row.id)>
                            "Delete user"
                        </a>
                    })}
                </div>
            </details>
    }
}

/// The row menus' keys, in the browser: one island around the whole table
/// the server rendered, which finds the menu a key was pressed in (one
/// island, not one a row, keeps the page light to render and to hydrate).
#[island]
pub fn MenuKeys(children: Children) -> impl IntoView {
    let on_keydown = move |event: ev::KeyboardEvent| {
        let Some(details) = details_in(&event) else {
            return;
        };
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
        let Some(details) = details_in(&event) else {
            return;
        };
        let inside = event
            .related_target()
            .and_then(|target| target.dyn_into::<web_sys::Node>().ok())
            .is_some_and(|node| details.contains(Some(&node)));
        if !inside {
            details.set_open(false);
        }
    };
    view! {
        <div class="menu-keys" on:keydown=on_keydown on:focusout=on_focusout>
            {children()}
        </div>
    }
}

/// The menu an event happened in.
fn details_in(event: &web_sys::Event) -> Option<web_sys::HtmlDetailsElement> {
    event
        .target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest("details.menu")
        .ok()
        .flatten()?
        .dyn_into()
        .ok()
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
