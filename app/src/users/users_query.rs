use serde::{Deserialize, Serialize};

use super::{InboxChoice, UserRow};
use crate::domain::{dollars, grouped, query_value, Permission, Role};

pub const PAGE_SIZE: i64 = 50;
const MAX_SEARCH_CHARS: usize = 100;
/// The value of `deactivated` that lists deactivated users too.
pub const SHOW_DEACTIVATED: &str = "show";

/// A column the users table sorts by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SortKey {
    #[default]
    Name,
    Email,
    Role,
    LastActive,
}

impl SortKey {
    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Name => "name",
            SortKey::Email => "email",
            SortKey::Role => "role",
            SortKey::LastActive => "last_active",
        }
    }

    /// Unknown values fall back to the default rather than failing: they
    /// come from links and bookmarks.
    pub fn parse(raw: &str) -> Self {
        match raw {
            "email" => SortKey::Email,
            "role" => SortKey::Role,
            "last_active" => SortKey::LastActive,
            _ => SortKey::Name,
        }
    }
}

/// What the users table shows: a search, a sort, a page. Parsed from the
/// URL's query, so every view has an address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UsersQuery {
    pub search: String,
    pub sort: SortKey,
    pub descending: bool,
    /// From 1.
    pub page: i64,
    /// Where the page starts, when it was reached by Next or Previous.
    pub from: Option<Boundary>,
    /// Whether deactivated users are listed too (`deactivated=show`).
    pub show_deactivated: bool,
    /// Only users who have this feature permission (`permission=…`), as
    /// their Feature Permissions section explains it.
    pub permission: Option<Permission>,
}

/// A page reached by Next starts right after the last user of the page
/// before; by Previous, it ends right before the first one. Walking from a
/// user rather than counting rows costs the same on every page, and nobody
/// is skipped or shown twice when users are added or deleted meanwhile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Boundary {
    After(uuid::Uuid),
    Before(uuid::Uuid),
}

impl Boundary {
    /// As the users-list server function takes it: `after:ID` or `before:ID`.
    pub fn to_param(self) -> String {
        match self {
            Boundary::After(id) => format!("after:{id}"),
            Boundary::Before(id) => format!("before:{id}"),
        }
    }

    /// The reverse of [`Boundary::to_param`]; anything else is no boundary.
    pub fn from_param(param: &str) -> Option<Self> {
        Self::parse(param.strip_prefix("after:"), param.strip_prefix("before:"))
    }

    fn parse(after: Option<&str>, before: Option<&str>) -> Option<Self> {
        let id = |raw: Option<&str>| raw.and_then(|raw| uuid::Uuid::parse_str(raw.trim()).ok());
        id(after)
            .map(Boundary::After)
            .or_else(|| id(before).map(Boundary::Before))
    }
}

impl UsersQuery {
    pub fn parse(
        search: Option<&str>,
        sort: Option<&str>,
        dir: Option<&str>,
        page: Option<&str>,
        after: Option<&str>,
        before: Option<&str>,
    ) -> Self {
        let search: String = search
            .unwrap_or_default()
            .trim()
            .chars()
            .filter(|c| !c.is_control())
            .take(MAX_SEARCH_CHARS)
            .collect();
        Self {
            search,
            sort: SortKey::parse(sort.unwrap_or_default()),
            descending: dir == Some("desc"),
            page: page
                .and_then(|p| p.parse::<i64>().ok())
                .filter(|p| (1..=1_000_000).contains(p))
                .unwrap_or(1),
            from: Boundary::parse(after, before),
            show_deactivated: false,
            permission: None,
        }
    }

    /// The view an address of Manage > Users asks for, from its parameters
    /// (`param` gives a parameter's decoded value): the page itself and the
    /// server's kept views (see `page_cache`) read it the same way.
    pub fn from_params(param: impl Fn(&str) -> Option<String>) -> Self {
        Self::parse(
            param("q").as_deref(),
            param("sort").as_deref(),
            param("dir").as_deref(),
            param("page").as_deref(),
            param("after").as_deref(),
            param("before").as_deref(),
        )
        .showing_deactivated(param("deactivated").as_deref())
        .with_permission(param("permission").as_deref())
    }

    /// This view, listing only users with `permission` (a stored name such
    /// as `manage_workflows`; anything else, or nothing, lists everyone).
    pub fn with_permission(self, permission: Option<&str>) -> Self {
        Self {
            permission: permission
                .and_then(|raw| Permission::from_stored(raw.trim()))
                .filter(|p| *p != Permission::ManageBilling),
            ..self
        }
    }

    /// Whether rows are picked by more than the account's live users
    /// (a search or a permission): their count is then counted, not kept.
    pub fn filters(&self) -> bool {
        !self.search.is_empty() || self.permission.is_some()
    }

    /// This view, listing deactivated users too when `deactivated` is
    /// `show`, as the filter's checkbox sends it.
    pub fn showing_deactivated(self, deactivated: Option<&str>) -> Self {
        Self {
            show_deactivated: deactivated == Some(SHOW_DEACTIVATED),
            ..self
        }
    }

    /// Next: the page after this one, starting after its last user.
    pub fn next_href(&self, last: uuid::Uuid) -> String {
        format!(
            "{}&after={last}",
            self.href(self.sort, self.descending, self.page + 1)
        )
    }

    /// Previous: the page before this one, ending before its first user
    /// (the first page is simply the first page).
    pub fn previous_href(&self, first: uuid::Uuid) -> String {
        let href = self.href(self.sort, self.descending, self.page - 1);
        if self.page <= 2 {
            href
        } else {
            format!("{href}&before={first}")
        }
    }

    /// The address of this view with another sort or page.
    pub fn href(&self, sort: SortKey, descending: bool, page: i64) -> String {
        let mut params = vec![
            format!("sort={}", sort.as_str()),
            format!("dir={}", if descending { "desc" } else { "asc" }),
        ];
        if !self.search.is_empty() {
            params.push(format!("q={}", query_value(&self.search)));
        }
        if self.show_deactivated {
            params.push(format!("deactivated={SHOW_DEACTIVATED}"));
        }
        if let Some(permission) = self.permission {
            params.push(format!("permission={}", permission.as_str()));
        }
        if page > 1 {
            params.push(format!("page={page}"));
        }
        format!("/manage/users?{}", params.join("&"))
    }
}

/// One page of the users table, with the billing line above it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsersPage {
    pub rows: Vec<UserRow>,
    /// Users matching the search.
    pub matching: i64,
    pub page_count: i64,
    pub billing: Billing,
    pub add_user: AddUserOptions,
    /// What the last action did, e.g. "Ada Lovelace was added."
    pub notice: Option<String>,
    /// The invite link the viewer just copied, shown to them once.
    pub copied_link: Option<super::invite_link::CopiedLink>,
}

/// What the Add User dialog offers, and the key that makes its submission
/// idempotent (a new one with every page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddUserOptions {
    pub roles: Vec<Role>,
    pub inboxes: Vec<InboxChoice>,
    pub request_key: uuid::Uuid,
}

/// Every live user counts toward monthly per-user billing; deactivated
/// users do not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Billing {
    pub billable_users: i64,
    pub deactivated_users: i64,
    pub price_per_user_cents: i64,
}

impl Billing {
    pub fn monthly_total_cents(&self) -> i64 {
        self.billable_users * self.price_per_user_cents
    }

    pub fn describe(&self) -> String {
        let people = if self.billable_users == 1 {
            "user counts"
        } else {
            "users count"
        };
        let line = format!(
            "{} {people} toward monthly billing: {} per month ({} per user).",
            grouped(self.billable_users),
            dollars(self.monthly_total_cents()),
            dollars(self.price_per_user_cents)
        );
        match self.deactivated_users {
            0 => line,
            1 => format!("{line} 1 deactivated user doesn't count."),
            n => format!("{line} {} deactivated users don't count.", grouped(n)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_links_carry_and_ignores_the_rest() {
        let id = uuid::Uuid::new_v4();
        let query = UsersQuery::parse(
            Some("  ada\u{0} "),
            Some("email"),
            Some("desc"),
            Some("3"),
            Some(&id.to_string()),
            None,
        );
        assert_eq!(
            query,
            UsersQuery {
                search: "ada".into(),
                sort: SortKey::Email,
                descending: true,
                page: 3,
                from: Some(Boundary::After(id)),
                show_deactivated: false,
                permission: None,
            }
        );
        let odd = UsersQuery::parse(
            None,
            Some("password_hash"),
            Some("sideways"),
            Some("-1"),
            Some("x"),
            Some("'; DROP TABLE users"),
        );
        assert_eq!(
            odd,
            UsersQuery {
                page: 1,
                ..UsersQuery::default()
            }
        );
        assert_eq!(
            UsersQuery::parse(None, None, None, Some("1e9"), None, None).page,
            1
        );
    }

    #[test]
    fn a_boundary_goes_to_the_server_and_back() {
        let id = uuid::Uuid::new_v4();
        for boundary in [Boundary::After(id), Boundary::Before(id)] {
            assert_eq!(Boundary::from_param(&boundary.to_param()), Some(boundary));
        }
        assert_eq!(Boundary::from_param(&id.to_string()), None);
        assert_eq!(Boundary::from_param("after:not-an-id"), None);
    }

    #[test]
    fn next_and_previous_walk_from_a_user() {
        let (first, last) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
        let mut query = UsersQuery::parse(None, None, None, Some("2"), None, None);
        assert_eq!(
            query.next_href(last),
            format!("/manage/users?sort=name&dir=asc&page=3&after={last}")
        );
        assert_eq!(
            query.previous_href(first),
            "/manage/users?sort=name&dir=asc"
        );
        query.page = 3;
        assert_eq!(
            query.previous_href(first),
            format!("/manage/users?sort=name&dir=asc&page=2&before={first}")
        );
    }

    #[test]
    fn links_keep_the_search_and_the_filter() {
        let query = UsersQuery::parse(Some("a&b"), None, None, None, None, None);
        assert_eq!(
            query.href(SortKey::Role, true, 2),
            "/manage/users?sort=role&dir=desc&q=a%26b&page=2"
        );
        let showing = query.showing_deactivated(Some("show"));
        assert!(showing.show_deactivated);
        assert_eq!(
            showing.href(SortKey::Name, false, 1),
            "/manage/users?sort=name&dir=asc&q=a%26b&deactivated=show"
        );
        assert!(
            !UsersQuery::default()
                .showing_deactivated(Some("yes"))
                .show_deactivated
        );
    }

    #[test]
    fn billing_reads_as_money() {
        let mut billing = Billing {
            billable_users: 3,
            deactivated_users: 0,
            price_per_user_cents: 2000,
        };
        assert_eq!(
            billing.describe(),
            "3 users count toward monthly billing: $60.00 per month ($20.00 per user)."
        );
        billing.deactivated_users = 2;
        assert_eq!(
            billing.describe(),
            "3 users count toward monthly billing: $60.00 per month ($20.00 per user). 2 deactivated users don't count."
        );
        billing.billable_users = 10_000;
        billing.deactivated_users = 0;
        assert_eq!(
            billing.describe(),
            "10,000 users count toward monthly billing: $200,000.00 per month ($20.00 per user)."
        );
    }
}
