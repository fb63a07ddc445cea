//! Active Sessions as an admin sees them for someone they manage: every
//! browser signed in as that user, each revocable, or all at once.

use leptos::prelude::*;

use super::ProfileError;
use crate::{
    components::FormAlert,
    session::{format_session_time, SessionRow},
};

/// The live sessions of a user the viewer manages.
#[server(endpoint = "profile/sessions")]
pub async fn get_user_sessions(
    #[server(default)] user: String,
) -> Result<Vec<SessionRow>, ProfileError> {
    use crate::{error::respond, state::use_state};

    let (viewer, target) =
        super::section_call::section_call_without_version(&user).map_err(respond)?;
    super::store::sessions_of(&use_state(), &viewer, target)
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
        super::section_call::section_call_without_version(&user).map_err(respond)?;
    let session_id = match session_id.trim() {
        "" => None,
        id => Some(uuid::Uuid::parse_str(id).map_err(|_| respond(ProfileError::NotFound))?),
    };
    let id = super::store::revoke_sessions(&use_state(), &viewer, target, session_id)
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

#[component]
pub fn UserSessionsSection(
    sessions: Vec<SessionRow>,
    name: String,
    user: String,
    revoke: ServerAction<RevokeUserSessions>,
) -> impl IntoView {
    let error = Signal::derive(move || {
        revoke
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    });
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
                            <td>{format_session_time(row.created_at)}</td>
                            <td>{format_session_time(row.last_seen_at)}</td>
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
