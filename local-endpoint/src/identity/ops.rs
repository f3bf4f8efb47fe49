//! GetId, GetCredentialsForIdentity and GetOpenIdToken.

use std::collections::{BTreeSet, HashMap};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::json;
use serde_json::value::RawValue;

use super::config::RoleKind;
use super::logins::{self, Login};
use crate::error::{ApiError, ApiResult};
use crate::ops::params::member;
use crate::state::State;

/// How long a GetOpenIdToken token lasts (the service: 10 minutes).
const OPEN_ID_TOKEN_SECONDS: u64 = 600;
/// The issuer of GetOpenIdToken tokens, as the service names itself.
const OPEN_ID_ISSUER: &str = "https://cognito-identity.amazonaws.com";

/// Runs identity-pool operation `name` on a JSON body; the answer's JSON text.
pub fn call(state: &mut State, name: &str, body: &[u8]) -> ApiResult<String> {
    match name {
        "GetId" => get_id(state, parse(body)?),
        "GetCredentialsForIdentity" => get_credentials_for_identity(state, parse(body)?),
        "GetOpenIdToken" => get_open_id_token(state, parse(body)?),
        _ => Err(ApiError::unknown_operation(name)),
    }
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> ApiResult<T> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::serialization(format!("Malformed request body: {e}")))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetIdRequest {
    account_id: Option<String>,
    identity_pool_id: Option<String>,
    logins: Option<HashMap<String, String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetCredentialsRequest {
    identity_id: Option<String>,
    logins: Option<HashMap<String, String>>,
    custom_role_arn: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetOpenIdTokenRequest {
    identity_id: Option<String>,
    logins: Option<HashMap<String, String>>,
}

fn logins_dont_match() -> ApiError {
    ApiError::not_authorized(
        "Logins don't match. Please include at least one valid login for this identity or identity pool.",
    )
}

fn no_guests() -> ApiError {
    ApiError::not_authorized("Unauthenticated access is not supported for this identity pool.")
}

fn linked_elsewhere() -> ApiError {
    ApiError::new(
        "ResourceConflictException",
        "The login is already linked to another identity.",
    )
}

/// The model's check of an IdentityPoolId / IdentityId: `[\w-]+:[0-9a-f-]+`,
/// at most 55 characters.
fn check_id(value: &str, member: &str) -> ApiResult<()> {
    let well_formed = value.len() <= 55
        && value.split_once(':').is_some_and(|(region, guid)| {
            !region.is_empty()
                && region
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                && !guid.is_empty()
                && guid
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b) || b == b'-')
        });
    if well_formed {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value '{value}' at '{member}' failed to satisfy \
             constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+"
        )))
    }
}

/// The identity of `pool` the logins are linked to, if any; two different
/// ones conflict.
fn owner_of(state: &State, pool: usize, logins: &[Login]) -> ApiResult<Option<String>> {
    let owners: BTreeSet<&str> = logins
        .iter()
        .filter_map(|login| state.identity.identities.owner(pool, login))
        .collect();
    match owners.len() {
        0 => Ok(None),
        1 => Ok(owners.first().map(|s| (*s).to_owned())),
        _ => Err(linked_elsewhere()),
    }
}

/// Links the logins to identity `id`, unless it already has another user
/// of one of their providers.
fn link(state: &mut State, id: &str, logins: &[Login]) -> ApiResult<()> {
    let identities = &mut state.identity.identities;
    let (_, identity) = identities.current(id).ok_or_else(logins_dont_match)?;
    let taken = logins.iter().any(|login| {
        identity
            .logins
            .get(&login.provider)
            .is_some_and(|sub| *sub != login.sub)
    });
    if taken {
        return Err(logins_dont_match());
    }
    identities.link(id, logins);
    Ok(())
}

fn new_identity(state: &mut State, pool: usize, logins: &[Login]) -> ApiResult<String> {
    if state.identity.identities.is_full() {
        return Err(ApiError::new(
            "LimitExceededException",
            "The local endpoint holds no more identities; restart it.",
        ));
    }
    let region = state.identity.pools[pool].region.clone();
    Ok(state
        .identity
        .identities
        .create(&mut state.env, pool, &region, logins))
}

/// GetId: a new identity for a guest (when the pool allows guests), else
/// the identity linked to the logins, created on first use.
fn get_id(state: &mut State, request: GetIdRequest) -> ApiResult<String> {
    let pool_id = member(&request.identity_pool_id, "identityPoolId")?;
    check_id(pool_id, "identityPoolId")?;
    if let Some(account) = &request.account_id {
        if account.is_empty() || account.len() > 15 || !account.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(ApiError::invalid_parameter(format!(
                "1 validation error detected: Value '{account}' at 'accountId' failed to satisfy \
                 constraint: Member must satisfy regular expression pattern: \\d+"
            )));
        }
    }
    let pool = state.identity.pool(pool_id)?;
    let logins = logins::check(state, &state.identity.pools[pool], request.logins.as_ref())?;
    let id = if logins.is_empty() {
        if !state.identity.pools[pool].allow_unauthenticated {
            return Err(no_guests());
        }
        new_identity(state, pool, &[])?
    } else {
        match owner_of(state, pool, &logins)? {
            Some(owner) => {
                link(state, &owner, &logins)?;
                owner
            }
            None => new_identity(state, pool, &logins)?,
        }
    };
    Ok(json!({ "IdentityId": id }).to_string())
}

/// Whom a call with `identity_id` and these logins acts for: the identity
/// (after linking new logins, or merging a guest into the identity that
/// already has the login), its identity pool, and the role it gets.
fn resolve(
    state: &mut State,
    identity_id: &str,
    logins: Option<&HashMap<String, String>>,
) -> ApiResult<(String, usize, RoleKind)> {
    check_id(identity_id, "identityId")?;
    let (current, identity) = state
        .identity
        .identities
        .current(identity_id)
        .ok_or_else(|| {
            ApiError::new(
                "ResourceNotFoundException",
                format!("Identity '{identity_id}' not found."),
            )
        })?;
    let (current, pool, is_guest) = (
        current.to_owned(),
        identity.pool,
        identity.logins.is_empty(),
    );
    let logins = logins::check(state, &state.identity.pools[pool], logins)?;
    if logins.is_empty() {
        if !is_guest {
            return Err(logins_dont_match());
        }
        if !state.identity.pools[pool].allow_unauthenticated {
            return Err(no_guests());
        }
        return Ok((current, pool, RoleKind::Unauthenticated));
    }
    let target = match owner_of(state, pool, &logins)? {
        None => current,
        Some(owner) if owner == current => current,
        Some(owner) if is_guest => {
            state.identity.identities.merge(&current, &owner);
            owner
        }
        Some(_) => return Err(linked_elsewhere()),
    };
    link(state, &target, &logins)?;
    Ok((target, pool, RoleKind::Authenticated))
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct CredentialsAnswer {
    identity_id: String,
    credentials: CredentialsMember,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct CredentialsMember {
    access_key_id: String,
    secret_key: String,
    session_token: String,
    /// Epoch seconds as the service writes them: a double in exponent form.
    expiration: Box<RawValue>,
}

/// GetCredentialsForIdentity: temporary credentials of the identity's role.
fn get_credentials_for_identity(
    state: &mut State,
    request: GetCredentialsRequest,
) -> ApiResult<String> {
    let identity_id = member(&request.identity_id, "identityId")?;
    let (id, pool, kind) = resolve(state, identity_id, request.logins.as_ref())?;
    let config = &state.identity.pools[pool];
    let role = config.role(kind).ok_or_else(|| {
        ApiError::new(
            "InvalidIdentityPoolConfigurationException",
            "Invalid identity pool configuration. Check assigned IAM roles for this pool.",
        )
    })?;
    if let Some(arn) = &request.custom_role_arn {
        if *arn != role.arn {
            return Err(ApiError::invalid_parameter(format!(
                "CustomRoleArn {arn} is not the {} role of this identity pool.",
                kind.name()
            )));
        }
    }
    let seconds = config.credentials_validity;
    let issued = state
        .identity
        .identities
        .issue(&mut state.env, (&id, pool, kind), seconds);
    let answer = CredentialsAnswer {
        identity_id: id,
        credentials: CredentialsMember {
            access_key_id: issued.access_key_id,
            secret_key: issued.secret_key,
            session_token: issued.session_token,
            expiration: RawValue::from_string(java_double(issued.expires))
                .expect("a number is JSON"),
        },
    };
    Ok(serde_json::to_string(&answer).expect("answers serialise"))
}

/// GetOpenIdToken: an OpenID token for the identity, signed with the
/// endpoint's key (which every user pool's JWKS lists).
fn get_open_id_token(state: &mut State, request: GetOpenIdTokenRequest) -> ApiResult<String> {
    let identity_id = member(&request.identity_id, "identityId")?;
    let (id, pool, kind) = resolve(state, identity_id, request.logins.as_ref())?;
    let amr: Vec<String> = match kind {
        RoleKind::Unauthenticated => vec!["unauthenticated".into()],
        RoleKind::Authenticated => {
            let (_, identity) = state
                .identity
                .identities
                .current(&id)
                .expect("resolve returns a known identity");
            std::iter::once("authenticated".to_owned())
                .chain(identity.logins.iter().flat_map(|(provider, sub)| {
                    [provider.clone(), format!("{provider}:CognitoSignIn:{sub}")]
                }))
                .collect()
        }
    };
    let now = state.env.now();
    let claims = json!({
        "iss": OPEN_ID_ISSUER,
        "sub": id,
        "aud": state.identity.pools[pool].id,
        "amr": amr,
        "iat": now,
        "exp": now + OPEN_ID_TOKEN_SECONDS,
    });
    let token = state.signer.sign(&claims);
    Ok(json!({ "IdentityId": id, "Token": token }).to_string())
}

/// Whole seconds as Java's `Double.toString` writes them from 10^7 on:
/// `1767225721` -> `1.767225721E9`.
fn java_double(seconds: u64) -> String {
    let digits = seconds.to_string();
    let (first, rest) = digits.split_at(1);
    let rest = rest.trim_end_matches('0');
    let fraction = if rest.is_empty() { "0" } else { rest };
    format!("{first}.{fraction}E{}", digits.len() - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expirations_are_written_as_java_doubles() {
        assert_eq!(java_double(1_767_225_721), "1.767225721E9");
        assert_eq!(java_double(1_700_000_000), "1.7E9");
        assert_eq!(java_double(1_000_000_000), "1.0E9");
        assert_eq!(java_double(10_000_000_000), "1.0E10");
        assert_eq!("1.767225721E9".parse::<f64>().unwrap(), 1_767_225_721.0);
    }

    #[test]
    fn ids_must_match_the_models_pattern() {
        assert!(check_id(
            "us-east-1:0b7a1c62-5d3e-4f7a-9c1e-2a4b6c8d0e1f",
            "identityId"
        )
        .is_ok());
        for bad in [
            "",
            "nocolon",
            "us-east-1:",
            ":abc",
            "us-east-1:ABC",
            "us east:abc",
        ] {
            let error = check_id(bad, "identityId").unwrap_err();
            assert_eq!(error.name, "InvalidParameterException", "{bad}");
        }
    }
}
