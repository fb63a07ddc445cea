//! Pages of Manage > Users kept between changes, so that looking at the
//! same page again costs the session lookup alone.
//!
//! A page is kept under its account's users version, which the database
//! raises with every change the page shows (see the `users_version`
//! migration) and the session lookup reads; a change on any server sharing
//! the database makes the next view read afresh. A kept page also expires:
//! when an invitation on it runs out (its status changes with the clock),
//! and after [`KEEP_FOR`], since "Last active" is not part of the version.
//!
//! A whole view is kept too: the HTML last sent to a session for an address
//! of Manage > Users, made from a kept page. While that page is still the
//! one kept (nothing it shows has changed, and it has not expired), the
//! same session asking for the same address gets the same HTML again without
//! rendering anything, with this response's script nonce and a new request
//! key for Add User in place of the first ones (see [`kept_view`]).

use std::{
    sync::{Arc, OnceLock, Weak},
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{view_html::ViewHtml, UsersPage, UsersQuery};
use crate::{
    domain::Role,
    session::{UsersVersion, Viewer},
    single_flight::{Making, SingleFlight},
    state::AppState,
};

/// How long a page is kept at most: "Last active" is written once a minute
/// per session, so it may show up to this much later than that.
pub const KEEP_FOR: Duration = Duration::from_secs(30);

/// Pages kept at most unless the deployment says otherwise, and views (a
/// 50-row page is about 80 KB with its table's HTML and a view about 90 KB,
/// so about 22 MB in all).
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

impl Kept {
    /// Nothing on the page has changed by itself, and "Last active" is recent enough.
    fn fresh(&self, now: DateTime<Utc>) -> bool {
        self.kept_at.elapsed() < KEEP_FOR && self.changes_at.is_none_or(|at| now < at)
    }
}

/// A view's HTML as sent to one session for one address.
#[derive(Clone)]
struct KeptView {
    /// Who it was made for, as the session lookup found them then (their
    /// name, role, permissions and clock are on the page).
    viewer: Viewer,
    /// The kept page it shows: the view lasts while that page is kept.
    page: Weak<UsersPage>,
    html: ViewHtml,
}

/// A session and an address (path and query, as the browser sent them).
pub type ViewKey = (Uuid, String);

/// Add User's request key for the view this request renders: chosen by
/// the server's kept-views layer, so that a kept view can swap it for a new
/// one. Without it (a server function called directly) a key is made here.
#[derive(Clone, Copy, Debug)]
pub struct ViewRequestKey(pub Uuid);

/// Kept in the server's state (see [`AppState::part`]); a server given none
/// keeps no pages.
#[derive(Clone)]
pub struct UsersPageCache {
    /// `None` when the deployment keeps no pages.
    pages: Option<Arc<quick_cache::sync::Cache<Key, Kept>>>,
    /// As many views as pages (a view of 50 rows is about 90 KB).
    views: Option<Arc<quick_cache::sync::Cache<ViewKey, KeptView>>>,
    /// When a kept page or view expires or changes, the many requests for
    /// it then are served by one read and one rendering, not one each.
    reading: Arc<SingleFlight<Key>>,
    rendering: Arc<SingleFlight<ViewKey>>,
}

impl UsersPageCache {
    /// Keeps up to `capacity` pages; 0 keeps none (every view reads afresh).
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            pages: (capacity > 0).then(|| Arc::new(quick_cache::sync::Cache::new(capacity))),
            views: (capacity > 0).then(|| Arc::new(quick_cache::sync::Cache::new(capacity))),
            reading: Arc::default(),
            rendering: Arc::default(),
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
    let cache = state.part::<UsersPageCache>();
    let pages = cache.and_then(|cache| cache.pages.as_deref());
    let key = version
        .filter(|_| pages.is_some())
        .map(|version| Key::new(viewer, version, query));
    let request_key = leptos::prelude::with_context::<http::request::Parts, _>(|parts| {
        parts.extensions.get::<ViewRequestKey>().copied()
    })
    .flatten()
    .map_or_else(Uuid::new_v4, |ViewRequestKey(key)| key);
    let kept = || {
        let kept = pages?.get(key.as_ref()?)?;
        kept.fresh(now).then(|| {
            let mut page = UsersPage::clone(&kept.page);
            page.add_user.request_key = request_key;
            page
        })
    };
    if let Some(page) = kept() {
        return Ok(page);
    }
    let _reading = match (cache, &key) {
        (Some(cache), Some(key)) => Some(cache.reading.wait_turn(key).await),
        _ => None,
    };
    if let Some(page) = kept() {
        return Ok(page);
    }
    let mut page = super::store::list(&state.pool, viewer, query, now).await?;
    page.add_user.request_key = request_key;
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

/// Whether the view at `path_and_query` may be kept: Manage > Users itself,
/// without the notice of an action just taken (it reads more than the page).
pub fn may_keep_view(path: &str, query: Option<&str>) -> bool {
    path == "/manage/users"
        && !url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .any(|(name, _)| name == "done" || name == "user")
}

/// The kept page a view of `query` (with its address) would show.
fn kept_page(
    state: &AppState,
    viewer: &Viewer,
    version: UsersVersion,
    query: Option<&str>,
) -> Option<Arc<UsersPage>> {
    let params: Vec<(String, String)> =
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let query = UsersQuery::from_params(|name| {
        params
            .iter()
            .find(|(param, _)| param == name)
            .map(|(_, value)| value.clone())
    });
    let kept = state
        .part::<UsersPageCache>()?
        .pages
        .as_ref()?
        .get(&Key::new(viewer, version, &query))?;
    kept.fresh(state.now()).then_some(kept.page)
}

/// The view kept for this session at `path_and_query` if the page it shows
/// is still the kept one and the viewer is as they were, with `nonce` and
/// `request_key` in place of the ones it was first sent with.
pub fn kept_view(
    state: &AppState,
    viewer: &Viewer,
    version: UsersVersion,
    path_and_query: &http::uri::PathAndQuery,
    nonce: &str,
    request_key: Uuid,
) -> Option<String> {
    let views = state.part::<UsersPageCache>()?.views.as_ref()?;
    let view = views.get(&(viewer.session_id, path_and_query.as_str().to_owned()))?;
    let page = kept_page(state, viewer, version, path_and_query.query())?;
    if view.viewer != *viewer || !Weak::ptr_eq(&view.page, &Arc::downgrade(&page)) {
        return None;
    }
    Some(view.html.with(nonce, &request_key.to_string()))
}

/// Waits while another request of this session renders the view at
/// `path_and_query`, so that this one may find it kept (look again with
/// [`kept_view`]) instead of rendering it too; `None` when no views are
/// kept. Rendering happens while the returned turn is held.
pub async fn wait_to_render<'a>(
    state: &'a AppState,
    viewer: &Viewer,
    path_and_query: &http::uri::PathAndQuery,
) -> Option<Making<'a, ViewKey>> {
    let cache = state.part::<UsersPageCache>()?;
    cache.views.as_ref()?;
    let key = (viewer.session_id, path_and_query.as_str().to_owned());
    Some(cache.rendering.wait_turn(&key).await)
}

/// Keeps `html`, the view just rendered for this session at
/// `path_and_query` with `nonce` and `request_key`, while the page it
/// shows is kept.
pub fn keep_view(
    state: &AppState,
    viewer: &Viewer,
    version: UsersVersion,
    path_and_query: &http::uri::PathAndQuery,
    html: &str,
    nonce: &str,
    request_key: Uuid,
) {
    let Some(views) = state
        .part::<UsersPageCache>()
        .and_then(|cache| cache.views.as_ref())
    else {
        return;
    };
    let Some(page) = kept_page(state, viewer, version, path_and_query.query()) else {
        return;
    };
    let Some(html) = ViewHtml::cut(html, nonce, &request_key.to_string()) else {
        return;
    };
    views.insert(
        (viewer.session_id, path_and_query.as_str().to_owned()),
        KeptView {
            viewer: viewer.clone(),
            page: Arc::downgrade(&page),
            html,
        },
    );
}

#[cfg(test)]
mod tests {
    use super::may_keep_view;

    #[test]
    fn only_manage_users_without_a_notice_is_kept() {
        assert!(may_keep_view("/manage/users", None));
        assert!(may_keep_view(
            "/manage/users",
            Some("sort=email&dir=desc&q=ada&page=2&after=00000000-0000-0000-0000-000000000000")
        ));
        assert!(may_keep_view("/manage/users", Some("add=1")));
        assert!(!may_keep_view("/manage/users", Some("done=invited&user=x")));
        assert!(!may_keep_view("/manage/users", Some("sort=name&user=x")));
        assert!(!may_keep_view("/manage/users/invite-from-csv", None));
        assert!(!may_keep_view("/manage/users/x/profile", None));
    }
}
