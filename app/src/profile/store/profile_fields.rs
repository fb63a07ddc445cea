//! Saving the Profile section's fields, and changing one's email.

use anyhow::Context as _;
use uuid::Uuid;

use super::lock_for_save;
use crate::profile::{ProfileError, ProfileUpdate};
use crate::{
    audit::{self, Action, AuditEvent},
    request::RequestInfo,
    session::Viewer,
    state::AppState,
};

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
    let now = state.now();
    let mut tx = state
        .pool
        .begin()
        .await
        .context("starting a profile save")?;
    let before = lock_for_save(&mut tx, viewer, target, version).await?;
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
    .execute(&mut *tx)
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
    let event = AuditEvent {
        account_id: viewer.account_id,
        actor: Some(viewer.user_id),
        target: Some(before.id),
        action: Action::ProfileUpdated,
        details: serde_json::Value::Object(changes),
    };
    audit::record(&mut tx, event, request, now).await?;
    tx.commit().await.context("committing a profile save")?;
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
) -> Result<Uuid, ProfileError> {
    let invalid = |field: &str, message: &str| {
        ProfileError::Invalid(crate::domain::FieldErrors::single(field, message))
    };
    let own = target.is_none_or(|id| id == viewer.user_id);
    if own
        && !crate::auth::store::is_current_password(state, viewer.user_id, current_password).await?
    {
        return Err(invalid(
            "current_password",
            "That is not your current password.",
        ));
    }
    let now = state.now();
    let mut tx = state
        .pool
        .begin()
        .await
        .context("starting an email change")?;
    let before = lock_for_save(&mut tx, viewer, target, version).await?;
    if before.email == email.as_str() {
        tx.commit().await.context("committing an unchanged email")?;
        return Ok(before.id);
    }
    let taken = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM users
               WHERE lower(email) = lower($1) AND deleted_at IS NULL AND id <> $2) AS "taken!""#,
        email.as_str(),
        before.id
    )
    .fetch_one(&mut *tx)
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
    .execute(&mut *tx)
    .await;
    match updated {
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            return Err(invalid("email", "That email address is already in use."));
        }
        other => {
            other.context("changing an email address")?;
        }
    }
    crate::auth::reset_links::revoke_reset_links(&mut tx, before.id, now).await?;
    crate::invitations::store::revoke_open(&mut tx, before.id, now).await?;
    let message = crate::email::templates::email_changed(
        &before.email,
        &before.name,
        email.as_str(),
        (!own).then_some(viewer.name.as_str()),
    );
    crate::email::enqueue(&mut tx, &state.settings, Some(viewer.account_id), message).await?;
    let event = AuditEvent {
        account_id: viewer.account_id,
        actor: Some(viewer.user_id),
        target: Some(before.id),
        action: Action::EmailChanged,
        details: serde_json::json!({ "old": before.email, "new": email.as_str() }),
    };
    audit::record(&mut tx, event, &RequestInfo::current(), now).await?;
    tx.commit().await.context("committing an email change")?;
    Ok(before.id)
}
