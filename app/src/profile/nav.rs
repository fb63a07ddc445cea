use leptos::prelude::*;
use uuid::Uuid;

use crate::users::SendPasswordReset;

/// The profile's left navigation, grouped as the help desk groups it. Only
/// the sections this viewer can use are listed; the current one is marked.
/// An admin looking at someone else gets Reset password at the bottom.
#[component]
pub fn ProfileNav(
    /// `None` for the viewer's own profile.
    user: Option<Uuid>,
    /// The current section's path segment, e.g. "profile".
    current: &'static str,
    #[prop(default = false)] can_reset_password: bool,
) -> impl IntoView {
    let link = move |segment: &'static str, label: &'static str| {
        let href = match user {
            Some(id) => format!("/manage/users/{id}/{segment}"),
            None => format!("/profile/{segment}"),
        };
        view! {
            <li>
                <a href=href aria-current=(segment == current).then_some("page")>{label}</a>
            </li>
        }
    };
    let reset = ServerAction::<SendPasswordReset>::new();
    view! {
        <nav class="profile-nav" aria-label="Profile sections">
            <ul>{link("profile", "Profile")}</ul>
            <h2 class="profile-nav-group">"Authentication"</h2>
            <ul>
                {link("security", "Security")}
                {user.is_none().then(|| link("active-sessions", "Active Sessions"))}
            </ul>
            {user.is_some().then(|| view! {
                <h2 class="profile-nav-group">"Permissions"</h2>
                <ul>
                    {link("role", "Role")}
                    {link("inbox-access", "Inbox Access")}
                </ul>
            })}
            <ul>
                {link("notifications", "Notifications")}
                {link("auto-bcc", "Auto Bcc")}
            </ul>
            {(user.is_some() && can_reset_password).then(|| view! {
                <ActionForm action=reset attr:class="profile-nav-actions">
                    <input type="hidden" name="user_id" value=user.map(|id| id.to_string())/>
                    <button type="submit" class="link-button">"Reset password"</button>
                </ActionForm>
            })}
        </nav>
    }
}
