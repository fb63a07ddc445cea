//! The My Apps section (the apps and their store are the credentials
//! area's).

use leptos::prelude::*;

use super::section_screen::{user_field, SectionScreen, SectionView};
use crate::credentials::{get_credentials, CreateOauthApp, DeleteOauthApp, MyAppsSection};

pub(super) fn section(screen: SectionScreen) -> SectionView {
    let create = screen.action::<CreateOauthApp>();
    let delete = screen.action::<DeleteOauthApp>();
    let credentials = screen.load(get_credentials);
    SectionView::with_data(credentials, move |profile, credentials| {
        let user = user_field(&profile);
        view! {
            <MyAppsSection credentials is_self=profile.is_self name=profile.name user create delete/>
        }
        .into_any()
    })
}
