use leptos::prelude::*;
use uuid::Uuid;

use super::{section::NAV_GROUPS, Section};
use crate::users::{CopyInviteLink, RevokeInvite, SendInvite, SendPasswordReset};

/// The profile's left navigation, grouped as the help desk groups it. Only
/// the sections this viewer can use are listed; the current one is marked.
/// An admin looking at someone else gets, at the bottom, the log of what
/// they did and what was done to them, Send (or Resend) invite email, Copy
/// invite link and Revoke invite, or Reset password, Deactivate and Delete.
#[component]
pub fn ProfileNav(
    /// `None` for the viewer's own profile.
    user: Option<Uuid>,
    current: Section,
    #[prop(default = false)] can_reset_password: bool,
    /// "Send invite email" or "Resend invite email", for someone who has
    /// not accepted an invite.
    #[prop(default = None)]
    invite: Option<&'static str>,
    /// Their invite link is open: offer Revoke invite.
    #[prop(default = false)]
    can_revoke_invite: bool,
    /// Everyone but the Owner, for an admin viewing someone else.
    #[prop(default = false)]
    can_delete: bool,
    /// The user is deactivated: offer Reactivate instead of Deactivate.
    #[prop(default = false)]
    deactivated: bool,
) -> impl IntoView {
    let link = move |section: Section| {
        let href = match user {
            Some(id) => format!("/manage/users/{id}/{}", section.segment()),
            None => format!("/profile/{}", section.segment()),
        };
        view! {
            <li>
                <a href=href aria-current=(section == current).then_some("page")>{section.title()}</a>
            </li>
        }
    };
    let reset = ServerAction::<SendPasswordReset>::new();
    let send_invite = ServerAction::<SendInvite>::new();
    let revoke_invite = ServerAction::<RevokeInvite>::new();
    let copy_invite_link = ServerAction::<CopyInviteLink>::new();
    view! {
        <nav class="profile-nav" aria-label="Profile sections">
            {NAV_GROUPS.iter().map(|(heading, sections)| {
                let shown: Vec<Section> = sections.iter().copied().filter(|s| s.shown(user.is_none())).collect();
                (!shown.is_empty()).then(|| view! {
                    {heading.map(|heading| view! { <h2 class="profile-nav-group">{heading}</h2> })}
                    <ul>{shown.into_iter().map(link).collect_view()}</ul>
                })
            }).collect_view()}
            {user.map(|user| view! {
                <p class="profile-nav-actions">
                    <a href=format!("/manage/audit-log?person={user}")>"View in audit log"</a>
                </p>
            })}
            {user.zip(invite).map(|(user, label)| view! {
                <ActionForm action=send_invite attr:class="profile-nav-actions">
                    <input type="hidden" name="user_id" value=user.to_string()/>
                    <button type="submit" class="link-button">{label}</button>
                </ActionForm>
            })}
            {user.filter(|_| invite.is_some()).map(|user| view! {
                <ActionForm action=copy_invite_link attr:class="profile-nav-actions">
                    <input type="hidden" name="user_id" value=user.to_string()/>
                    <button type="submit" class="link-button">"Copy invite link"</button>
                </ActionForm>
            })}
            {user.filter(|_| can_revoke_invite).map(|user| view! {
                <ActionForm action=revoke_invite attr:class="profile-nav-actions">
                    <input type="hidden" name="user_id" value=user.to_string()/>
                    <button type="submit" class="link-button">"Revoke invite"</button>
                </ActionForm>
            })}
            {(user.is_some() && can_reset_password).then(|| view! {
                <ActionForm action=reset attr:class="profile-nav-actions">
                    <input type="hidden" name="user_id" value=user.map(|id| id.to_string())/>
                    <button type="submit" class="link-button">"Reset password"</button>
                </ActionForm>
            })}
            {(user.is_some() && can_delete).then(|| {
                let user = user.unwrap_or_default();
                let (path, label) = if deactivated {
                    ("reactivate", "Reactivate user")
                } else {
                    ("deactivate", "Deactivate user")
                };
                view! {
                    <p class="profile-nav-actions">
                        <a href=format!("/manage/users/{user}/{path}")>{label}</a>
                    </p>
                    <p class="profile-nav-actions">
                        <a class="danger-link" href=format!("/manage/users/{user}/delete")>"Delete user"</a>
                    </p>
                }
            })}
        </nav>
    }
}
