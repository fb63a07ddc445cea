//! An authorization request (RFC 6749 §4.1.1), read from the address of
//! the authorization page, and where its answer goes.

use std::collections::HashMap;

use anyhow::Context as _;
use uuid::Uuid;

use crate::{domain::ClientId, state::AppState};

/// Which address the request came to: Help Scout's
/// (`/authentication/authorizeClientApplication`, where `response_type` may
/// be left out) or the RFC's (`/oauth2/authorize`, where it is required).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    HelpScout,
    OAuth2,
}

impl Endpoint {
    pub fn of_path(path: &str) -> Self {
        if path.trim_end_matches('/') == "/oauth2/authorize" {
            Self::OAuth2
        } else {
            Self::HelpScout
        }
    }
}

/// The app asking, as the page names it.
#[derive(Debug)]
pub struct AskingApp {
    pub id: Uuid,
    pub name: String,
    pub maker: String,
    pub maker_account: String,
    pub redirect_url: String,
}

/// A request fit to be shown to the person, and answered.
#[derive(Debug)]
pub struct AuthorizationRequest {
    pub app: AskingApp,
    /// The redirect_uri the request named, if any (the app's own).
    pub redirect_uri: Option<String>,
    pub state: Option<String>,
    /// PKCE's S256 challenge, when the app sent one.
    pub code_challenge: Option<String>,
}

/// Why a request is not shown.
#[derive(Debug)]
pub enum Refusal {
    /// No app, or not the app's redirect URL: said on the page, and never
    /// sent anywhere (RFC 6749 §4.1.2.1).
    Shown(String),
    /// Anything else goes back to the app, as an `error` at its address.
    SentBack(String),
    /// The database could not be asked.
    Unexpected(anyhow::Error),
}

/// The request in `query` (the page address's query, as sent).
pub async fn read(
    state: &AppState,
    endpoint: Endpoint,
    query: &str,
) -> Result<AuthorizationRequest, Refusal> {
    let (params, repeated) = parameters(query);
    if repeated
        .iter()
        .any(|name| name == "client_id" || name == "redirect_uri")
    {
        return Err(Refusal::Shown(
            "This link names its app or its redirect URL more than once.".into(),
        ));
    }
    let client_id = params.get("client_id").map(String::as_str).unwrap_or("");
    let app = find_app(state, client_id)
        .await
        .map_err(Refusal::Unexpected)?
        .ok_or_else(|| {
            Refusal::Shown(
                "This link does not name an app Roster knows: the app may have been deleted, or the link is mistyped. Ask the app's maker for a new link."
                    .into(),
            )
        })?;
    let redirect_uri = params.get("redirect_uri").cloned();
    if redirect_uri
        .as_ref()
        .is_some_and(|uri| *uri != app.redirect_url)
    {
        return Err(Refusal::Shown(format!(
            "This link would send you back to an address that is not {}'s registered Redirect URL, so Roster will not follow it.",
            app.name
        )));
    }
    let state_param = params.get("state").cloned();
    let send_back = |error: &str, description: &str| {
        Refusal::SentBack(answer_address(
            &app.redirect_url,
            &[("error", error), ("error_description", description)],
            state_param.as_deref(),
        ))
    };
    if let Some(name) = repeated.first() {
        return Err(send_back(
            "invalid_request",
            &format!("{name} is given more than once."),
        ));
    }
    match (endpoint, params.get("response_type").map(String::as_str)) {
        (_, Some("code")) | (Endpoint::HelpScout, None) => {}
        (Endpoint::OAuth2, None) => {
            return Err(send_back("invalid_request", "response_type is missing."))
        }
        (_, Some(_)) => {
            return Err(send_back(
                "unsupported_response_type",
                "Roster offers only response_type=code.",
            ))
        }
    }
    if params
        .get("scope")
        .is_some_and(|scope| !scope.trim().is_empty())
    {
        return Err(send_back(
            "invalid_scope",
            "Roster has no scopes: leave scope out.",
        ));
    }
    if state_param
        .as_ref()
        .is_some_and(|s| s.len() > MAX_STATE_BYTES)
    {
        return Err(send_back("invalid_request", "state is too long."));
    }
    let code_challenge = pkce_challenge(
        params.get("code_challenge").map(String::as_str),
        params.get("code_challenge_method").map(String::as_str),
    )
    .map_err(|description| send_back("invalid_request", description))?;
    Ok(AuthorizationRequest {
        app,
        redirect_uri,
        state: state_param,
        code_challenge,
    })
}

/// The longest `state` kept: enough for any app's, small enough to carry.
const MAX_STATE_BYTES: usize = 1024;

/// The query's parameters, and the names given more than once (RFC 6749
/// §3.1: each at most once).
fn parameters(query: &str) -> (HashMap<String, String>, Vec<String>) {
    let mut params = HashMap::new();
    let mut repeated = Vec::new();
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        match params.entry(name.into_owned()) {
            std::collections::hash_map::Entry::Occupied(taken) => {
                if !repeated.contains(taken.key()) {
                    repeated.push(taken.key().clone());
                }
            }
            std::collections::hash_map::Entry::Vacant(free) => {
                free.insert(value.into_owned());
            }
        }
    }
    (params, repeated)
}

/// PKCE (RFC 7636): a challenge made with S256, or none. `plain` gives no
/// protection against a leaked request and is refused.
fn pkce_challenge(
    challenge: Option<&str>,
    method: Option<&str>,
) -> Result<Option<String>, &'static str> {
    match (challenge, method) {
        (None, None) => Ok(None),
        (None, Some(_)) => Err("code_challenge_method is given without a code_challenge."),
        (Some(challenge), Some("S256")) => {
            let well_formed = challenge.len() == 43
                && challenge
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if well_formed {
                Ok(Some(challenge.to_owned()))
            } else {
                Err("code_challenge must be the 43-character base64url SHA-256 of the verifier.")
            }
        }
        // Left out, the method would be `plain` (RFC 7636 §4.3).
        (Some(_), _) => Err("Roster accepts only code_challenge_method=S256."),
    }
}

async fn find_app(state: &AppState, client_id: &str) -> anyhow::Result<Option<AskingApp>> {
    let Some(client_id) = ClientId::parse(client_id) else {
        return Ok(None);
    };
    let app = sqlx::query!(
        "SELECT o.id, o.name, o.redirect_url, u.name AS maker, a.name AS maker_account
         FROM oauth_apps o
         JOIN users u ON u.id = o.user_id
         JOIN accounts a ON a.id = u.account_id
         WHERE o.client_id = $1 AND o.deleted_at IS NULL AND u.deleted_at IS NULL
           AND u.deactivated_at IS NULL",
        client_id.as_str()
    )
    .fetch_optional(&state.pool)
    .await
    .context("finding the app asking")?;
    Ok(app.map(|app| AskingApp {
        id: app.id,
        name: app.name,
        maker: app.maker,
        maker_account: app.maker_account,
        redirect_url: app.redirect_url,
    }))
}

/// The app's redirect URL with `pairs` and `state` added to its query.
pub fn answer_address(redirect_url: &str, pairs: &[(&str, &str)], state: Option<&str>) -> String {
    let Ok(mut url) = url::Url::parse(redirect_url) else {
        // Every stored redirect URL parsed as one when it was saved.
        return redirect_url.to_owned();
    };
    {
        let mut query = url.query_pairs_mut();
        for (name, value) in pairs {
            query.append_pair(name, value);
        }
        if let Some(state) = state {
            query.append_pair("state", state);
        }
    }
    url.to_string()
}

/// Where a form on the page may send the browser: the redirect URL's origin
/// (the page's Content-Security-Policy names it in `form-action`).
pub fn origin_of(redirect_url: &str) -> Option<String> {
    let origin = url::Url::parse(redirect_url).ok()?.origin();
    origin.is_tuple().then(|| origin.ascii_serialization())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_the_two_addresses_apart() {
        assert_eq!(Endpoint::of_path("/oauth2/authorize"), Endpoint::OAuth2);
        assert_eq!(
            Endpoint::of_path("/authentication/authorizeClientApplication"),
            Endpoint::HelpScout
        );
    }

    #[test]
    fn finds_repeated_parameters() {
        let (params, repeated) = parameters("client_id=a&state=x&state=y&scope=");
        assert_eq!(params["client_id"], "a");
        assert_eq!(params["state"], "x");
        assert_eq!(repeated, vec!["state".to_owned()]);
    }

    #[test]
    fn takes_only_s256_challenges_of_the_right_shape() {
        let good = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert_eq!(
            pkce_challenge(Some(good), Some("S256")),
            Ok(Some(good.to_owned()))
        );
        assert_eq!(pkce_challenge(None, None), Ok(None));
        assert!(pkce_challenge(Some(good), None).is_err());
        assert!(pkce_challenge(Some(good), Some("plain")).is_err());
        assert!(pkce_challenge(None, Some("S256")).is_err());
        assert!(pkce_challenge(Some("short"), Some("S256")).is_err());
        assert!(pkce_challenge(Some(&good.replace('-', "+")), Some("S256")).is_err());
    }

    #[test]
    fn answers_at_the_redirect_url_keeping_its_query() {
        assert_eq!(
            answer_address(
                "https://app.example/cb?x=1",
                &[("code", "rac_a b")],
                Some("s&t")
            ),
            "https://app.example/cb?x=1&code=rac_a+b&state=s%26t"
        );
        assert_eq!(
            answer_address(
                "http://localhost:3000/cb",
                &[("error", "access_denied")],
                None
            ),
            "http://localhost:3000/cb?error=access_denied"
        );
        assert_eq!(
            origin_of("https://app.example:8443/cb?x=1").as_deref(),
            Some("https://app.example:8443")
        );
    }
}
