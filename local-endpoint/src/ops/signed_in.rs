//! Operations on a signed-in user's tokens: GetUser, GlobalSignOut and
//! RevokeToken.

use serde::Deserialize;
use serde_json::{json, Value};
use subtle::ConstantTimeEq;

use super::params::member;
use crate::error::{ApiError, ApiResult};
use crate::state::State;
use crate::tokens::authorize_access;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccessTokenRequest {
    access_token: Option<String>,
}

/// The user's name and attributes, `[{Name, Value}]`.
pub fn get_user(state: &mut State, request: AccessTokenRequest) -> ApiResult<Value> {
    let owner = authorize_access(state, member(&request.access_token, "accessToken")?)?;
    let user = state.pools[owner.pool]
        .user(&owner.username)
        .ok_or_else(ApiError::user_not_found)?;
    let attributes: Vec<Value> = user
        .attributes
        .iter()
        .map(|(name, value)| json!({ "Name": name, "Value": value }))
        .collect();
    let (mfa_list, preferred) = super::mfa::get_user_settings(state, owner.pool, &user.username);
    let mut answer = json!({
        "Username": user.username,
        "UserAttributes": attributes,
        "MFAOptions": [],
        "UserMFASettingList": mfa_list,
    });
    if let Some(preferred) = preferred {
        answer["PreferredMfaSetting"] = json!(preferred);
    }
    Ok(answer)
}

/// Revokes every refresh token of the user, and with them every access
/// token made from them.
pub fn global_sign_out(state: &mut State, request: AccessTokenRequest) -> ApiResult<Value> {
    let owner = authorize_access(state, member(&request.access_token, "accessToken")?)?;
    state.grants.revoke_user(owner.pool, &owner.username);
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RevokeTokenRequest {
    token: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

/// Revokes a refresh token of this client and the tokens made from it. A
/// token that is unknown or of another client is left alone and the call
/// still succeeds (as OAuth token revocation does).
pub fn revoke_token(state: &mut State, request: RevokeTokenRequest) -> ApiResult<Value> {
    let token = member(&request.token, "token")?;
    let (_, client) = state.client(member(&request.client_id, "clientId")?)?;
    if let Some(secret) = &client.secret {
        let sent = request.client_secret.as_deref().unwrap_or_default();
        if !bool::from(secret.as_bytes().ct_eq(sent.as_bytes())) {
            return Err(ApiError::new(
                "UnauthorizedException",
                "Invalid client secret",
            ));
        }
    }
    let origin = state
        .grants
        .by_refresh_token(token)
        .filter(|(_, grant)| grant.client_id == client.id)
        .map(|(origin, _)| origin.to_owned());
    if let Some(origin) = origin {
        state.grants.revoke(&origin);
    }
    Ok(json!({}))
}
