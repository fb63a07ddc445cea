//! The authorization-code grant (RFC 6749 §4.1.3): the app trades the code
//! the authorization page gave it, once and within minutes, for a pair of
//! tokens acting as the person who allowed it.

use std::collections::HashMap;

use anyhow::Context as _;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use sha2::{Digest as _, Sha256};

use super::{
    store::{self, Client, Grant, Issued},
    OAuthError,
};
use crate::{change::Change, request::RequestInfo, session::token::hash_token, state::AppState};

fn invalid_code() -> OAuthError {
    OAuthError::InvalidGrant(
        "The code is not valid: it is unknown, expired, or not this app's.".into(),
    )
}

pub(super) async fn redeem(
    state: &AppState,
    client: &Client,
    params: &HashMap<String, String>,
    request: &RequestInfo,
) -> Result<Issued, OAuthError> {
    let code = params
        .get("code")
        .filter(|code| !code.is_empty())
        .ok_or_else(|| OAuthError::InvalidRequest("code is missing.".into()))?;
    let mut change = Change::begin_anonymous(state, request, "an authorization-code grant").await?;
    let found = sqlx::query!(
        "SELECT c.id, c.authorization_id, c.redirect_uri, c.code_challenge, c.expires_at,
                c.used_at, z.app_id, z.user_id, z.revoked_at, u.account_id, o.redirect_url
         FROM oauth_codes c
         JOIN authorized_apps z ON z.id = c.authorization_id
         JOIN oauth_apps o ON o.id = z.app_id
         JOIN users u ON u.id = z.user_id
         WHERE c.code_hash = $1
         FOR UPDATE OF c",
        hash_token(code),
    )
    .fetch_optional(change.conn())
    .await
    .context("finding an authorization code")?
    .filter(|found| found.app_id == client.app_id)
    .ok_or_else(invalid_code)?;
    let grant = Grant {
        authorization_id: found.authorization_id,
        app_id: found.app_id,
        user_id: found.user_id,
    };
    if found.used_at.is_some() {
        return Err(store::refuse_replay(
            change,
            &grant,
            found.account_id,
            "its code was used twice",
            "The code was already used. The access it gave has been revoked; ask the person to allow the app again.",
        )
        .await);
    }
    if found.expires_at <= change.now || found.revoked_at.is_some() {
        return Err(invalid_code());
    }
    let redirect_uri = params.get("redirect_uri");
    let redirect_matches = match (&found.redirect_uri, redirect_uri) {
        (Some(sent), Some(given)) => sent == given,
        (Some(_), None) => false,
        (None, Some(given)) => *given == found.redirect_url,
        (None, None) => true,
    };
    if !redirect_matches {
        return Err(OAuthError::InvalidGrant(
            "redirect_uri is not the one the authorization request named.".into(),
        ));
    }
    verify_pkce(found.code_challenge.as_deref(), params.get("code_verifier"))?;
    let now = change.now;
    sqlx::query!(
        "UPDATE oauth_codes SET used_at = $2 WHERE id = $1",
        found.id,
        now
    )
    .execute(change.conn())
    .await
    .context("using an authorization code")?;
    store::complete_trade(change, &grant).await
}

/// PKCE (RFC 7636 §4.6): the verifier must hash to the challenge the
/// authorization request sent; a verifier without a challenge is refused
/// too (RFC 9700 §2.1.1), so a downgrade shows.
fn verify_pkce(challenge: Option<&str>, verifier: Option<&String>) -> Result<(), OAuthError> {
    match (challenge, verifier) {
        (None, None) => Ok(()),
        (None, Some(_)) => Err(OAuthError::InvalidGrant(
            "code_verifier was sent, but the authorization request had no code_challenge.".into(),
        )),
        (Some(_), None) => Err(OAuthError::InvalidGrant("code_verifier is missing.".into())),
        (Some(challenge), Some(verifier)) => {
            let well_formed = (43..=128).contains(&verifier.len())
                && verifier
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
            let hashed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
            if well_formed && hashed == challenge {
                Ok(())
            } else {
                Err(OAuthError::InvalidGrant(
                    "code_verifier does not match the code_challenge.".into(),
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_takes_the_verifier_of_the_challenge_only() {
        // RFC 7636, Appendix B.
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".to_owned();
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(verify_pkce(Some(challenge), Some(&verifier)).is_ok());
        assert!(verify_pkce(None, None).is_ok());
        assert!(verify_pkce(Some(challenge), None).is_err());
        assert!(verify_pkce(None, Some(&verifier)).is_err());
        let other = format!("{}x", &verifier[1..]);
        assert!(verify_pkce(Some(challenge), Some(&other)).is_err());
        assert!(verify_pkce(Some(challenge), Some(&"short".to_owned())).is_err());
    }
}
