//! What every section of a profile screen is made with. A section is made
//! once per screen: its actions then live outside the screen's
//! `Transition`, so a failed save's message survives the reload that
//! follows it. It is drawn again each time the profile loads.

use std::{fmt::Display, future::Future, pin::Pin, sync::Arc};

use leptos::{prelude::*, server_fn::ServerFn};
use serde::{de::DeserializeOwned, Serialize};

use super::ProfileView;
use crate::error::HttpError;

/// The screen a section is made on: whose profile, and what every change
/// made on it has to tell the rest of the screen.
#[derive(Clone, Copy)]
pub struct SectionScreen {
    /// Whose profile: empty for the viewer's own.
    pub user: Signal<String>,
    /// Opened at `/profile/…`, the viewer's own entrance.
    pub own: bool,
    /// The versions of the section's actions: each completed change bumps one.
    changes: StoredValue<Vec<RwSignal<usize>>>,
    /// The status of a submission that failed without JavaScript.
    failure: StoredValue<Option<u16>>,
}

impl SectionScreen {
    pub fn new(user: Signal<String>, own: bool) -> Self {
        Self {
            user,
            own,
            changes: StoredValue::new(Vec::new()),
            failure: StoredValue::new(None),
        }
    }

    /// One of the section's changes: once it completes, the profile and the
    /// section's data are loaded again; when it failed without JavaScript,
    /// the page the browser is sent back to carries the error's status.
    pub fn action<S>(self) -> ServerAction<S>
    where
        S: ServerFn + Clone + Send + Sync + 'static,
        S::Output: Send + Sync + 'static,
        S::Error: HttpError + Send + Sync + 'static,
    {
        let action = ServerAction::<S>::new();
        self.changes.update_value(|all| all.push(action.version()));
        if let Some(Err(error)) = &*action.value().read_untracked() {
            self.fail(error.status());
        }
        action
    }

    /// Records a failed submission that is not a server action's (a photo
    /// upload is a plain form post).
    pub fn fail(self, status: u16) {
        self.failure
            .update_value(|failure| *failure = failure.or(Some(status)));
    }

    pub fn failure(self) -> Option<u16> {
        self.failure.get_value()
    }

    /// Counts the changes completed on this screen, tracked, so what the
    /// screen shows is loaded again after each.
    pub fn changes(self) -> usize {
        self.changes
            .with_value(|all| all.iter().map(|version| version.get()).sum())
    }

    /// Data the section shows besides the profile, loaded for the user on
    /// screen and again after every change.
    pub fn load<T, E, Fut>(
        self,
        fetch: impl Fn(String) -> Fut + Send + Sync + 'static,
    ) -> Resource<Result<T, E>>
    where
        T: Serialize + DeserializeOwned + Send + Sync + 'static,
        E: Serialize + DeserializeOwned + Send + Sync + 'static,
        Fut: Future<Output = Result<T, E>> + Send + 'static,
    {
        Resource::new(
            move || (self.user.get(), self.changes()),
            move |(user, _)| fetch(user),
        )
    }
}

/// How a section is drawn each time its screen's profile loads: once its
/// own data (if any) is loaded too, so the screen waits for both at once.
#[derive(Clone)]
pub struct SectionView(Arc<dyn Fn(ProfileView) -> DrawnSection + Send + Sync>);

type DrawnSection = Pin<Box<dyn Future<Output = AnyView> + Send>>;

impl SectionView {
    pub fn new(draw: impl Fn(ProfileView) -> AnyView + Send + Sync + 'static) -> Self {
        let draw = Arc::new(draw);
        Self(Arc::new(move |profile| {
            let draw = draw.clone();
            Box::pin(async move { draw(profile) })
        }))
    }

    /// A section drawn from data of its own as well as the profile.
    pub fn with_data<T, E>(
        data: Resource<Result<T, E>>,
        draw: impl Fn(ProfileView, T) -> AnyView + Send + Sync + 'static,
    ) -> Self
    where
        T: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
        E: Serialize + DeserializeOwned + Clone + Display + Send + Sync + 'static,
    {
        let draw = Arc::new(draw);
        Self(Arc::new(move |profile| {
            let draw = draw.clone();
            Box::pin(async move {
                match data.await {
                    Ok(data) => draw(profile, data),
                    Err(error) => view! {
                        <div class="form-alert" role="alert">{error.to_string()}</div>
                    }
                    .into_any(),
                }
            })
        }))
    }

    /// The section for `profile`, once its data is loaded.
    pub async fn draw(&self, profile: ProfileView) -> AnyView {
        (self.0)(profile).await
    }
}

/// The `user` field of a section's forms: empty for the viewer's own profile.
pub fn user_field(profile: &ProfileView) -> String {
    if profile.is_self {
        String::new()
    } else {
        profile.user_id.to_string()
    }
}
