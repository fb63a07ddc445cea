//! Copy invite link: an admin mints a new invite link for someone (the old
//! one dies, no email goes) to hand over themselves. The link is shown to
//! that admin once, in this browser, as API keys are (see
//! `session::shown_once`): the server keeps only its hash.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::UsersError;

/// Mints a new invite link for a user, kills the old one, and shows the new
/// one on Manage > Users.
#[server(endpoint = "users/copy-invite-link")]
pub async fn copy_invite_link(user_id: String) -> Result<(), UsersError> {
    use crate::{error::respond, request::RequestInfo, state::use_state};

    let viewer = crate::session::Viewer::user_manager::<UsersError>().map_err(respond)?;
    let user_id = Uuid::parse_str(&user_id).map_err(|_| respond(UsersError::NotFound))?;
    let state = use_state();
    let link =
        super::admin_actions::copy_invite_link(&state, &viewer, user_id, &RequestInfo::current())
            .await
            .map_err(respond)?;
    crate::session::shown_once::keep(
        &state.settings,
        &viewer,
        KeptLink::KIND,
        KeptLink {
            user_id,
            url: link.url,
            expires_at: link.expires_at,
        },
    );
    leptos_axum::redirect(&format!("/manage/users?done=link_copied&user={user_id}"));
    Ok(())
}

/// The copied link on its way to the admin's browser.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptLink {
    pub user_id: Uuid,
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

impl KeptLink {
    /// What `session::shown_once` calls it.
    pub const KIND: &'static str = "invite-link";
}

/// A copied link as Manage > Users shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopiedLink {
    pub name: String,
    pub url: String,
    /// When it stops working, in the viewer's time.
    pub expires: String,
}

/// The copied link kept for `user_id` in this browser, if it is still
/// their open link (a newer one, or their acceptance, ends it).
#[cfg(feature = "ssr")]
pub async fn kept(
    state: &crate::state::AppState,
    viewer: &crate::session::Viewer,
    user_id: Uuid,
) -> anyhow::Result<Option<CopiedLink>> {
    let Some(kept) =
        crate::session::shown_once::kept::<KeptLink>(&state.settings, viewer, KeptLink::KIND)
            .filter(|kept| kept.user_id == user_id)
    else {
        return Ok(None);
    };
    let mut conn = state.pool.acquire().await?;
    let holder =
        crate::invitations::store::open_link_holder(&mut conn, viewer.account_id, &kept.url)
            .await?;
    Ok(holder
        .filter(|(id, _)| *id == user_id)
        .map(|(_, name)| CopiedLink {
            name,
            expires: viewer.local_time().format(kept.expires_at),
            url: kept.url,
        }))
}

/// The new link, with a Copy button once the page runs JavaScript (the
/// field can be selected and copied either way).
#[component]
pub fn CopiedLinkNotice(link: CopiedLink) -> impl IntoView {
    let label = format!("Invite link for {}", link.name);
    view! {
        <div class="notice shown-once" role="status">
            <p>
                <strong>{format!("Send this link to {} yourself: no email was sent.", link.name)}</strong>
                {format!(" It works once, until {}. Their earlier invite link no longer works. It is shown only in this browser, for 10 minutes.", link.expires)}
            </p>
            <label class="field">
                <span class="field-label">{label}</span>
                <input type="text" readonly=true value=link.url.clone() class="secret"/>
            </label>
            <div class="actions">
                <CopyButton value=link.url/>
                <crate::session::HideSecretButton/>
            </div>
        </div>
    }
}

/// Copies `value` to the clipboard. Shown only once the page runs
/// JavaScript: without it, a button would do nothing.
#[island]
fn CopyButton(value: String) -> impl IntoView {
    let running = RwSignal::new(false);
    // `None` until a copy is tried; then whether the browser allowed it.
    let copied = RwSignal::new(None::<bool>);
    Effect::new(move |_| running.set(true));
    let copy = move |_| {
        let Some(window) = web_sys::window() else {
            return;
        };
        let promise = window.navigator().clipboard().write_text(&value);
        leptos::task::spawn_local(async move {
            let done = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            copied.set(Some(done));
        });
    };
    view! {
        <Show when=move || running.get()>
            <button type="button" class="button primary" on:click=copy.clone()>
                {move || match copied.get() {
                    None => "Copy link",
                    Some(true) => "Copied",
                    Some(false) => "Copying failed: select the link and copy it",
                }}
            </button>
        </Show>
    }
}
