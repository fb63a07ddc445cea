use leptos::prelude::*;

use super::{SortKey, UserRow, UsersQuery};
use crate::domain::person_initials;

/// The table of users: who they are, their role, inboxes, status and when
/// they were last active. Sortable columns are links.
#[component]
pub fn UserTable(rows: Vec<UserRow>, query: UsersQuery) -> impl IntoView {
    let sortable = move |label: &'static str, key: SortKey| {
        let current = query.sort == key;
        let aria_sort = match (current, query.descending) {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        };
        let href = query.href(key, current && !query.descending, 1);
        view! {
            <th scope="col" aria-sort=aria_sort>
                <a href=href>{label}</a>
            </th>
        }
    };
    view! {
        <div class="table-scroll">
            <table class="user-table">
                <caption class="visually-hidden">"Users in this account"</caption>
                <thead>
                    <tr>
                        {sortable("Name", SortKey::Name)}
                        {sortable("Email", SortKey::Email)}
                        {sortable("Role", SortKey::Role)}
                        <th scope="col" class="numeric">"Inboxes"</th>
                        <th scope="col">"Status"</th>
                        {sortable("Last active", SortKey::LastActive)}
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| view! { <UserTableRow row/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn UserTableRow(row: UserRow) -> impl IntoView {
    let last_active = row.last_active_at.map(|at| {
        (
            at.to_rfc3339(),
            at.format("%-d %b %Y, %H:%M UTC").to_string(),
        )
    });
    view! {
        <tr>
            <th scope="row" class="user-name">
                <span class="avatar" aria-hidden="true">{person_initials(&row.name)}</span>
                {row.name}
            </th>
            <td>{row.email}</td>
            <td>{row.role.label()}</td>
            <td class="numeric">{row.inbox_count}</td>
            <td>{row.status.label()}</td>
            <td>
                {match last_active {
                    Some((iso, label)) => view! { <time datetime=iso>{label}</time> }.into_any(),
                    None => view! { <span class="muted">"Never"</span> }.into_any(),
                }}
            </td>
        </tr>
    }
}
