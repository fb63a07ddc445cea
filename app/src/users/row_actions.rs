use leptos::prelude::*;

use super::UsersError;

/// Sends (or resends) a user's invite email with a new link.
#[server(endpoint = "users/send-invite")]
pub async fn send_invite(user_id: String) -> Result<(), UsersError> {
    use crate::{error::respond, request::RequestInfo, state::use_state};

    let viewer = crate::session::Viewer::user_manager::<UsersError>().map_err(respond)?;
    let user_id = uuid::Uuid::parse_str(&user_id).map_err(|_| respond(UsersError::NotFound))?;
    super::admin_actions::send_invite(&use_state(), &viewer, user_id, &RequestInfo::current())
        .await
        .map_err(respond)?;
    leptos_axum::redirect(&format!("/manage/users?done=invited&user={user_id}"));
    Ok(())
}

/// Emails a user a password reset link.
#[server(endpoint = "users/send-password-reset")]
pub async fn send_password_reset(user_id: String) -> Result<(), UsersError> {
    use crate::{error::respond, request::RequestInfo, state::use_state};

    let viewer = crate::session::Viewer::user_manager::<UsersError>().map_err(respond)?;
    let user_id = uuid::Uuid::parse_str(&user_id).map_err(|_| respond(UsersError::NotFound))?;
    super::admin_actions::send_password_reset(
        &use_state(),
        &viewer,
        user_id,
        &RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    leptos_axum::redirect(&format!("/manage/users?done=reset&user={user_id}"));
    Ok(())
}

/// Revokes a user's open invite link without sending another: the link
/// stops working and the users table says "Invite revoked".
#[server(endpoint = "users/revoke-invite")]
pub async fn revoke_invite(user_id: String) -> Result<(), UsersError> {
    use crate::{error::respond, request::RequestInfo, state::use_state};

    let viewer = crate::session::Viewer::user_manager::<UsersError>().map_err(respond)?;
    let user_id = uuid::Uuid::parse_str(&user_id).map_err(|_| respond(UsersError::NotFound))?;
    super::admin_actions::revoke_invite(&use_state(), &viewer, user_id, &RequestInfo::current())
        .await
        .map_err(respond)?;
    leptos_axum::redirect(&format!("/manage/users?done=invite_revoked&user={user_id}"));
    Ok(())
}
