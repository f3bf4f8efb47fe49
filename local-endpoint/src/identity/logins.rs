//! The `Logins` map of GetId, GetCredentialsForIdentity and GetOpenIdToken:
//! each entry is a provider name and an id token of that provider, checked
//! as the service checks it (our signature, issuer, audience, expiry), with
//! the service's messages.

use std::collections::HashMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use serde_json::Value;

use super::config::IdentityPool;
use crate::error::{ApiError, ApiResult};
use crate::state::State;

/// The service's limits on the map (its model's constraints).
const MAX_LOGINS: usize = 10;
const MAX_PROVIDER_NAME: usize = 128;
const MAX_TOKEN: usize = 50_000;

/// A checked login: the provider and the user it proves (the token's `sub`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Login {
    pub provider: String,
    pub sub: String,
}

fn invalid_token(reason: &str) -> ApiError {
    ApiError::not_authorized(format!("Invalid login token. {reason}"))
}

fn unsupported_provider() -> ApiError {
    ApiError::not_authorized("Token is not from a supported provider of this identity pool.")
}

/// The logins of a request, each checked; empty when the map is absent or
/// empty (a guest).
pub fn check(
    state: &State,
    pool: &IdentityPool,
    logins: Option<&HashMap<String, String>>,
) -> ApiResult<Vec<Login>> {
    let Some(logins) = logins else {
        return Ok(Vec::new());
    };
    if logins.len() > MAX_LOGINS {
        return Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value at 'logins' failed to satisfy constraint: \
             Member must have length less than or equal to {MAX_LOGINS}"
        )));
    }
    let mut checked: Vec<Login> = logins
        .iter()
        .map(|(provider, token)| check_one(state, pool, provider, token))
        .collect::<ApiResult<_>>()?;
    checked.sort();
    Ok(checked)
}

fn check_one(state: &State, pool: &IdentityPool, provider: &str, token: &str) -> ApiResult<Login> {
    if provider.is_empty()
        || provider.len() > MAX_PROVIDER_NAME
        || token.is_empty()
        || token.len() > MAX_TOKEN
    {
        return Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value at 'logins' failed to satisfy constraint: \
             Map keys must have length 1 to {MAX_PROVIDER_NAME} and values length 1 to {MAX_TOKEN}"
        )));
    }
    let configured: Vec<_> = pool
        .providers
        .iter()
        .filter(|p| p.name == provider)
        .collect();
    let Some(first) = configured.first() else {
        return Err(unsupported_provider());
    };
    if !is_jwt(token) {
        return Err(invalid_token("Not a valid OpenId Connect identity token."));
    }
    let claims = state
        .verify_token(token)
        .ok_or_else(|| invalid_token("Couldn't verify signed token."))?;
    if claims["iss"].as_str() != Some(state.issuer(first.user_pool).as_str()) {
        return Err(invalid_token("Issuer doesn't match providerName"));
    }
    let audience = claims["aud"]
        .as_str()
        .ok_or_else(|| invalid_token("Missing a required claim: aud"))?;
    if claims["token_use"] != "id" {
        return Err(invalid_token("Not an id token."));
    }
    if !configured.iter().any(|p| p.client_id == audience) {
        return Err(unsupported_provider());
    }
    let expires = claims["exp"]
        .as_u64()
        .ok_or_else(|| invalid_token("Missing a required claim: exp"))?;
    let now = state.env.now();
    if now >= expires {
        return Err(invalid_token(&format!("Token expired: {now} >= {expires}")));
    }
    let sub = claims["sub"]
        .as_str()
        .ok_or_else(|| invalid_token("Missing a required claim: sub"))?;
    Ok(Login {
        provider: provider.to_owned(),
        sub: sub.to_owned(),
    })
}

/// Three base64url parts, the first two JSON objects.
fn is_jwt(token: &str) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    let is_object = |part: &str| {
        B64URL
            .decode(part)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
            .is_some_and(|v| v.is_object())
    };
    parts.len() == 3 && is_object(parts[0]) && is_object(parts[1])
}
