//! Active Sessions: one's own (from the session area), and as an admin
//! sees them for someone they manage: every browser signed in as that user,
//! each revocable, or all at once.

#[cfg(feature = "ssr")]
pub mod store;

use leptos::prelude::*;

use super::section_screen::{user_field, SectionScreen, SectionView};
use crate::profile::ProfileError;
use crate::{
    components::{FormAlert, FormErrors},
    session::{
        list_my_sessions, ConfirmPassword, OwnSessionsSection, RevokeOtherSessions, RevokeSession,
        SessionRow,
    },
};

/// The live sessions of a user the viewer manages.
#[server(endpoint = "profile/sessions")]
pub async fn get_user_sessions(
    #[server(default)] user: String,
) -> Result<Vec<SessionRow>, ProfileError> {
    use crate::{error::respond, state::use_state};

    let (viewer, target) =
        crate::profile::section_call::section_call_without_version(&user).map_err(respond)?;
    store::sessions_of(&use_state(), &viewer, target)
        .await
        .map_err(respond)
}

/// Ends one session (`session_id`) or, without one, every session of a user
/// the viewer manages.
#[server(endpoint = "profile/sessions/revoke")]
pub async fn revoke_user_sessions(
    #[server(default)] user: String,
    #[server(default)] session_id: String,
) -> Result<(), ProfileError> {
    use crate::{error::respond, state::use_state};

    let (viewer, target) =
        crate::profile::section_call::section_call_without_version(&user).map_err(respond)?;
    let session_id = match session_id.trim() {
        "" => None,
        id => Some(uuid::Uuid::parse_str(id).map_err(|_| respond(ProfileError::NotFound))?),
    };
    let id = store::revoke_sessions(
        &use_state(),
        &viewer,
        target,
        session_id,
        &crate::request::RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    crate::profile::redirect_to_section(
        &viewer,
        target,
        id,
        crate::profile::Section::ActiveSessions,
    );
    Ok(())
}

pub(super) fn section(screen: SectionScreen) -> SectionView {
    if screen.own {
        let confirm = screen.action::<ConfirmPassword>();
        let revoke = screen.action::<RevokeSession>();
        let revoke_others = screen.action::<RevokeOtherSessions>();
        let mine = screen.load(|_| list_my_sessions());
        return SectionView::with_data(mine, move |_, mine| {
            view! { <OwnSessionsSection mine confirm revoke revoke_others/> }.into_any()
        });
    }
    let revoke = screen.action::<RevokeUserSessions>();
    let sessions = screen.load(get_user_sessions);
    SectionView::with_data(sessions, move |profile, sessions| {
        let user = user_field(&profile);
        view! { <UserSessionsSection sessions name=profile.name user revoke/> }.into_any()
    })
}

#[component]
fn UserSessionsSection(
    sessions: Vec<SessionRow>,
    name: String,
    user: String,
    revoke: ServerAction<RevokeUserSessions>,
) -> impl IntoView {
    let error = FormErrors::of(revoke, &[]).form();
    if sessions.is_empty() {
        return view! { <p class="empty-state">{format!("{name} is not signed in anywhere.")}</p> }
            .into_any();
    }
    let everywhere = user.clone();
    view! {
        <p>{format!("Every browser signed in as {name}. Revoking one signs them out of it at once.")}</p>
        <FormAlert message=error/>
        <div class="table-scroll">
            <table class="user-table">
                <caption class="visually-hidden">{format!("{name}'s active sessions")}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Device"</th>
                        <th scope="col">"Location"</th>
                        <th scope="col">"Signed in"</th>
                        <th scope="col">"Last seen"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {sessions.into_iter().map(|row| {
                        let user = user.clone();
                        view! {
                        <tr>
                            <th scope="row">{row.device}</th>
                            <td>{row.location}</td>
                            <td><time datetime=row.created_at.to_rfc3339()>{row.created}</time></td>
                            <td><time datetime=row.last_seen_at.to_rfc3339()>{row.last_seen}</time></td>
                            <td>
                                <ActionForm action=revoke>
                                    <input type="hidden" name="user" value=user/>
                                    <input type="hidden" name="session_id" value=row.id.to_string()/>
                                    <button type="submit" class="button">"Revoke"</button>
                                </ActionForm>
                            </td>
                        </tr>
                    }}).collect_view()}
                </tbody>
            </table>
        </div>
        <ActionForm action=revoke attr:class="actions">
            <input type="hidden" name="user" value=everywhere/>
            <input type="hidden" name="session_id" value=""/>
            <button type="submit" class="button danger">"Revoke all sessions"</button>
        </ActionForm>
    }
    .into_any()
}
