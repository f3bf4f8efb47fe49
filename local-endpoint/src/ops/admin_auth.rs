//! AdminInitiateAuth and AdminRespondToAuthChallenge (IAM-signed; the router
//! has verified the signature). ADMIN_USER_PASSWORD_AUTH and the legacy
//! ADMIN_NO_SRP_AUTH check the password here; the other flows and the
//! challenges are the InitiateAuth / RespondToAuthChallenge ones, scoped to
//! the named user pool.

use std::collections::HashMap;

use serde::Deserialize;

use super::challenge::{respond_to_auth_challenge, RespondToAuthChallengeRequest};
use super::initiate_auth::{check_password, initiate_auth, InitiateAuthRequest};
use super::params::{ensure_flow, member, Params};
use super::sign_in::AuthResponse;
use crate::error::{ApiError, ApiResult};
use crate::pool::{AuthFlow, Client};
use crate::state::State;

const ADMIN_FLOWS: &str = "[ADMIN_USER_PASSWORD_AUTH, ADMIN_NO_SRP_AUTH, USER_SRP_AUTH, \
REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, USER_AUTH]";

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContextData {
    ip_address: Option<String>,
    server_name: Option<String>,
    server_path: Option<String>,
    http_headers: Option<Vec<HttpHeader>>,
    #[allow(dead_code)]
    encoded_data: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct HttpHeader {
    header_name: Option<String>,
    header_value: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminInitiateAuthRequest {
    user_pool_id: Option<String>,
    client_id: Option<String>,
    auth_flow: Option<String>,
    auth_parameters: Option<HashMap<String, String>>,
    #[allow(dead_code)]
    client_metadata: Option<HashMap<String, String>>,
    #[allow(dead_code)]
    analytics_metadata: Option<serde_json::Value>,
    context_data: Option<ContextData>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminRespondRequest {
    user_pool_id: Option<String>,
    client_id: Option<String>,
    challenge_name: Option<String>,
    challenge_responses: Option<HashMap<String, String>>,
    session: Option<String>,
    #[allow(dead_code)]
    client_metadata: Option<HashMap<String, String>>,
    #[allow(dead_code)]
    analytics_metadata: Option<serde_json::Value>,
    context_data: Option<ContextData>,
}

/// ContextData's members IpAddress, ServerName, ServerPath and HttpHeaders
/// are required when it is sent.
fn check_context_data(data: Option<&ContextData>) -> ApiResult<()> {
    let Some(data) = data else { return Ok(()) };
    let required = [
        ("contextData.ipAddress", data.ip_address.is_some()),
        ("contextData.serverName", data.server_name.is_some()),
        ("contextData.serverPath", data.server_path.is_some()),
        ("contextData.httpHeaders", data.http_headers.is_some()),
    ];
    match required.iter().find(|(_, present)| !present) {
        Some((name, _)) => Err(ApiError::null_member(name)),
        None => Ok(()),
    }
}

/// The pool (by index) and client, when the client belongs to that pool.
fn pool_client(state: &State, pool_id: &str, client_id: &str) -> ApiResult<(usize, Client)> {
    state.pool(pool_id)?;
    let (pool, client) = state.client(client_id)?;
    if state.pools[pool].id != pool_id {
        return Err(ApiError::new(
            "ResourceNotFoundException",
            format!("User pool client {client_id} does not exist."),
        ));
    }
    Ok((pool, client))
}

pub fn admin_initiate_auth(
    state: &mut State,
    request: AdminInitiateAuthRequest,
) -> ApiResult<AuthResponse> {
    let pool_id = member(&request.user_pool_id, "userPoolId")?;
    let client_id = member(&request.client_id, "clientId")?;
    let flow = member(&request.auth_flow, "authFlow")?;
    check_context_data(request.context_data.as_ref())?;
    let (pool, client) = pool_client(state, pool_id, client_id)?;
    match flow {
        "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH" => {
            ensure_flow(&client, AuthFlow::AdminUserPassword, flow)?;
            let params = Params(request.auth_parameters.unwrap_or_default());
            check_password(state, pool, &client, &params)
        }
        "USER_SRP_AUTH" | "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" | "CUSTOM_AUTH" => initiate_auth(
            state,
            InitiateAuthRequest {
                client_id: request.client_id,
                auth_flow: request.auth_flow,
                auth_parameters: request.auth_parameters,
                session: None,
            },
        ),
        "USER_AUTH" | "USER_PASSWORD_AUTH" => Err(ApiError::invalid_parameter(
            "Initiate Auth method not supported.",
        )),
        other => Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value '{other}' at 'authFlow' failed to satisfy \
             constraint: Member must satisfy enum value set: {ADMIN_FLOWS}"
        ))),
    }
}

pub fn admin_respond(state: &mut State, request: AdminRespondRequest) -> ApiResult<AuthResponse> {
    let pool_id = member(&request.user_pool_id, "userPoolId")?;
    let client_id = member(&request.client_id, "clientId")?;
    check_context_data(request.context_data.as_ref())?;
    pool_client(state, pool_id, client_id)?;
    respond_to_auth_challenge(
        state,
        RespondToAuthChallengeRequest {
            client_id: request.client_id,
            challenge_name: request.challenge_name,
            session: request.session,
            challenge_responses: request.challenge_responses,
        },
    )
}
