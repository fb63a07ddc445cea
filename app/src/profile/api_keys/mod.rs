//! The API Keys section (its keys and their store are the credentials
//! area's).

use leptos::prelude::*;

use super::section_screen::{user_field, SectionScreen, SectionView};
use crate::credentials::{get_credentials, ApiKeysSection, CreateApiKey, RevokeApiKey};

pub(super) fn section(screen: SectionScreen) -> SectionView {
    let create = screen.action::<CreateApiKey>();
    let revoke = screen.action::<RevokeApiKey>();
    let credentials = screen.load(get_credentials);
    SectionView::with_data(credentials, move |profile, credentials| {
        let user = user_field(&profile);
        view! {
            <ApiKeysSection credentials is_self=profile.is_self name=profile.name user create revoke/>
        }
        .into_any()
    })
}
