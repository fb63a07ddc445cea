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
    // Until the two-factor set-up their role requires is done, nothing
    // else opens: no links to it, only signing out.
    let due = viewer.two_factor_due;
    view! {
        {(!due).then(|| view! {
            <MainNav
                role=viewer.role
                workflows=viewer.may(crate::domain::Permission::ManageWorkflows)
            />
        })}
        <span class="account-name">{viewer.account_name}</span>
        <details class="menu user-menu">
            <summary>
                <span class="visually-hidden">"Signed in as "</span>
                {viewer.name}
            </summary>
            <div class="menu-items">
                <p class="muted">{viewer.email}</p>
                {(!due).then(|| view! {
                    <a href="/profile/profile">"Your profile"</a>
                    <a href="/profile/security">"Security"</a>
                    <a href="/profile/active-sessions">"Active Sessions"</a>
                })}
                <ActionForm action=sign_out>
                    <button type="submit" class="link-button">"Sign out"</button>
                </ActionForm>
            </div>
        </details>
    }
}

/// Inboxes, and the Manage menu for those who manage; Workflows for those
/// whose permissions include it (in the Manage menu for those who manage).
#[component]
fn MainNav(role: crate::domain::Role, workflows: bool) -> impl IntoView {
    view! {
        <nav class="main-nav" aria-label="Main">
            <a href="/inboxes">"Inboxes"</a>
            {(workflows && !role.manages_users()).then(|| view! { <a href="/workflows">"Workflows"</a> })}
            {role.manages_users().then(|| view! {
                <details class="menu">
                    <summary>"Manage"</summary>
                    <ul class="menu-items">
                        <li><a href="/manage/users">"Users"</a></li>
                        <li><a href="/manage/teams">"Teams"</a></li>
                        {workflows.then(|| view! { <li><a href="/workflows">"Workflows"</a></li> })}
                        <li><a href="/settings/company">"Company settings"</a></li>
                        <li><a href="/settings/permissions">"Permissions"</a></li>
                        <li><a href="/settings/provisioning">"Provisioning"</a></li>
                        <li><a href="/manage/audit-log">"Audit log"</a></li>
                    </ul>
                </details>
            })}
        </nav>
    }
}
