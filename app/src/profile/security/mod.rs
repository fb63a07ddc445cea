//! The Security section: one's own two-factor setup (from the two-factor
//! area), or, for an admin, whether a user has it on.

use leptos::prelude::*;

use super::section_screen::{SectionScreen, SectionView};
use crate::{
    profile::ProfileView,
    two_factor::{
        get_security_status, DisableTwoFactor, EnableTwoFactor, OwnSecuritySection,
        RegenerateRecoveryCodes,
    },
};

pub(super) fn section(screen: SectionScreen) -> SectionView {
    if !screen.own {
        return SectionView::new(|profile| view! { <SecuritySection profile/> }.into_any());
    }
    let enable = screen.action::<EnableTwoFactor>();
    let disable = screen.action::<DisableTwoFactor>();
    let regenerate = screen.action::<RegenerateRecoveryCodes>();
    let status = screen.load(|_| get_security_status());
    SectionView::with_data(status, move |_, status| {
        view! { <OwnSecuritySection status enable disable regenerate/> }.into_any()
    })
}

/// An admin's view of a user's Security: the two-factor status, and no
/// control that would set it up for them.
#[component]
fn SecuritySection(profile: ProfileView) -> impl IntoView {
    let status = if profile.two_factor_enabled {
        "Two-factor authentication is on."
    } else {
        "Two-factor authentication is off."
    };
    view! {
        <p><strong>{status}</strong></p>
        <p class="muted">
            {format!("Only {} can set up or turn off two-factor authentication, from their own profile.", profile.name)}
        </p>
    }
}
