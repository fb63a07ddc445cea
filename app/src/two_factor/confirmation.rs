//! Confirming who is at the keyboard before a change that cannot be taken
//! back by the person making it: handing over ownership, deleting a user.
//! The acting person's password does it, or, when they have two-factor on,
//! a code from their app. Wrong ones count toward the same locks as at
//! sign-in, so a session left open is no way to guess either.

use super::{
    codes::{consume_code, normalise, CodeCheck},
    store::is_enabled,
};
use crate::{
    change::Change,
    request::RequestInfo,
    session::{password_check::is_current_password, Viewer},
    state::AppState,
};

/// What the person typed came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confirmation {
    Confirmed,
    Missing,
    WrongPassword,
    WrongCode,
    /// Too many wrong codes in a row: the password still works.
    CodesRefused,
}

impl Confirmation {
    /// `Ok` when confirmed; otherwise what to say beside the field.
    pub fn or_message(self) -> Result<(), &'static str> {
        match self {
            Confirmation::Confirmed => Ok(()),
            Confirmation::Missing => Err("Enter your password to confirm."),
            Confirmation::WrongPassword => Err("That password is not right."),
            Confirmation::WrongCode => {
                Err("That code is not right. Enter the 6 digits your app shows now.")
            }
            Confirmation::CodesRefused => {
                Err("Too many wrong codes in a row. Enter your password instead.")
            }
        }
    }
}

/// Checks `typed` as a 6-digit code when the user has two-factor on and it
/// looks like one (no password is that short), else as their password.
pub async fn confirm_identity(
    state: &AppState,
    viewer: &Viewer,
    typed: &str,
    request: &RequestInfo,
) -> anyhow::Result<Confirmation> {
    if typed.trim().is_empty() {
        return Ok(Confirmation::Missing);
    }
    let code = normalise(typed);
    if code.len() == 6
        && code.bytes().all(|b| b.is_ascii_digit())
        && is_enabled(state, viewer.user_id).await?
    {
        let mut change = Change::begin(
            state,
            viewer.account_id,
            Some(viewer.user_id),
            request,
            "checking a confirmation code",
        )
        .await?;
        let checked = consume_code(state, &mut change, viewer.user_id, &code).await?;
        // A wrong code counts whatever the answer.
        change.commit().await?;
        return Ok(match checked {
            CodeCheck::Accepted => Confirmation::Confirmed,
            CodeCheck::Wrong => Confirmation::WrongCode,
            CodeCheck::Refused { .. } => Confirmation::CodesRefused,
        });
    }
    Ok(
        if is_current_password(state, viewer.user_id, typed, request).await? {
            Confirmation::Confirmed
        } else {
            Confirmation::WrongPassword
        },
    )
}
