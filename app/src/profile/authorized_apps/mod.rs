//! The Authorized Apps section (the grants and their store are the
//! credentials area's).

use leptos::prelude::*;

use super::section_screen::{user_field, SectionScreen, SectionView};
use crate::credentials::{get_credentials, AuthorizedAppsSection, RevokeAuthorizedApp};

pub(super) fn section(screen: SectionScreen) -> SectionView {
    let revoke = screen.action::<RevokeAuthorizedApp>();
    let credentials = screen.load(get_credentials);
    SectionView::with_data(credentials, move |profile, credentials| {
        let user = user_field(&profile);
        view! {
            <AuthorizedAppsSection credentials is_self=profile.is_self name=profile.name user revoke/>
        }
        .into_any()
    })
}
