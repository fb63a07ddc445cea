use leptos::prelude::*;

use super::UserRow;
use crate::domain::person_initials;

/// The table of users: who they are, their role, inboxes, status and when
/// they were last active.
#[component]
pub fn UserTable(rows: Vec<UserRow>) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="user-table">
                <caption class="visually-hidden">"Users in this account"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Email"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col" class="numeric">"Inboxes"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Last active"</th>
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
