use std::sync::Arc;

use leptos::prelude::*;

use super::{
    row_menu::{MenuKeys, RowActionsForm, RowMenu},
    SortKey, UserRow, UsersQuery,
};
use crate::components::Avatar;

/// The table of users: who they are, their role, inboxes, status and when
/// they were last active. Sortable columns are links; the row menus' keys
/// work in the browser.
#[component]
pub fn UserTable(rows: Vec<UserRow>, query: UsersQuery) -> impl IntoView {
    view! {
        <MenuKeys>
            <div class="table-scroll" inner_html=table_markup(rows, query)></div>
        </MenuKeys>
    }
}

/// The table and the row menus' form as HTML: rendered on its own, not as
/// part of the page's asynchronous rendering (which first copies every
/// attribute of every row), and kept with the page's data (see
/// `page_cache`), so a page seen again is not rendered again.
fn table_markup(rows: Vec<UserRow>, query: UsersQuery) -> Arc<str> {
    let render = |rows: Vec<UserRow>, query: UsersQuery| {
        Arc::<str>::from(view! { <Table rows query/> }.to_html())
    };
    #[cfg(feature = "ssr")]
    return super::page_cache::table_markup(rows, query, render);
    #[cfg(not(feature = "ssr"))]
    render(rows, query)
}

#[component]
fn Table(rows: Vec<UserRow>, query: UsersQuery) -> impl IntoView {
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
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().enumerate().map(|(index, row)| view! { <UserTableRow row index/> }).collect_view()}
                </tbody>
            </table>
            <RowActionsForm/>
    }
}

#[component]
fn UserTableRow(row: UserRow, index: usize) -> impl IntoView {
    let alert = row.status.alert();
    let status = match (row.status, &row.invite_expires) {
        (super::UserStatus::Invited, Some(until)) => {
            format!("{} (until {until})", row.status.label())
        }
        (status, _) => status.label().to_owned(),
    };
    let menu_row = row.clone();
    let last_active = row
        .last_active_at
        .zip(row.last_active.clone())
        .map(|(at, label)| (at.to_rfc3339(), label));
    view! {
        <tr>
            <th scope="row" class="user-name">
                <Avatar user_id=row.id name=row.name.clone() photo=row.photo.clone()/>
                {if row.manageable {
                    view! { <a href=format!("/manage/users/{}/profile", row.id)>{row.name}</a> }.into_any()
                } else {
                    view! { <span>{row.name}</span> }.into_any()
                }}
            </th>
            <td data-label="Email">{row.email}</td>
            <td data-label="Role">{row.role.label()}</td>
            <td class="numeric" data-label="Inboxes">{row.inbox_count}</td>
            <td class="status" data-label="Status">
                {alert.map(|alert| view! { <AlertIcon alert id=format!("alert-{}", row.id)/> })}
                {status}
                {row.invite_delivery.map(|delivery| view! { <InviteDeliveryLine delivery/> })}
                {row.lacks_two_factor.then(|| view! {
                    <span class="two-factor-missing">"Two-factor authentication required, not set up"</span>
                })}
            </td>
            <td data-label="Last active">
                {match last_active {
                    Some((iso, label)) => view! { <time datetime=iso>{label}</time> }.into_any(),
                    None => view! { <span class="muted">"Never"</span> }.into_any(),
                }}
            </td>
            <td class="row-actions">
                <RowMenu row=menu_row index/>
            </td>
        </tr>
    }
}

/// How the user's invite is reaching them, under their status.
#[component]
pub fn InviteDeliveryLine(delivery: crate::invitations::InviteDelivery) -> impl IntoView {
    let class = if delivery.state() == "Failed" {
        "invite-delivery invite-failed"
    } else {
        "invite-delivery"
    };
    view! { <span class=class>{delivery.describe()}</span> }
}

/// A row alert: an icon whose accessible name is the alert and whose
/// description explains it; hovering or focusing it shows the explanation.
#[component]
fn AlertIcon(alert: super::RowAlert, id: String) -> impl IntoView {
    let tip_id = format!("{id}-tip");
    view! {
        <span class="row-alert">
            <button
                type="button"
                class="alert-icon"
                aria-label=alert.title
                aria-describedby=tip_id.clone()
            >
                <span aria-hidden="true">"!"</span>
            </button>
            <span class="alert-tip" role="tooltip" id=tip_id>
                <strong>{alert.title}</strong>": "{alert.explanation}
            </span>
        </span>
    }
}
