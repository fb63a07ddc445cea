//! Active Sessions: every browser signed in to the viewer's account, with a
//! way to end any of them after confirming the password.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::AuthError;
use crate::components::{Field, FormAlert, FormErrors};

/// How long a password confirmation lets the person revoke sessions.
pub const REAUTH_MINUTES: i64 = 10;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRow {
    pub id: Uuid,
    pub device: String,
    /// City and country when a GeoIP database is configured; the IP otherwise.
    pub location: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// Both times as the viewer reads them (their zone and clock, named).
    pub created: String,
    pub last_seen: String,
    pub current: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MySessions {
    pub rows: Vec<SessionRow>,
    /// Whether the password was confirmed recently enough to revoke.
    pub can_revoke: bool,
}

#[server(endpoint = "sessions/list")]
pub async fn list_my_sessions() -> Result<MySessions, AuthError> {
    use super::{store, Viewer};
    use crate::{error::respond, state::use_state};

    let viewer = Viewer::current()
        .ok_or(AuthError::SignInRequired)
        .map_err(respond)?;
    let state = use_state();
    store::list_for(&state, &viewer)
        .await
        .map_err(|error| respond(AuthError::from(error)))
}

/// Confirms the current password, letting this session revoke others for a
/// few minutes.
#[server(endpoint = "sessions/confirm")]
pub async fn confirm_password(password: String) -> Result<(), AuthError> {
    use super::{store, Viewer};
    use crate::{error::respond, rate_limit::Limited, state::use_state};

    crate::session::limit(Limited::SignIn)
        .await
        .map_err(respond)?;
    let viewer = Viewer::current()
        .ok_or(AuthError::SignInRequired)
        .map_err(respond)?;
    store::confirm_password(
        &use_state(),
        &viewer,
        &password,
        &crate::request::RequestInfo::current(),
    )
    .await
    .map_err(respond)
}

/// Ends one of the viewer's other sessions.
#[server(endpoint = "sessions/revoke")]
pub async fn revoke_session(session_id: String) -> Result<(), AuthError> {
    use super::{store, Viewer};
    use crate::{error::respond, state::use_state};

    let viewer = Viewer::current()
        .ok_or(AuthError::SignInRequired)
        .map_err(respond)?;
    let session_id = Uuid::parse_str(&session_id).map_err(|_| respond(AuthError::NotFound))?;
    store::revoke_own(
        &use_state(),
        &viewer,
        Some(session_id),
        &crate::request::RequestInfo::current(),
    )
    .await
    .map_err(respond)
}

/// Ends every session of the viewer but this one.
#[server(endpoint = "sessions/revoke-others")]
pub async fn revoke_other_sessions() -> Result<(), AuthError> {
    use super::{store, Viewer};
    use crate::{error::respond, state::use_state};

    let viewer = Viewer::current()
        .ok_or(AuthError::SignInRequired)
        .map_err(respond)?;
    store::revoke_own(
        &use_state(),
        &viewer,
        None,
        &crate::request::RequestInfo::current(),
    )
    .await
    .map_err(respond)
}

/// The viewer's own Active Sessions, in their profile.
#[component]
pub fn OwnSessionsSection(
    mine: MySessions,
    confirm: ServerAction<ConfirmPassword>,
    revoke: ServerAction<RevokeSession>,
    revoke_others: ServerAction<RevokeOtherSessions>,
) -> impl IntoView {
    let can_revoke = mine.can_revoke;
    let has_others = mine.rows.iter().any(|row| !row.current);
    let confirm_error = FormErrors::of(confirm, &[]).form();
    let revoke_error = Signal::derive(move || {
        revoke
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| revoke_others.value().get().and_then(Result::err))
            .map(|e| e.to_string())
    });
    let no_field_error = Signal::derive(|| None::<String>);
    view! {
        <p class="lead">"Every browser signed in to your account: the device, where it signed in from, and when it was last used. End any you don't recognise."</p>
        <FormAlert message=revoke_error/>
        <div class="table-scroll">
            <table class="user-table">
                <caption class="visually-hidden">"Your active sessions"</caption>
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
                    {mine.rows.into_iter().map(|row| {
                        let id = row.id.to_string();
                        view! {
                            <tr>
                                <th scope="row">{row.device}</th>
                                <td>{row.location}</td>
                                <td><time datetime=row.created_at.to_rfc3339()>{row.created}</time></td>
                                <td><time datetime=row.last_seen_at.to_rfc3339()>{row.last_seen}</time></td>
                                <td>
                                    {if row.current {
                                        view! { <span class="badge">"This session"</span> }.into_any()
                                    } else if can_revoke {
                                        view! {
                                            <ActionForm action=revoke>
                                                <input type="hidden" name="session_id" value=id/>
                                                <button type="submit" class="button">"Revoke"</button>
                                            </ActionForm>
                                        }.into_any()
                                    } else {
                                        ().into_any()
                                    }}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {if !has_others {
            view! { <p class="muted">"This is the only browser signed in to your account."</p> }.into_any()
        } else if can_revoke {
            view! {
                <ActionForm action=revoke_others attr:class="actions">
                    <button type="submit" class="button">"Revoke all other sessions"</button>
                </ActionForm>
            }.into_any()
        } else {
            view! {
                <ActionForm action=confirm attr:novalidate=true attr:class="stack narrow-form">
                    <p>"To end other sessions, confirm it's you."</p>
                    <FormAlert message=confirm_error/>
                    <Field label="Current password" name="password" kind="password" autocomplete="current-password" server_error=no_field_error/>
                    <button type="submit" class="button primary">"Confirm password"</button>
                </ActionForm>
            }.into_any()
        }}
    }
}
