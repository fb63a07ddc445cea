//! Pages of Manage > Users kept between changes, so that looking at the
//! same page again costs the session lookup alone.
//!
//! A page is kept under its account's users version, which the database
//! raises with every change the page shows (see the `users_version`
//! migration) and the session lookup reads; a change on any server sharing
//! the database makes the next view read afresh. A kept page also expires:
//! when an invitation on it runs out (its status changes with the clock),
//! and after [`KEEP_FOR`], since "Last active" is not part of the version.

use std::{
    sync::{Arc, OnceLock},
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{UsersPage, UsersQuery};
use crate::{
    domain::Role,
    session::{UsersVersion, Viewer},
    state::AppState,
};

/// How long a page is kept at most: "Last active" is written once a minute
/// per session, so it may show up to this much later than that.
pub const KEEP_FOR: Duration = Duration::from_secs(30);

/// Pages kept at most unless the deployment says otherwise (a 50-row page
/// is about 80 KB with its table's HTML, so about 10 MB in all).
pub const DEFAULT_CAPACITY: usize = 128;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    account_id: Uuid,
    version: i64,
    /// Administrators see the Owner's row without its links and menu.
    viewer_is_owner: bool,
    /// Times are shown in the viewer's zone and clock.
    timezone: String,
    time_format: String,
    query: UsersQuery,
}

impl Key {
    fn new(viewer: &Viewer, UsersVersion(version): UsersVersion, query: &UsersQuery) -> Self {
        Self {
            account_id: viewer.account_id,
            version,
            viewer_is_owner: viewer.role == Role::Owner,
            timezone: viewer.timezone.clone(),
            time_format: viewer.time_format.clone(),
            query: query.clone(),
        }
    }
}

#[derive(Clone)]
struct Kept {
    page: Arc<UsersPage>,
    /// The table's HTML, rendered by the first view that shows it.
    table_markup: Arc<OnceLock<Arc<str>>>,
    kept_at: Instant,
    /// The first moment a status on the page changes by itself (an
    /// invitation expiring).
    changes_at: Option<DateTime<Utc>>,
}

/// Kept in the server's state (see [`AppState::part`]); a server given none
/// keeps no pages.
#[derive(Clone)]
pub struct UsersPageCache {
    /// `None` when the deployment keeps no pages.
    pages: Option<Arc<quick_cache::sync::Cache<Key, Kept>>>,
}

impl UsersPageCache {
    /// Keeps up to `capacity` pages; 0 keeps none (every view reads afresh).
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            pages: (capacity > 0).then(|| Arc::new(quick_cache::sync::Cache::new(capacity))),
        }
    }
}

impl Default for UsersPageCache {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }
}

/// A page of the viewer's account's live users: the kept one if nothing it
/// shows has changed, otherwise read (and kept). The notice and Add User's
/// request key are never kept.
pub async fn list(
    state: &AppState,
    viewer: &Viewer,
    version: Option<UsersVersion>,
    query: &UsersQuery,
) -> anyhow::Result<UsersPage> {
    let now = state.now();
    let key = version.map(|version| Key::new(viewer, version, query));
    let pages = state
        .part::<UsersPageCache>()
        .and_then(|cache| cache.pages.as_deref());
    let key = key.filter(|_| pages.is_some());
    if let Some(kept) = key.as_ref().and_then(|key| pages?.get(key)) {
        if kept.kept_at.elapsed() < KEEP_FOR && kept.changes_at.is_none_or(|at| now < at) {
            let mut page = UsersPage::clone(&kept.page);
            page.add_user.request_key = Uuid::new_v4();
            return Ok(page);
        }
    }
    let page = super::store::list(&state.pool, viewer, query, now).await?;
    if let (Some(key), Some(pages)) = (key, pages) {
        let changes_at = page
            .rows
            .iter()
            .filter_map(|row| row.invite_expires_at)
            .filter(|at| *at > now)
            .min();
        pages.insert(
            key,
            Kept {
                page: Arc::new(page.clone()),
                table_markup: Arc::default(),
                kept_at: Instant::now(),
                changes_at,
            },
        );
    }
    Ok(page)
}

/// The HTML of the users table showing `rows` for `query` in the current
/// request: kept with the page it belongs to (rendered by `render` the first
/// time), or just rendered when no page is kept for these very rows.
pub fn table_markup(
    rows: Vec<super::UserRow>,
    query: UsersQuery,
    render: impl FnOnce(Vec<super::UserRow>, UsersQuery) -> Arc<str>,
) -> Arc<str> {
    let state = crate::state::use_state();
    let kept = leptos::prelude::with_context::<http::request::Parts, _>(|parts| {
        let viewer = parts.extensions.get::<Viewer>()?;
        let version = *parts.extensions.get::<UsersVersion>()?;
        state
            .part::<UsersPageCache>()?
            .pages
            .as_ref()?
            .get(&Key::new(viewer, version, &query))
    })
    .flatten();
    match kept {
        Some(kept) if kept.page.rows == rows => kept
            .table_markup
            .get_or_init(|| render(rows, query))
            .clone(),
        _ => render(rows, query),
    }
}
