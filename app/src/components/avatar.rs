use leptos::prelude::*;
use uuid::Uuid;

use crate::domain::person_initials;

/// A person's photo, or their initials when they have none. Decorative: the
/// name is always written next to it.
#[component]
pub fn Avatar(
    user_id: Uuid,
    name: String,
    /// The photo's version (its etag), when there is a photo.
    photo: Option<String>,
    #[prop(default = false)] large: bool,
) -> impl IntoView {
    let class = if large {
        "avatar avatar-large"
    } else {
        "avatar"
    };
    match photo {
        Some(version) => view! {
            <img class=class src=format!("/avatars/{user_id}?v={version}") alt="" aria-hidden="true"/>
        }
        .into_any(),
        None => view! { <span class=class aria-hidden="true">{person_initials(&name)}</span> }.into_any(),
    }
}
