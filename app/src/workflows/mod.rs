//! Workflows, read-only: which are active, and why Roster made one
//! inactive (a deleted user it acts on). For whoever has the Manage
//! workflows permission.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{components::StatusPage, error::HttpError};

crate::area_error! {
    /// What can go wrong reading the workflows.
    pub enum WorkflowsError {
        #[error("Sign in to continue.")]
        SignInRequired,
        #[error("Workflows need the Manage workflows permission. Ask the Account Owner or an Administrator for it.")]
        Forbidden,
    }
    status {
        Self::SignInRequired => 401,
        Self::Forbidden => 403,
    }
    gate: SignInRequired, Forbidden;
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkflowRow {
    pub id: Uuid,
    pub name: String,
    pub active: bool,
    pub inactive_reason: Option<String>,
}

#[server(endpoint = "workflows/list")]
pub async fn get_workflows() -> Result<Vec<WorkflowRow>, WorkflowsError> {
    use crate::{error::respond, state::use_state};

    let viewer =
        crate::session::Viewer::current().ok_or_else(|| respond(WorkflowsError::SignInRequired))?;
    let state = use_state();
    // The permission decides, not the role: an Administrator can be
    // without it, a User given it (Plus and Pro).
    if !viewer.may(crate::domain::Permission::ManageWorkflows) {
        return Err(respond(WorkflowsError::Forbidden));
    }
    sqlx::query_as!(
        WorkflowRow,
        "SELECT id, name, active, inactive_reason FROM workflows
         WHERE account_id = $1 ORDER BY lower(name), id",
        viewer.account_id
    )
    .fetch_all(&state.pool)
    .await
    .map_err(|e| respond(WorkflowsError::from(anyhow::Error::from(e))))
}

/// `/workflows`.
#[component]
pub fn WorkflowsPage() -> impl IntoView {
    let workflows = Resource::new(|| (), |_| get_workflows());
    view! {
        <Title text="Workflows"/>
        <section class="page">
            <header class="page-header"><h1>"Workflows"</h1></header>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match workflows.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty-state">"No workflows yet."</p> }.into_any(),
                        Ok(list) => view! {
                            <table class="user-table">
                                <caption class="visually-hidden">"Workflows"</caption>
                                <thead>
                                    <tr><th scope="col">"Name"</th><th scope="col">"Status"</th></tr>
                                </thead>
                                <tbody>
                                    {list.into_iter().map(|w| view! {
                                        <tr>
                                            <th scope="row">{w.name}</th>
                                            <td>
                                                {if w.active { "Active" } else { "Inactive" }}
                                                {w.inactive_reason.map(|reason| view! { <p class="field-error">{reason}</p> })}
                                            </td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(WorkflowsError::SignInRequired) => view! { <Redirect path="/sign-in?next=/workflows"/> }.into_any(),
                        Err(error) => view! {
                            <StatusPage status=error.status() title="Workflows can't be opened"><p>{error.to_string()}</p></StatusPage>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
