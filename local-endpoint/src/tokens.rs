//! The claims of the access and id tokens, and the check of an access token
//! presented to GetUser / GlobalSignOut.

use serde_json::{json, Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::pool::{Client, User};
use crate::state::State;

/// The scope of tokens from the user-pool API sign-in.
pub const ADMIN_SCOPE: &str = "aws.cognito.signin.user.admin";

/// One issue of tokens: who for, under which grant, and when.
pub struct Issue<'a> {
    pub issuer: String,
    pub client: &'a Client,
    pub user: &'a User,
    pub origin_jti: &'a str,
    pub event_id: &'a str,
    pub auth_time: u64,
    pub now: u64,
}

impl Issue<'_> {
    pub fn access_claims(&self, jti: &str) -> Value {
        json!({
            "sub": self.user.sub(),
            "iss": self.issuer,
            "client_id": self.client.id,
            "origin_jti": self.origin_jti,
            "event_id": self.event_id,
            "token_use": "access",
            "scope": ADMIN_SCOPE,
            "auth_time": self.auth_time,
            "exp": self.now + self.client.access_token_validity,
            "iat": self.now,
            "jti": jti,
            "username": self.user.username,
            "version": 2,
        })
    }

    /// The user's attributes plus the standard claims; `*_verified` attributes
    /// become booleans.
    pub fn id_claims(&self, jti: &str) -> Value {
        let mut claims: Map<String, Value> = self
            .user
            .attributes
            .iter()
            .map(|(name, value)| (name.clone(), attribute_claim(name, value)))
            .collect();
        let standard = json!({
            "iss": self.issuer,
            "aud": self.client.id,
            "cognito:username": self.user.username,
            "origin_jti": self.origin_jti,
            "event_id": self.event_id,
            "token_use": "id",
            "auth_time": self.auth_time,
            "exp": self.now + self.client.id_token_validity,
            "iat": self.now,
            "jti": jti,
        });
        if let Value::Object(standard) = standard {
            claims.extend(standard);
        }
        Value::Object(claims)
    }
}

fn attribute_claim(name: &str, value: &str) -> Value {
    if name.ends_with("_verified") {
        Value::Bool(value == "true")
    } else {
        Value::String(value.to_owned())
    }
}

/// Whose access token this is.
pub struct TokenOwner {
    pub pool: usize,
    pub username: String,
}

/// Checks an access token for the user-pool API (GetUser, GlobalSignOut...):
/// valid (see [`check_access`]) and carrying the
/// `aws.cognito.signin.user.admin` scope, as the service requires.
pub fn authorize_access(state: &State, token: &str) -> ApiResult<TokenOwner> {
    let (owner, claims) = check_access(state, token)?;
    let scopes = claims["scope"].as_str().unwrap_or_default();
    if !scopes.split(' ').any(|s| s == ADMIN_SCOPE) {
        return Err(ApiError::not_authorized(
            "Access Token does not have required scopes",
        ));
    }
    Ok(owner)
}

/// Checks an access token: our signature, an access token of a known pool,
/// not expired, its grant not revoked. Gives its owner and claims.
pub fn check_access(state: &State, token: &str) -> ApiResult<(TokenOwner, Value)> {
    let invalid = || ApiError::not_authorized("Invalid Access Token");
    let claims = state.verify_token(token).ok_or_else(invalid)?;
    if claims["token_use"] != "access" {
        return Err(invalid());
    }
    let pool = claims["iss"]
        .as_str()
        .and_then(|iss| state.pool_by_issuer(iss))
        .ok_or_else(invalid)?;
    let expires = claims["exp"].as_u64().ok_or_else(invalid)?;
    if state.env.now() >= expires {
        return Err(ApiError::not_authorized("Access Token has expired"));
    }
    let grant = claims["origin_jti"]
        .as_str()
        .and_then(|origin| state.grants.by_origin(origin))
        .ok_or_else(invalid)?;
    if grant.revoked {
        return Err(ApiError::not_authorized("Access Token has been revoked"));
    }
    let owner = TokenOwner {
        pool,
        username: grant.username.clone(),
    };
    Ok((owner, claims))
}
