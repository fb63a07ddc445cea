//! What every section's server function starts and ends with: who is
//! asking about whose profile, and where the browser goes back to.

use super::{ProfileError, Section};

/// Where a saved section goes back to, with its "saved" notice.
fn section_path(
    viewer: &crate::session::Viewer,
    target: Option<uuid::Uuid>,
    id: uuid::Uuid,
    section: Section,
) -> String {
    let segment = section.segment();
    if target.is_none() && id == viewer.user_id {
        format!("/profile/{segment}?saved=1")
    } else {
        format!("/manage/users/{id}/{segment}?saved=1")
    }
}

/// What every section's save starts with: the signed-in viewer, whose
/// profile (`user` empty: their own) and the version the form was read at.
pub fn section_call(
    user: &str,
    version: &str,
) -> Result<(crate::session::Viewer, Option<uuid::Uuid>, i64), ProfileError> {
    let viewer = crate::session::Viewer::current().ok_or(ProfileError::SignInRequired)?;
    let target = target(user)?;
    let version = version
        .trim()
        .parse::<i64>()
        .map_err(|_| ProfileError::Stale)?;
    Ok((viewer, target, version))
}

/// What a section's change without a version check starts with: the
/// signed-in viewer and whose profile (`user` empty: their own).
pub fn section_call_without_version(
    user: &str,
) -> Result<(crate::session::Viewer, Option<uuid::Uuid>), ProfileError> {
    let viewer = crate::session::Viewer::current().ok_or(ProfileError::SignInRequired)?;
    Ok((viewer, target(user)?))
}

/// Sends a browser without JavaScript back to the section it changed.
pub fn redirect_to_section(
    viewer: &crate::session::Viewer,
    target: Option<uuid::Uuid>,
    id: uuid::Uuid,
    section: Section,
) {
    leptos_axum::redirect(&section_path(viewer, target, id, section));
}

pub fn target(user: &str) -> Result<Option<uuid::Uuid>, ProfileError> {
    if user.trim().is_empty() {
        Ok(None)
    } else {
        uuid::Uuid::parse_str(user.trim())
            .map(Some)
            .map_err(|_| ProfileError::NotFound)
    }
}

/// The ids a list of checkboxes sent (`field`), each once: at most 501 are
/// read; one that is not an id is refused with `message`, next to the field.
pub fn chosen_ids(
    raw: &[String],
    field: &str,
    message: &str,
) -> Result<Vec<uuid::Uuid>, ProfileError> {
    let mut ids = Vec::with_capacity(raw.len().min(501));
    for raw in raw.iter().take(501) {
        let id = uuid::Uuid::parse_str(raw.trim()).map_err(|_| {
            ProfileError::Invalid(crate::domain::FieldErrors::single(field, message))
        })?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FormError as _;

    #[test]
    fn chosen_ids_are_each_taken_once_and_anything_else_is_refused() {
        let id = uuid::Uuid::new_v4().to_string();
        let ids = chosen_ids(&[id.clone(), format!(" {id} ")], "teams", "Choose.").unwrap();
        assert_eq!(ids.len(), 1);
        let refused = chosen_ids(&[id, "x".into()], "teams", "Choose.").unwrap_err();
        assert_eq!(refused.field("teams").as_deref(), Some("Choose."));
        let many: Vec<String> = (0..600).map(|_| uuid::Uuid::new_v4().to_string()).collect();
        assert_eq!(chosen_ids(&many, "teams", "Choose.").unwrap().len(), 501);
    }
}
