use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use serde::{Deserialize, Serialize};

/// Where `/` sends a visitor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Landing {
    /// No account yet: the first-run setup.
    Setup,
    SignIn,
    ManageUsers,
    /// A signed-in teammate who does not manage users.
    Welcome {
        name: String,
    },
}

#[server(endpoint = "where-to-land")]
pub async fn where_to_land() -> Result<Landing, ServerFnError> {
    use crate::{error::report_unexpected, session::Viewer, setup::store, state::use_state};

    if let Some(viewer) = Viewer::current() {
        return Ok(if viewer.role.manages_users() {
            Landing::ManageUsers
        } else {
            Landing::Welcome { name: viewer.name }
        });
    }
    let needed = store::setup_needed(&use_state().pool)
        .await
        .map_err(|error| {
            ServerFnError::new(crate::error::unexpected_message(&report_unexpected(error)))
        })?;
    Ok(if needed {
        Landing::Setup
    } else {
        Landing::SignIn
    })
}

/// `/`: sends each visitor where they belong.
#[component]
pub fn Home() -> impl IntoView {
    let landing = Resource::new(|| (), |_| where_to_land());
    view! {
        <Title text="Welcome"/>
        <Suspense>
            {move || Suspend::new(async move {
                match landing.await {
                    Ok(Landing::Setup) => view! { <Redirect path="/setup"/> }.into_any(),
                    Ok(Landing::SignIn) => view! { <Redirect path="/sign-in"/> }.into_any(),
                    Ok(Landing::ManageUsers) => view! { <Redirect path="/manage/users"/> }.into_any(),
                    Ok(Landing::Welcome { name }) => view! {
                        <section class="narrow">
                            <h1>"Welcome, " {name}</h1>
                            <p>"You are signed in to Roster."</p>
                        </section>
                    }
                    .into_any(),
                    Err(error) => view! {
                        <crate::components::StatusPage status=500 title="Roster could not start this page">
                            <p>{error.to_string()}</p>
                        </crate::components::StatusPage>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}
