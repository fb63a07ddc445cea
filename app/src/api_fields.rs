//! The form fields each server function accepts, so a request carrying any
//! other field (`role=owner`, `deleted_at=…`) is refused before it is read.
//!
//! The names come from the server functions' own argument structs, so they
//! cannot drift; a test checks that every registered server function is here.

use leptos::server_fn::ServerFn;
use serde_aux::serde_introspection::serde_introspect;

/// `(path, accepted fields)` for every server function.
pub fn accepted_fields() -> Vec<(&'static str, &'static [&'static str])> {
    fn entry<F>() -> (&'static str, &'static [&'static str])
    where
        F: ServerFn + for<'de> serde::Deserialize<'de>,
    {
        (F::PATH, serde_introspect::<F>())
    }
    vec![
        entry::<crate::WhereToLand>(),
        entry::<crate::auth::SignIn>(),
        entry::<crate::auth::RequestPasswordReset>(),
        entry::<crate::auth::CheckResetLink>(),
        entry::<crate::auth::ResetPassword>(),
        entry::<crate::session::GetViewer>(),
        entry::<crate::session::SignOut>(),
        entry::<crate::session::HideSecret>(),
        entry::<crate::session::ListMySessions>(),
        entry::<crate::session::ConfirmPassword>(),
        entry::<crate::session::RevokeSession>(),
        entry::<crate::session::RevokeOtherSessions>(),
        entry::<crate::setup::SetupNeeded>(),
        entry::<crate::two_factor::GetSecurityStatus>(),
        entry::<crate::two_factor::EnableTwoFactor>(),
        entry::<crate::two_factor::DisableTwoFactor>(),
        entry::<crate::two_factor::RegenerateRecoveryCodes>(),
        entry::<crate::two_factor::VerifySignInCode>(),
        entry::<crate::two_factor::GetRequiredSetUp>(),
        entry::<crate::setup::SetUpRoster>(),
        entry::<crate::users::ListUsers>(),
        entry::<crate::audit_log::ListAuditEvents>(),
        entry::<crate::users::CreateUser>(),
        entry::<crate::users::SendInvite>(),
        entry::<crate::users::SendPasswordReset>(),
        entry::<crate::users::RevokeInvite>(),
        entry::<crate::users::CopyInviteLink>(),
        entry::<crate::deletion::GetDeletionPreview>(),
        entry::<crate::deletion::DeleteUser>(),
        entry::<crate::deactivation::GetAccessPreview>(),
        entry::<crate::deactivation::DeactivateUser>(),
        entry::<crate::deactivation::ReactivateUser>(),
        entry::<crate::provisioning::GetProvisioning>(),
        entry::<crate::provisioning::GenerateScimToken>(),
        entry::<crate::provisioning::RevokeScimToken>(),
        entry::<crate::conversations::GetInboxes>(),
        entry::<crate::conversations::GetInbox>(),
        entry::<crate::workflows::GetWorkflows>(),
        entry::<crate::invitations::GetInvitation>(),
        entry::<crate::invitations::AcceptInvite>(),
        entry::<crate::oauth::authorize::GetAuthorizationPrompt>(),
        entry::<crate::oauth::authorize::AnswerAuthorization>(),
        entry::<crate::profile::GetProfile>(),
        entry::<crate::profile::UpdateProfile>(),
        entry::<crate::profile::GetTimezones>(),
        entry::<crate::profile::ChangeEmail>(),
        entry::<crate::profile::RemovePhoto>(),
        // File uploads: multipart, so their fields are read by the function.
        (
            <crate::profile::UploadPhoto as ServerFn>::PATH,
            &["user", "photo"],
        ),
        (<crate::users::CheckCsvFile as ServerFn>::PATH, &["file"]),
        entry::<crate::users::GetCsvFile>(),
        entry::<crate::users::CreateCsvUsers>(),
        entry::<crate::profile::UpdateAutoBcc>(),
        entry::<crate::profile::GetInboxAccess>(),
        entry::<crate::profile::UpdateInboxAccess>(),
        entry::<crate::profile::UpdateRole>(),
        entry::<crate::profile::UpdateNotifications>(),
        entry::<crate::profile::GetUserSessions>(),
        entry::<crate::profile::RevokeUserSessions>(),
        entry::<crate::profile::GetCredentials>(),
        entry::<crate::profile::CreateApiKey>(),
        entry::<crate::profile::RevokeApiKey>(),
        entry::<crate::profile::CreateOauthApp>(),
        entry::<crate::profile::DeleteOauthApp>(),
        entry::<crate::profile::RevokeAuthorizedApp>(),
        entry::<crate::company::GetCompanySettings>(),
        entry::<crate::company::UpdateInviteValidity>(),
        entry::<crate::company::UpdatePlan>(),
        entry::<crate::company::UpdateTwoFactorRequirement>(),
        entry::<crate::company::GetRoleDefaults>(),
        entry::<crate::company::UpdateRoleDefaults>(),
        entry::<crate::profile::GetFeaturePermissions>(),
        entry::<crate::profile::UpdateFeaturePermissions>(),
        entry::<crate::teams::GetTeams>(),
        entry::<crate::teams::CreateTeam>(),
        entry::<crate::teams::AddTeamMember>(),
        entry::<crate::teams::RemoveTeamMember>(),
        entry::<crate::profile::GetUserTeams>(),
        entry::<crate::profile::UpdateUserTeams>(),
    ]
}

/// Server functions that take a file (`multipart/form-data`), with the
/// largest body each reads.
pub fn uploads() -> Vec<(&'static str, usize)> {
    vec![
        (
            <crate::profile::UploadPhoto as ServerFn>::PATH,
            crate::profile::MAX_PHOTO_BYTES + 64 * 1024,
        ),
        (
            <crate::users::CheckCsvFile as ServerFn>::PATH,
            crate::users::csv_file::MAX_FILE_BYTES + 64 * 1024,
        ),
    ]
}

/// What a person who sent too large a file to `path` is told.
#[cfg(feature = "ssr")]
pub fn upload_too_large_message(path: &str) -> &'static str {
    if path == <crate::users::CheckCsvFile as ServerFn>::PATH {
        crate::users::csv_file::TOO_LARGE
    } else {
        crate::profile::PHOTO_TOO_LARGE
    }
}

/// Where a browser that posted a file too large for `path` without
/// JavaScript is sent back to: the page it came from (`back`, a path on
/// this site) carrying the error as a server function's own error would
/// come back, so the page shows it next to the field. `None` for a path
/// that takes no file.
#[cfg(feature = "ssr")]
pub fn upload_too_large_redirect(path: &str, back: &str) -> Option<String> {
    use crate::domain::FieldErrors;

    if path == <crate::profile::UploadPhoto as ServerFn>::PATH {
        let error = crate::profile::ProfileError::Invalid(FieldErrors::single(
            "photo",
            crate::profile::PHOTO_TOO_LARGE,
        ));
        back_with(path, back, error)
    } else if path == <crate::users::CheckCsvFile as ServerFn>::PATH {
        let error = crate::users::UsersError::Invalid(FieldErrors::single(
            "file",
            crate::users::csv_file::TOO_LARGE,
        ));
        back_with(path, back, error)
    } else {
        None
    }
}

/// `back` with `error` in its address, as a server function's error comes back.
#[cfg(feature = "ssr")]
fn back_with<E>(path: &str, back: &str, error: E) -> Option<String>
where
    E: leptos::server_fn::error::FromServerFnError,
{
    use leptos::server_fn::error::ServerFnUrlError;

    // Any base will do: only the path and query are kept.
    let url = ServerFnUrlError::new(path, error)
        .to_url(&format!("http://roster.invalid{back}"))
        .ok()?;
    Some(match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    })
}
