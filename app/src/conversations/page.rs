use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_params_map};

use super::{ConversationsError, InboxSummary, InboxView};
use crate::{components::StatusPage, error::HttpError};

#[server(endpoint = "inboxes/list")]
pub async fn get_inboxes() -> Result<Vec<InboxSummary>, ConversationsError> {
    use crate::{error::respond, session::Viewer, state::use_state};

    let viewer = Viewer::current().ok_or_else(|| respond(ConversationsError::SignInRequired))?;
    super::store::inboxes(&use_state().pool, &viewer)
        .await
        .map_err(|e| respond(ConversationsError::from(e)))
}

#[server(endpoint = "inboxes/get")]
pub async fn get_inbox(#[server(default)] inbox: String) -> Result<InboxView, ConversationsError> {
    use crate::{error::respond, session::Viewer, state::use_state};

    let viewer = Viewer::current().ok_or_else(|| respond(ConversationsError::SignInRequired))?;
    let inbox =
        uuid::Uuid::parse_str(inbox.trim()).map_err(|_| respond(ConversationsError::NotFound))?;
    super::store::inbox(&use_state().pool, &viewer, inbox)
        .await
        .map_err(|e| respond(ConversationsError::from(e)))?
        .ok_or_else(|| respond(ConversationsError::NotFound))
}

/// `/inboxes`.
#[component]
pub fn InboxesPage() -> impl IntoView {
    let inboxes = Resource::new(|| (), |_| get_inboxes());
    view! {
        <Title text="Inboxes"/>
        <section class="page">
            <header class="page-header"><h1>"Inboxes"</h1></header>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match inboxes.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty-state">"You have no inboxes yet. An administrator gives you access to them."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="inbox-list">
                                {list.into_iter().map(|inbox| view! {
                                    <li>
                                        <a href=format!("/inboxes/{}", inbox.id)>{inbox.name}</a>
                                        <span class="muted">{format!(" {} · {} conversations", inbox.email, inbox.conversations)}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(ConversationsError::SignInRequired) => view! { <Redirect path="/sign-in?next=/inboxes"/> }.into_any(),
                        Err(error) => view! {
                            <StatusPage status=error.status() title="Inboxes can't be opened"><p>{error.to_string()}</p></StatusPage>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// `/inboxes/<id>`: the inbox's latest conversations and their assignees.
#[component]
pub fn InboxPage() -> impl IntoView {
    let params = use_params_map();
    let inbox = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_inbox,
    );
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match inbox.await {
                    Ok(inbox) => view! { <Conversations inbox/> }.into_any(),
                    Err(ConversationsError::SignInRequired) => view! { <Redirect path="/sign-in?next=/inboxes"/> }.into_any(),
                    Err(error) => view! {
                        <StatusPage status=error.status() title="This inbox can't be opened"><p>{error.to_string()}</p></StatusPage>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Conversations(inbox: InboxView) -> impl IntoView {
    let shown = inbox.conversations.len() as i64;
    let summary = if shown < inbox.total {
        format!(
            "The {shown} most recently updated of {} conversations.",
            inbox.total
        )
    } else {
        format!("{} conversations.", inbox.total)
    };
    view! {
        <Title text=inbox.name.clone()/>
        <section class="page">
            <header class="page-header">
                <h1>{inbox.name.clone()}</h1>
                <p class="muted">{summary}</p>
            </header>
            {if inbox.conversations.is_empty() {
                view! { <p class="empty-state">"No conversations in this inbox."</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="user-table">
                            <caption class="visually-hidden">{format!("Conversations in {}", inbox.name)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Subject"</th>
                                    <th scope="col">"Customer"</th>
                                    <th scope="col">"Status"</th>
                                    <th scope="col">"Assignee"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {inbox.conversations.into_iter().map(|c| view! {
                                    <tr>
                                        <th scope="row">{c.subject}</th>
                                        <td>{c.customer_email}</td>
                                        <td>{status_label(&c.status)}</td>
                                        <td>{c.assignee.unwrap_or_else(|| "Unassigned".to_owned())}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

fn status_label(status: &str) -> &'static str {
    match status {
        "active" => "Active",
        "pending" => "Pending",
        _ => "Closed",
    }
}
