//! The authorization page (RFC 6749 §4.1.1), at Help Scout's address
//! `/authentication/authorizeClientApplication` and at `/oauth2/authorize`:
//! it names the app, who made it and what it could do, and the person
//! answers Allow or Deny. Either answer sends the browser back to the app's
//! registered Redirect URL; a request for an unknown app or another address
//! is refused on the page and sent nowhere. A plain form: it works without
//! JavaScript.

#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
mod store;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_location};
use serde::{Deserialize, Serialize};

use crate::{
    components::{FormAlert, FormErrors, StatusPage},
    error::HttpError,
};

crate::area_error! {
    /// Why an authorization request is not shown, or not answered.
    pub enum AuthorizeError {
        #[error("Sign in to continue.")]
        SignInRequired,
        /// The request cannot be trusted with a redirect: said here only.
        #[error("{0}")]
        Refused(String),
        /// The request goes back to the app, at this address, with an error.
        #[error("Going back to the app.")]
        SentBack { location: String },
        #[error("Answer with Allow or Deny.")]
        NoAnswer,
    }
    status {
        Self::SignInRequired => 401,
        Self::Refused(_) | Self::NoAnswer => 400,
        Self::SentBack { .. } => 302,
    }
}

impl crate::error::FormError for AuthorizeError {
    fn field(&self, _name: &str) -> Option<String> {
        None
    }
}

/// What the page tells the person about the app asking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationPrompt {
    pub app: String,
    pub maker: String,
    pub maker_account: String,
    /// The host the browser goes back to after either answer.
    pub destination: String,
    pub name: String,
    pub email: String,
    pub account: String,
    pub role: String,
}

/// The request in the page's address, when it can be shown to the viewer.
#[server(endpoint = "oauth/authorization")]
pub async fn get_authorization_prompt(
    #[server(default)] path: String,
    #[server(default)] query: String,
) -> Result<AuthorizationPrompt, AuthorizeError> {
    use crate::{error::respond, session::Viewer, state::use_state};

    let state = use_state();
    let request = read_request(&state, &path, &query).await.map_err(respond)?;
    let viewer = Viewer::current().ok_or_else(|| respond(AuthorizeError::SignInRequired))?;
    if let Some(origin) = request::origin_of(&request.app.redirect_url) {
        allow_form_action(&origin);
    }
    Ok(AuthorizationPrompt {
        destination: url::Url::parse(&request.app.redirect_url)
            .ok()
            .and_then(|url| url.host_str().map(str::to_owned))
            .unwrap_or_default(),
        app: request.app.name,
        maker: request.app.maker,
        maker_account: request.app.maker_account,
        name: viewer.name,
        email: viewer.email,
        account: viewer.account_name,
        role: viewer.role.label().to_owned(),
    })
}

/// Allow (`answer=allow`) or Deny the request in `query`; either way the
/// browser goes back to the app, with a code or with `access_denied`.
#[server(endpoint = "oauth/authorization/answer")]
pub async fn answer_authorization(
    #[server(default)] path: String,
    #[server(default)] query: String,
    #[server(default)] answer: String,
) -> Result<(), AuthorizeError> {
    use crate::{error::respond, request::RequestInfo, session::Viewer, state::use_state};

    let state = use_state();
    let viewer = Viewer::current().ok_or_else(|| respond(AuthorizeError::SignInRequired))?;
    let request = read_request(&state, &path, &query).await.map_err(respond)?;
    let location = match answer.as_str() {
        "allow" => {
            let code = store::allow(&state, &viewer, &request, &RequestInfo::current())
                .await
                .map_err(|error| respond(AuthorizeError::from(error)))?;
            request::answer_address(
                &request.app.redirect_url,
                &[("code", &code)],
                request.state.as_deref(),
            )
        }
        "deny" => request::answer_address(
            &request.app.redirect_url,
            &[
                ("error", "access_denied"),
                ("error_description", "The person denied the app access."),
            ],
            request.state.as_deref(),
        ),
        _ => return Err(respond(AuthorizeError::NoAnswer)),
    };
    leptos_axum::redirect(&location);
    Ok(())
}

/// The request, or why it is not shown: a refusal that goes back to the
/// app is sent there at once.
#[cfg(feature = "ssr")]
async fn read_request(
    state: &crate::state::AppState,
    path: &str,
    query: &str,
) -> Result<request::AuthorizationRequest, AuthorizeError> {
    use request::{Endpoint, Refusal};

    match request::read(state, Endpoint::of_path(path), query).await {
        Ok(request) => Ok(request),
        Err(Refusal::Shown(message)) => Err(AuthorizeError::Refused(message)),
        Err(Refusal::SentBack(location)) => {
            leptos_axum::redirect(&location);
            Err(AuthorizeError::SentBack { location })
        }
        Err(Refusal::Unexpected(error)) => Err(error.into()),
    }
}

/// A response header by which a page names one more origin its forms may
/// lead to (the authorization page's Allow and Deny end at the app); the
/// security-headers middleware moves it into the Content-Security-Policy's
/// `form-action`.
#[cfg(feature = "ssr")]
pub const EXTRA_FORM_ACTION: &str = "x-roster-form-action";

/// Lets this page's forms lead the browser to `origin` (its
/// Content-Security-Policy otherwise allows only Roster's own).
#[cfg(feature = "ssr")]
fn allow_form_action(origin: &str) {
    if let (Some(options), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(origin),
    ) {
        options.insert_header(http::HeaderName::from_static(EXTRA_FORM_ACTION), value);
    }
}

/// `/authentication/authorizeClientApplication` and `/oauth2/authorize`.
#[component]
pub fn AuthorizePage() -> impl IntoView {
    let location = use_location();
    let path = location.pathname.get_untracked();
    let query = location.search.get_untracked();
    let answer = ServerAction::<AnswerAuthorization>::new();
    if let Some(Err(error)) = answer.value().get_untracked() {
        crate::error::set_page_status(error.status());
    }
    let here = format!("{path}?{query}");
    let prompt = Resource::new(
        move || (path.clone(), query.clone()),
        |(path, query)| get_authorization_prompt(path, query),
    );
    view! {
        <Title text="Allow an app"/>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || {
                let here = here.clone();
                Suspend::new(async move {
                    match prompt.await {
                        Ok(prompt) => view! { <Prompt prompt here answer/> }.into_any(),
                        Err(AuthorizeError::SignInRequired) => {
                            let next = percent_encoding::utf8_percent_encode(&here, percent_encoding::NON_ALPHANUMERIC);
                            view! { <Redirect path=format!("/sign-in?next={next}")/> }.into_any()
                        }
                        Err(AuthorizeError::SentBack { location }) => view! {
                            <section class="status-page">
                                <h1>"Going back to the app"</h1>
                                <p><a href=location>"Continue"</a></p>
                            </section>
                        }
                        .into_any(),
                        Err(error) => view! {
                            <StatusPage status=error.status() title="This app can't be allowed">
                                <p>{error.to_string()}</p>
                            </StatusPage>
                        }
                        .into_any(),
                    }
                })
            }}
        </Transition>
    }
}

#[component]
fn Prompt(
    prompt: AuthorizationPrompt,
    here: String,
    answer: ServerAction<AnswerAuthorization>,
) -> impl IntoView {
    let error = FormErrors::of(answer, &[]).form();
    let (path, query) = here.split_once('?').unwrap_or((here.as_str(), ""));
    let (path, query) = (path.to_owned(), query.to_owned());
    let AuthorizationPrompt {
        app,
        maker,
        maker_account,
        destination,
        name,
        email,
        account,
        role,
    } = prompt;
    view! {
        <section class="narrow authorize">
            <h1>{format!("Allow {app} to use your Roster account?")}</h1>
            <p>{format!("{app} was made by {maker} of {maker_account}.")}</p>
            <h2>{format!("If you allow it, {app} can")}</h2>
            <ul class="effects">
                <li>{format!("act as you, {name} ({email}), in {account}, with the rights your role ({role}) has at the time of each request;")}</li>
                <li>"today, that means reading through Roster's API the users, teams and inboxes you can see."</li>
            </ul>
            <p>"It never learns your password. You can take its access back at any time under Authorized Apps in your profile."</p>
            <p class="muted">{format!("Either way, you go back to {destination}.")}</p>
            // Posted by the browser itself, with JavaScript too: the answer
            // is a redirect to another site (see the frontend's forms.rs).
            <form method="post" action={<AnswerAuthorization as leptos::server_fn::ServerFn>::PATH} class="stack" data-leaves-roster="">
                <FormAlert message=error/>
                <input type="hidden" name="path" value=path/>
                <input type="hidden" name="query" value=query/>
                <div class="actions">
                    <button type="submit" class="button primary" name="answer" value="allow">"Allow"</button>
                    <button type="submit" class="button" name="answer" value="deny">"Deny"</button>
                </div>
            </form>
        </section>
    }
}
