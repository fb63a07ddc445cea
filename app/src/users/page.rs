use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    components::Redirect,
    hooks::{use_location, use_query_map},
};

use super::{
    add_user::AddUserDialog, invite_link::CopiedLinkNotice, list_users, user_table::UserTable,
    Boundary, SendInvite, SendPasswordReset, UsersError, UsersPage, UsersQuery,
};
use crate::{
    components::{FormAlert, StatusPage},
    domain::grouped,
};

/// `/manage/users`: search, sort and pages live in the address.
#[component]
pub fn ManageUsersPage() -> impl IntoView {
    let params = use_query_map();
    // The notice after an action, and whether Add User is open (without JavaScript).
    let done = Memo::new(move |_| {
        let params = params.read();
        (
            params.get("done").unwrap_or_default(),
            params.get("user").unwrap_or_default(),
        )
    });
    let adding = Memo::new(move |_| params.read().get("add").is_some());
    let query = Memo::new(move |_| {
        let params = params.read();
        UsersQuery::from_params(|name| params.get(name))
    });
    let users = Resource::new(
        move || (query.get(), done.get()),
        |(query, (done, user))| {
            let from = query.from.map(Boundary::to_param).unwrap_or_default();
            list_users(
                query.search,
                query.sort.as_str().to_owned(),
                if query.descending { "desc" } else { "asc" }.to_owned(),
                query.page.to_string(),
                from,
                done,
                user,
                if query.show_deactivated {
                    super::SHOW_DEACTIVATED
                } else {
                    ""
                }
                .to_owned(),
                query
                    .permission
                    .map(|p| p.as_str().to_owned())
                    .unwrap_or_default(),
            )
        },
    );
    let location = use_location();
    view! {
        <Title text="Users"/>
        <Transition fallback=|| view! { <p class="loading">"Loading users…"</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(page) => view! { <UsersView page query=query.get_untracked() adding=adding.get_untracked()/> }.into_any(),
                    Err(UsersError::SignInRequired) => {
                        let here = location.pathname.get_untracked();
                        view! { <Redirect path=format!("/sign-in?next={here}")/> }.into_any()
                    }
                    Err(UsersError::Forbidden) => view! {
                        <StatusPage status=403 title="You can't manage users">
                            <p>"Only the Account Owner and Administrators can see Manage > Users. Ask one of them if you need a change to your account."</p>
                        </StatusPage>
                    }
                    .into_any(),
                    Err(other) => view! {
                        <StatusPage status=500 title="Users could not be loaded">
                            <p>{other.to_string()}</p>
                        </StatusPage>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn UsersView(page: UsersPage, query: UsersQuery, adding: bool) -> impl IntoView {
    let invite = ServerAction::<SendInvite>::new();
    let reset = ServerAction::<SendPasswordReset>::new();
    for error in [
        invite.value().get_untracked().and_then(Result::err),
        reset.value().get_untracked().and_then(Result::err),
    ]
    .into_iter()
    .flatten()
    {
        crate::error::set_page_status(crate::error::HttpError::status(&error));
    }
    let action_error = Signal::derive(move || {
        invite
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| reset.value().get().and_then(Result::err))
            .map(|error| error.to_string())
    });
    let first = page.rows.first().map(|row| row.id);
    let last = page.rows.last().map(|row| row.id);
    let previous = first
        .filter(|_| query.page > 1)
        .map(|first| query.previous_href(first));
    let next = last
        .filter(|_| query.page < page.page_count)
        .map(|last| query.next_href(last));
    let empty = page.rows.is_empty();
    let search = query.search.clone();
    let filters = view! { <UsersFilters query=query.clone()/> };
    let summary = format!(
        "Page {} of {} · {} users",
        grouped(query.page),
        grouped(page.page_count),
        grouped(page.matching)
    );
    let permission = query.permission;
    let results = if empty {
        let why = match (search.is_empty(), permission) {
            (false, None) => format!("No users match “{search}”."),
            (true, Some(p)) => format!("Nobody has the permission {}.", p.label()),
            (false, Some(p)) => format!(
                "No users match “{search}” and have the permission {}.",
                p.label()
            ),
            (true, None) => "No users to show.".to_owned(),
        };
        view! { <p class="muted">{why}</p> }.into_any()
    } else {
        view! { <UserTable rows=page.rows query/> }.into_any()
    };
    // Parts of the page as their own views: the whole page as one type runs
    // past the compiler's depth limit in a release build.
    let header = view! {
        <header class="page-header">
            <h1>"Users"</h1>
            <div class="page-actions">
                <a class="button" href=super::CSV_PAGE_PATH>"Invite from CSV"</a>
                <AddUserDialog options=page.add_user open=adding/>
            </div>
        </header>
    }
    .into_any();
    view! {
        <section class="page">
            {header}
            {page.notice.map(|text| view! { <p class="notice" role="status">{text}</p> })}
            {page.copied_link.map(|link| view! { <CopiedLinkNotice link/> }.into_any())}
            <FormAlert message=action_error/>
            <p class="billing">{page.billing.describe()}</p>
            {filters}
            {results}
            <nav class="pagination" aria-label="Pages of users">
                {previous.map(|href| view! { <a href=href>"Previous"</a> })}
                <span>{summary}</span>
                {next.map(|href| view! { <a href=href>"Next"</a> })}
            </nav>
        </section>
    }
}

/// The search box and filters: a plain GET form, so every view has an
/// address (with JavaScript a changed checkbox or list sends it at once).
#[component]
fn UsersFilters(query: UsersQuery) -> impl IntoView {
    let search = query.search.clone();
    let permission = query.permission;
    let show_deactivated = query.show_deactivated;
    let sort = query.sort.as_str();
    let dir = if query.descending { "desc" } else { "asc" };
    view! {
        <form method="get" action="/manage/users" role="search" class="search" data-submit-on-change="">
            <label for="user-search">"Search users"</label>
            <input id="user-search" type="search" name="q" value=search placeholder="Name or email"/>
            <input type="hidden" name="sort" value=sort/>
            <input type="hidden" name="dir" value=dir/>
            <label for="user-permission">"With permission"</label>
            <select id="user-permission" name="permission">
                <option value="" selected=permission.is_none()>"Any"</option>
                {crate::domain::Permission::grantable().map(|p| view! {
                    <option value=p.as_str() selected={permission == Some(p)}>{p.label()}</option>
                }).collect_view()}
            </select>
            <button type="submit" class="button">"Search"</button>
            <label class="checkbox">
                <input type="checkbox" name="deactivated" value=super::SHOW_DEACTIVATED checked=show_deactivated/>
                "Show deactivated users"
            </label>
        </form>
    }
    .into_any()
}
