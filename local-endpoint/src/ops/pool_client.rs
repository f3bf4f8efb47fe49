//! CreateUserPoolClient, DescribeUserPoolClient and UpdateUserPoolClient
//! (IAM-signed). The request is checked with the same rules the client
//! library applies before sending (`cognito_admin::admin`); the new or
//! changed client is what the sign-in operations then see, so its
//! ExplicitAuthFlows and PreventUserExistenceErrors take effect at once.

use cognito_admin::admin::{self as rules, Operation};
use cognito_core::json::Json;
use serde_json::{json, Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::pool::{auth_flows, Client};
use crate::state::State;

/// Members of the request that are not client settings.
const NOT_SETTINGS: [&str; 5] = [
    "UserPoolId",
    "ClientId",
    "ClientName",
    "GenerateSecret",
    "ClientSecret",
];
const ID_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const CLIENT_ID_LENGTH: usize = 26;
const CLIENT_SECRET_LENGTH: usize = 51;

/// The rules of `op`, answered as the service answers a bad parameter.
fn check(op: Operation, request: &Value) -> ApiResult<()> {
    let json = Json::parse(&request.to_string())
        .ok_or_else(|| ApiError::serialization("Malformed request body"))?;
    rules::validate(op, &json).map_err(|e| {
        let message = e.message();
        let message = message
            .strip_prefix(op.method())
            .and_then(|m| m.strip_prefix(": "))
            .unwrap_or(message);
        ApiError::invalid_parameter(message)
    })
}

fn text<'a>(request: &'a Value, name: &str) -> &'a str {
    request[name].as_str().unwrap_or_default()
}

fn client_index(state: &State, pool: usize, client_id: &str) -> ApiResult<usize> {
    state.pools[pool]
        .clients
        .iter()
        .position(|c| c.id == client_id)
        .ok_or_else(|| {
            ApiError::new(
                "ResourceNotFoundException",
                format!("User pool client {client_id} does not exist."),
            )
        })
}

fn random_text(state: &mut State, len: usize) -> String {
    state
        .env
        .bytes(len)
        .iter()
        .map(|b| ID_ALPHABET[usize::from(*b) % ID_ALPHABET.len()] as char)
        .collect()
}

/// Applies the settings of a Create or Update request to `client` (members
/// left out take their defaults, as the service documents for Update).
fn apply_settings(client: &mut Client, request: &Value, now: u64) -> ApiResult<()> {
    let settings: Map<String, Value> = request
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(k, v)| !NOT_SETTINGS.contains(&k.as_str()) && !v.is_null())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    // "You can only activate EnablePropagateAdditionalUserContextData in an
    // app client that has a client secret."
    if settings.get("EnablePropagateAdditionalUserContextData") == Some(&json!(true))
        && client.secret.is_none()
    {
        return Err(ApiError::invalid_parameter(
            "EnablePropagateAdditionalUserContextData can only be enabled for a client with a \
             client secret",
        ));
    }
    let flows: Option<Vec<String>> = settings
        .get("ExplicitAuthFlows")
        .and_then(|v| serde_json::from_value(v.clone()).ok());
    client.flows = auth_flows(flows.as_deref()).map_err(ApiError::invalid_parameter)?;
    client.prevent_user_existence_errors =
        settings.get("PreventUserExistenceErrors") == Some(&json!("ENABLED"));
    let json = Json::parse(&request.to_string()).unwrap_or(Json::Null);
    let [access, id, refresh] = rules::token_validity_seconds(&json);
    client.access_token_validity = access.unwrap_or(3600);
    client.id_token_validity = id.unwrap_or(3600);
    client.refresh_token_validity = refresh.filter(|&s| s > 0).unwrap_or(30 * 86_400);
    client.settings = settings;
    client.modified = now;
    Ok(())
}

/// The UserPoolClientType of `client`, with the defaults filled in.
fn describe(pool_id: &str, client: &Client) -> Value {
    let mut out = Map::new();
    out.insert("UserPoolId".into(), pool_id.into());
    out.insert("ClientName".into(), client.name.clone().into());
    out.insert("ClientId".into(), client.id.clone().into());
    if let Some(secret) = &client.secret {
        out.insert("ClientSecret".into(), secret.clone().into());
    }
    out.insert("LastModifiedDate".into(), client.modified.into());
    out.insert("CreationDate".into(), client.created.into());
    let defaults = json!({
        "RefreshTokenValidity": 30,
        "TokenValidityUnits": { "AccessToken": "hours", "IdToken": "hours", "RefreshToken": "days" },
        "ExplicitAuthFlows": ["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
        "PreventUserExistenceErrors": "LEGACY",
        "AllowedOAuthFlowsUserPoolClient": false,
        "EnableTokenRevocation": true,
        "EnablePropagateAdditionalUserContextData": false,
        "AuthSessionValidity": 3,
    });
    for (key, value) in defaults.as_object().into_iter().flatten() {
        out.insert(key.clone(), value.clone());
    }
    for (key, value) in &client.settings {
        out.insert(key.clone(), value.clone());
    }
    Value::Object(out)
}

pub fn create_user_pool_client(state: &mut State, request: Value) -> ApiResult<Value> {
    check(Operation::CreateUserPoolClient, &request)?;
    let pool = state.pool(text(&request, "UserPoolId"))?;
    let id = random_text(state, CLIENT_ID_LENGTH);
    let secret = match request["ClientSecret"].as_str() {
        Some(custom) => Some(custom.to_owned()),
        None => (request["GenerateSecret"] == json!(true))
            .then(|| random_text(state, CLIENT_SECRET_LENGTH)),
    };
    let now = state.env.now();
    let mut client = Client {
        id,
        name: text(&request, "ClientName").to_owned(),
        settings: Map::new(),
        created: now,
        modified: now,
        secret,
        flows: Default::default(),
        prevent_user_existence_errors: false,
        access_token_validity: 3600,
        id_token_validity: 3600,
        refresh_token_validity: 30 * 86_400,
        auth_session_validity: 180,
    };
    apply_settings(&mut client, &request, now)?;
    let out = describe(&state.pools[pool].id, &client);
    state.pools[pool].clients.push(client);
    Ok(json!({ "UserPoolClient": out }))
}

pub fn describe_user_pool_client(state: &mut State, request: Value) -> ApiResult<Value> {
    check(Operation::DescribeUserPoolClient, &request)?;
    let pool = state.pool(text(&request, "UserPoolId"))?;
    let index = client_index(state, pool, text(&request, "ClientId"))?;
    let pool = &state.pools[pool];
    Ok(json!({ "UserPoolClient": describe(&pool.id, &pool.clients[index]) }))
}

pub fn update_user_pool_client(state: &mut State, request: Value) -> ApiResult<Value> {
    check(Operation::UpdateUserPoolClient, &request)?;
    let pool = state.pool(text(&request, "UserPoolId"))?;
    let index = client_index(state, pool, text(&request, "ClientId"))?;
    let now = state.env.now();
    let client = &mut state.pools[pool].clients[index];
    apply_settings(client, &request, now)?;
    if let Some(name) = request["ClientName"].as_str() {
        client.name = name.to_owned();
    }
    let pool = &state.pools[pool];
    Ok(json!({ "UserPoolClient": describe(&pool.id, &pool.clients[index]) }))
}
