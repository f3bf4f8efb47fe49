//! Request checks shared by the operations.

use std::collections::HashMap;

use cognito_wasm::srp::compute_secret_hash;
use subtle::ConstantTimeEq;

use crate::error::{ApiError, ApiResult};
use crate::pool::{AuthFlow, Client};

/// AuthParameters or ChallengeResponses.
pub struct Params(pub HashMap<String, String>);

impl Params {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    pub fn required(&self, name: &str) -> ApiResult<&str> {
        self.get(name)
            .ok_or_else(|| ApiError::missing_parameter(name))
    }

    /// The entries `prefix<name>` as (name, value).
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.0
            .iter()
            .filter_map(move |(k, v)| Some((k.strip_prefix(prefix)?, v.as_str())))
    }
}

/// A required top-level member of the request.
pub fn member<'a>(value: &'a Option<String>, name: &str) -> ApiResult<&'a str> {
    value.as_deref().ok_or_else(|| ApiError::null_member(name))
}

/// Refuses a flow the client does not allow; `requested` is the AuthFlow
/// value as the caller sent it.
pub fn ensure_flow(client: &Client, flow: AuthFlow, requested: &str) -> ApiResult<()> {
    if client.flows.contains(&flow) {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(format!(
            "{requested} flow not enabled for this client"
        )))
    }
}

/// For a client with a secret, SECRET_HASH must be
/// base64(HMAC-SHA256(secret, username || clientId)) for this `username`.
pub fn check_secret_hash(client: &Client, username: &str, sent: Option<&str>) -> ApiResult<()> {
    let Some(secret) = &client.secret else {
        return Ok(());
    };
    let Some(sent) = sent else {
        return Err(ApiError::not_authorized(format!(
            "Client {} is configured for secret but secret was not received",
            client.id
        )));
    };
    let expected = compute_secret_hash(username, &client.id, secret);
    if bool::from(expected.as_bytes().ct_eq(sent.as_bytes())) {
        Ok(())
    } else {
        Err(ApiError::not_authorized(format!(
            "Unable to verify secret hash for client {}",
            client.id
        )))
    }
}
