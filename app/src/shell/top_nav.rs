use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::session::{get_viewer, SignOut, Viewer};

/// Roster's name, the Manage menu for those who manage, the account name and
/// the signed-in person's menu. Menus are `<details>`, so they work before
/// (and without) JavaScript.
#[component]
pub fn TopNav() -> impl IntoView {
    let location = use_location();
    // Asked again on every navigation, so signing in or out shows at once.
    let viewer = Resource::new(move || location.pathname.get(), |_| get_viewer());
    view! {
        <header class="top-bar">
            <a class="brand" href="/">"Roster"</a>
            <Transition>
                {move || Suspend::new(async move {
                    viewer.await.ok().flatten().map(|viewer| view! { <SignedInNav viewer/> })
                })}
            </Transition>
        </header>
    }
}

#[component]
fn SignedInNav(viewer: Viewer) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    view! {
        <nav class="main-nav" aria-label="Main">
            <a href="/inboxes">"Inboxes"</a>
            {viewer.role.manages_users().then(|| view! {
                <details class="menu">
                    <summary>"Manage"</summary>
                    <ul class="menu-items">
                        <li><a href="/manage/users">"Users"</a></li>
                        <li><a href="/manage/teams">"Teams"</a></li>
                        <li><a href="/workflows">"Workflows"</a></li>
                        <li><a href="/settings/company">"Company settings"</a></li>
                        <li><a href="/settings/permissions">"Permissions"</a></li>
                        <li><a href="/settings/provisioning">"Provisioning"</a></li>
                        <li><a href="/manage/audit-log">"Audit log"</a></li>
                    </ul>
                </details>
            })}
        </nav>
        <span class="account-name">{viewer.account_name}</span>
        <details class="menu user-menu">
            <summary>
                <span class="visually-hidden">"Signed in as "</span>
                {viewer.name}
            </summary>
            <div class="menu-items">
                <p class="muted">{viewer.email}</p>
                <a href="/profile/profile">"Your profile"</a>
                <a href="/profile/security">"Security"</a>
                <a href="/profile/active-sessions">"Active Sessions"</a>
                <ActionForm action=sign_out>
                    <button type="submit" class="link-button">"Sign out"</button>
                </ActionForm>
            </div>
        </details>
    }
}
