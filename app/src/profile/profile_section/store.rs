//! Saving the Profile section's fields, and changing one's email.

use anyhow::Context as _;
use uuid::Uuid;

use crate::profile::access::begin_save;
use crate::profile::{ProfileError, ProfileUpdate};
use crate::{audit::Action, request::RequestInfo, session::Viewer, state::AppState};

/// Saves the Profile section if nobody changed the profile since `version`.
pub async fn save(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    update: &ProfileUpdate,
    version: i64,
    request: &RequestInfo,
) -> Result<Uuid, ProfileError> {
    if !chrono_tz::TZ_VARIANTS
        .iter()
        .any(|zone| zone.name() == update.timezone)
    {
        return Err(ProfileError::Invalid(crate::domain::FieldErrors::single(
            "timezone",
            "Choose a time zone from the list.",
        )));
    }
    let (mut change, before) =
        begin_save(state, viewer, target, version, request, "a profile save").await?;
    let now = change.now;
    let mut changes = serde_json::Map::new();
    if let Some(repeated) = update
        .alternate_emails
        .iter()
        .find(|alternate| alternate.eq_ignore_ascii_case(&before.email))
    {
        return Err(ProfileError::Invalid(crate::domain::FieldErrors::single(
            "alternate_emails",
            format!("{repeated} is already the main email address."),
        )));
    }
    sqlx::query!(
        "UPDATE users SET name = $2, job_title = $3, phone = $4, pronouns = $5, timezone = $6,
                          time_format = $7, updated_at = $8, alternate_emails = $9
         WHERE id = $1",
        before.id,
        update.name.as_str(),
        update.job_title,
        update.phone,
        update.pronouns,
        update.timezone,
        update.time_format.as_str(),
        now,
        &update.alternate_emails
    )
    .execute(change.conn())
    .await
    .context("saving a profile")?;
    if before.alternate_emails != update.alternate_emails {
        changes.insert(
            "alternate_emails".to_owned(),
            serde_json::json!({ "old": before.alternate_emails, "new": update.alternate_emails }),
        );
    }
    let pairs = [
        ("name", before.name.as_str(), update.name.as_str()),
        (
            "job_title",
            before.job_title.as_str(),
            update.job_title.as_str(),
        ),
        ("phone", before.phone.as_str(), update.phone.as_str()),
        (
            "pronouns",
            before.pronouns.as_str(),
            update.pronouns.as_str(),
        ),
        (
            "timezone",
            before.timezone.as_str(),
            update.timezone.as_str(),
        ),
        (
            "time_format",
            before.time_format.as_str(),
            update.time_format.as_str(),
        ),
    ];
    for (field, old, new) in pairs {
        if old != new {
            changes.insert(
                field.to_owned(),
                serde_json::json!({ "old": old, "new": new }),
            );
        }
    }
    change
        .record(
            Action::ProfileUpdated,
            Some(before.id),
            serde_json::Value::Object(changes),
        )
        .await?;
    change.commit().await?;
    Ok(before.id)
}

/// Changes a user's email address. People changing their own confirm their
/// password first; the old address is told, and unused reset and invite
/// links die.
pub async fn change_email(
    state: &AppState,
    viewer: &Viewer,
    target: Option<Uuid>,
    email: &crate::domain::Email,
    current_password: &str,
    version: i64,
    request: &RequestInfo,
) -> Result<Uuid, ProfileError> {
    let invalid = |field: &str, message: &str| {
        ProfileError::Invalid(crate::domain::FieldErrors::single(field, message))
    };
    let own = target.is_none_or(|id| id == viewer.user_id);
    if own
        && !crate::session::password_check::is_current_password(
            state,
            viewer.user_id,
            current_password,
            request,
        )
        .await?
    {
        return Err(invalid(
            "current_password",
            "That is not your current password.",
        ));
    }
    let (mut change, before) =
        begin_save(state, viewer, target, version, request, "an email change").await?;
    let now = change.now;
    if before.email == email.as_str() {
        change
            .commit()
            .await
            .context("committing an unchanged email")?;
        return Ok(before.id);
    }
    let taken = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM users
               WHERE lower(email) = lower($1) AND deleted_at IS NULL AND id <> $2) AS "taken!""#,
        email.as_str(),
        before.id
    )
    .fetch_one(change.conn())
    .await
    .context("checking an email address")?;
    if taken {
        return Err(invalid("email", "That email address is already in use."));
    }
    let updated = sqlx::query!(
        "UPDATE users SET email = $2, updated_at = $3,
                alternate_emails = array_remove(alternate_emails, $2)
         WHERE id = $1",
        before.id,
        email.as_str(),
        now
    )
    .execute(change.conn())
    .await;
    match updated {
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            return Err(invalid("email", "That email address is already in use."));
        }
        other => {
            other.context("changing an email address")?;
        }
    }
    crate::auth::reset_links::revoke_reset_links(change.conn(), before.id, now).await?;
    crate::invitations::store::revoke_open(change.conn(), before.id, now).await?;
    let message = crate::email::templates::email_changed(
        &before.email,
        &before.name,
        email.as_str(),
        (!own).then_some(viewer.name.as_str()),
    );
    change.send(&state.settings, message).await?;
    change
        .record(
            Action::EmailChanged,
            Some(before.id),
            serde_json::json!({ "old": before.email, "new": email.as_str() }),
        )
        .await?;
    change.commit().await?;
    Ok(before.id)
}
