use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_location};

use super::{list_users, user_table::UserTable, UsersError};
use crate::components::StatusPage;

/// `/manage/users`.
#[component]
pub fn ManageUsersPage() -> impl IntoView {
    let users = Resource::new(|| (), |_| list_users());
    let location = use_location();
    view! {
        <Title text="Users"/>
        <Suspense fallback=|| view! { <p class="loading">"Loading users…"</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(rows) => view! {
                        <section class="page">
                            <header class="page-header">
                                <h1>"Users"</h1>
                            </header>
                            <UserTable rows/>
                        </section>
                    }
                    .into_any(),
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
        </Suspense>
    }
}
