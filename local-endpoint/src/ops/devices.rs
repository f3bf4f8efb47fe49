//! Remembered devices: NewDeviceMetadata at sign-in when the pool tracks
//! devices, ConfirmDevice (the device's SRP verifier), DEVICE_SRP_AUTH and
//! DEVICE_PASSWORD_VERIFIER (the device proves its secret with the same SRP
//! as users, where poolName := DeviceGroupKey and user := DeviceKey), and
//! UpdateDeviceStatus, ForgetDevice, ListDevices, GetDevice and the admin
//! AdminListDevices / AdminForgetDevice.
//!
//! A remembered device skips the user's MFA: that is what remembering it is for.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use cognito_srp::uint::Uint;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::challenge::{is_answered_by, ChallengeCall, Claim};
use super::initiate_auth::parse_srp_a;
use super::params::member;
use super::sign_in::{sign_in_on_device, AuthResponse, OPAQUE_TOKEN_BYTES};
use crate::challenges::SrpChallenge;
use crate::error::{ApiError, ApiResult};
use crate::pool::{Client, Pool};
use crate::srp_server::{public_b, Verifier, B_BITS};
use crate::state::State;
use crate::tokens::authorize_access;

/// A device the pool issued at a sign-in.
#[derive(Debug, Clone)]
pub struct Device {
    /// `<region>_<uuid>`, as the service makes them.
    pub key: String,
    pub group_key: String,
    /// The internal username of the device's user.
    pub username: String,
    /// Set by ConfirmDevice; until then the device cannot sign in.
    pub verifier: Option<Verifier>,
    pub name: Option<String>,
    pub remembered: bool,
    /// Unix seconds.
    pub created: u64,
    pub modified: u64,
    pub last_authenticated: Option<u64>,
}

/// AuthenticationResult.NewDeviceMetadata.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NewDeviceMetadata {
    device_key: String,
    device_group_key: String,
}

/// A DEVICE_SRP_AUTH challenge, stored under its Session.
pub struct DeviceChallenge {
    pub client_id: String,
    pub username: String,
    pub device_key: String,
    /// The first factor was a sign-in code (USER_AUTH's EMAIL_OTP, SMS_OTP):
    /// no MFA follows the device's proof.
    pub passwordless: bool,
}

/// A DEVICE_PASSWORD_VERIFIER challenge, stored under its SECRET_BLOCK.
pub struct DeviceProof {
    pub srp: SrpChallenge,
    pub device_key: String,
    pub passwordless: bool,
}

pub fn device_not_found() -> ApiError {
    ApiError::new("ResourceNotFoundException", "Device does not exist.")
}

/// A new device for `username` when the pool tracks devices.
pub fn issue_new_device(
    state: &mut State,
    pool: usize,
    username: &str,
) -> Option<NewDeviceMetadata> {
    state.pools[pool].device_configuration?;
    let region = state.pools[pool].id.split('_').next().unwrap_or_default();
    let key = format!("{region}_{}", state.env.uuid());
    let group_key = format!("-{}", state.env.token(6));
    let now = state.env.now();
    state.pools[pool].devices.push(Device {
        key: key.clone(),
        group_key: group_key.clone(),
        username: username.to_owned(),
        verifier: None,
        name: None,
        remembered: false,
        created: now,
        modified: now,
        last_authenticated: None,
    });
    Some(NewDeviceMetadata {
        device_key: key,
        device_group_key: group_key,
    })
}

/// The confirmed device `key` of `username` (any user's when None).
fn confirmed<'a>(pool: &'a Pool, username: Option<&str>, key: &str) -> Option<&'a Device> {
    pool.devices.iter().find(|d| {
        d.key == key && d.verifier.is_some() && username.map_or(true, |u| d.username == u)
    })
}

/// The DEVICE_KEY sent with a sign-in or a refresh, where the pool tracks
/// devices (elsewhere it is ignored). It must name a confirmed device of
/// the user (any user's when None): else ResourceNotFoundException "Device
/// does not exist." (the client then drops its stale device).
pub fn named_device<'a>(
    state: &State,
    pool: usize,
    username: Option<&str>,
    device_key: Option<&'a str>,
) -> ApiResult<Option<&'a str>> {
    match device_key.filter(|_| state.pools[pool].device_configuration.is_some()) {
        Some(key) => confirmed(&state.pools[pool], username, key)
            .map(|_| Some(key))
            .ok_or_else(device_not_found),
        None => Ok(None),
    }
}

/// DEVICE_SRP_AUTH for the user's device `device_key`, after a password
/// or (`passwordless`) a sign-in code.
pub fn device_challenge(
    state: &mut State,
    client: &Client,
    username: &str,
    device_key: &str,
    passwordless: bool,
) -> AuthResponse {
    let session = state.env.token(OPAQUE_TOKEN_BYTES);
    let now = state.env.now();
    let challenge = DeviceChallenge {
        client_id: client.id.clone(),
        username: username.to_owned(),
        device_key: device_key.to_owned(),
        passwordless,
    };
    state
        .device_challenges
        .insert(session.clone(), challenge, now);
    AuthResponse::challenge(
        "DEVICE_SRP_AUTH",
        session,
        BTreeMap::from([("USERNAME", username.to_owned())]),
    )
}

/// DEVICE_SRP_AUTH {USERNAME, DEVICE_KEY, SRP_A}: answers
/// DEVICE_PASSWORD_VERIFIER with the device's salt and B = k*v + g^b.
/// Without a Session (pycognito sends none), the one challenge of this
/// user and device is taken.
pub fn respond_device_srp(state: &mut State, call: ChallengeCall<'_>) -> ApiResult<AuthResponse> {
    let login = call.responses.required("USERNAME")?;
    let device_key = call.responses.required("DEVICE_KEY")?;
    let public_a = parse_srp_a(call.responses.required("SRP_A")?)?;
    call.check_secret_hash(login)?;
    let now = state.env.now();
    let pool_ref = &state.pools[call.pool];
    let of_this = |c: &DeviceChallenge| {
        c.client_id == call.client.id
            && c.device_key == device_key
            && pool_ref
                .user(&c.username)
                .is_some_and(|user| pool_ref.is_login_of(login, user))
    };
    let session = match call.session {
        Some(session) => session.to_owned(),
        None => state
            .device_challenges
            .find_key(now, of_this)
            .ok_or_else(ApiError::invalid_session)?,
    };
    let challenge = state
        .device_challenges
        .get(&session, now)
        .filter(|c| of_this(c))
        .ok_or_else(ApiError::invalid_session)?;
    let (username, passwordless) = (challenge.username.clone(), challenge.passwordless);
    let device = confirmed(pool_ref, Some(&username), device_key).ok_or_else(device_not_found)?;
    let verifier = device.verifier.clone().expect("confirmed devices have one");
    state.device_challenges.take(&session, now);
    let b = Uint::from_be_bytes(&state.env.bytes(B_BITS / 8)).expect("b has 2048 bits");
    let srp = SrpChallenge {
        client_id: call.client.id.clone(),
        username: Some(username.clone()),
        user_id_for_srp: device_key.to_owned(),
        public_b: public_b(&verifier.v, &b),
        public_a,
        b,
        secret_block: state.env.bytes(64),
        session: state.env.token(OPAQUE_TOKEN_BYTES),
    };
    let secret_block = BASE64.encode(&srp.secret_block);
    let parameters = BTreeMap::from([
        ("SALT", verifier.salt.to_hex()),
        ("SRP_B", srp.public_b.to_hex()),
        ("SECRET_BLOCK", secret_block.clone()),
        ("USERNAME", username),
        ("DEVICE_KEY", device_key.to_owned()),
    ]);
    let next_session = srp.session.clone();
    let proof = DeviceProof {
        srp,
        device_key: device_key.to_owned(),
        passwordless,
    };
    state.device_srp_challenges.insert(secret_block, proof, now);
    Ok(AuthResponse::challenge(
        "DEVICE_PASSWORD_VERIFIER",
        next_session,
        parameters,
    ))
}

/// DEVICE_PASSWORD_VERIFIER: checks the device's claim. A remembered
/// device (or a user without MFA, or a sign-in by code) signs in; otherwise
/// the user's MFA follows.
pub fn respond_device_verifier(
    state: &mut State,
    call: ChallengeCall<'_>,
) -> ApiResult<AuthResponse> {
    let claim = Claim::parse(call.responses)?;
    let device_key = call.responses.required("DEVICE_KEY")?;
    call.check_secret_hash(claim.username)?;
    let now = state.env.now();
    let DeviceProof {
        srp: challenge,
        device_key: challenge_device,
        passwordless,
    } = state
        .device_srp_challenges
        .take(claim.secret_block, now)
        .filter(|p| p.device_key == device_key && is_answered_by(&p.srp, call.client, call.session))
        .ok_or_else(ApiError::invalid_session)?;
    let username = challenge.username.clone().unwrap_or_default();
    let pool_ref = &state.pools[call.pool];
    let device =
        confirmed(pool_ref, Some(&username), &challenge_device).ok_or_else(device_not_found)?;
    let verifier = device
        .verifier
        .as_ref()
        .expect("confirmed devices have one");
    let proven = pool_ref
        .user(&username)
        .is_some_and(|user| pool_ref.is_login_of(claim.username, user))
        && claim.proves(&challenge, &device.group_key, &device.key, verifier);
    if !proven {
        return Err(ApiError::incorrect_credentials());
    }
    let remembered = device.remembered;
    let has_mfa = pool_ref
        .mfa
        .get(&username)
        .is_some_and(|m| m.required || !m.enabled().is_empty());
    let device = state.pools[call.pool]
        .devices
        .iter_mut()
        .find(|d| d.key == challenge_device)
        .expect("found above");
    device.last_authenticated = Some(now);
    if remembered || !has_mfa || passwordless {
        return Ok(sign_in_on_device(state, call.pool, call.client, &username));
    }
    let answer = super::mfa::after_first_factor(state, call.pool, call.client, &username)?;
    if let Some(session) = &answer.session {
        state.device_mfa_sessions.insert(session.clone(), (), now);
    }
    Ok(answer)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifierConfig {
    password_verifier: Option<String>,
    salt: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmDeviceRequest {
    access_token: Option<String>,
    device_key: Option<String>,
    device_secret_verifier_config: Option<VerifierConfig>,
    device_name: Option<String>,
}

/// The signed-in user's device `key` (any state), mutably.
fn own_device<'a>(pool: &'a mut Pool, username: &str, key: &str) -> ApiResult<&'a mut Device> {
    pool.devices
        .iter_mut()
        .find(|d| d.key == key && d.username == username)
        .ok_or_else(device_not_found)
}

/// Registers the device's verifier and salt (base64 of the padHex bytes).
pub fn confirm_device(state: &mut State, request: ConfirmDeviceRequest) -> ApiResult<Value> {
    let owner = authorize_access(state, member(&request.access_token, "accessToken")?)?;
    let key = member(&request.device_key, "deviceKey")?;
    let config = request
        .device_secret_verifier_config
        .ok_or_else(|| ApiError::null_member("deviceSecretVerifierConfig"))?;
    let decode = |value: Option<&String>, name: &str| {
        value
            .and_then(|v| BASE64.decode(v).ok())
            .and_then(|bytes| Uint::from_be_bytes(&bytes))
            .ok_or_else(|| {
                ApiError::invalid_parameter(format!(
                    "DeviceSecretVerifierConfig.{name} is not base64 of a number below 2^3072"
                ))
            })
    };
    let v = decode(config.password_verifier.as_ref(), "PasswordVerifier")?;
    let salt = decode(config.salt.as_ref(), "Salt")?;
    let now = state.env.now();
    let pool = &mut state.pools[owner.pool];
    let on_prompt = pool
        .device_configuration
        .is_some_and(|c| c.device_only_remembered_on_user_prompt);
    let device = own_device(pool, &owner.username, key)?;
    if device.verifier.is_some() {
        return Err(ApiError::invalid_parameter(
            "Device has already been confirmed.",
        ));
    }
    device.verifier = Some(Verifier { salt, v });
    device.name = request.device_name;
    device.remembered = !on_prompt;
    device.modified = now;
    device.last_authenticated = Some(now);
    Ok(json!({ "UserConfirmationNecessary": on_prompt }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateDeviceStatusRequest {
    access_token: Option<String>,
    device_key: Option<String>,
    device_remembered_status: Option<String>,
}

pub fn update_device_status(
    state: &mut State,
    request: UpdateDeviceStatusRequest,
) -> ApiResult<Value> {
    let owner = authorize_access(state, member(&request.access_token, "accessToken")?)?;
    let key = member(&request.device_key, "deviceKey")?;
    let remembered = match request.device_remembered_status.as_deref() {
        Some("remembered") => true,
        Some("not_remembered") | None => false,
        Some(other) => {
            return Err(ApiError::invalid_parameter(format!(
                "1 validation error detected: Value '{other}' at 'deviceRememberedStatus' failed \
                 to satisfy constraint: Member must satisfy enum value set: [remembered, not_remembered]"
            )))
        }
    };
    let now = state.env.now();
    let device = own_device(&mut state.pools[owner.pool], &owner.username, key)?;
    if device.verifier.is_none() {
        return Err(device_not_found());
    }
    device.remembered = remembered;
    device.modified = now;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceKeyRequest {
    access_token: Option<String>,
    device_key: Option<String>,
}

/// Forgets the device: its key no longer signs in.
pub fn forget_device(state: &mut State, request: DeviceKeyRequest) -> ApiResult<Value> {
    let owner = authorize_access(state, member(&request.access_token, "accessToken")?)?;
    let key = member(&request.device_key, "deviceKey")?;
    remove_device(&mut state.pools[owner.pool], &owner.username, key)?;
    Ok(json!({}))
}

fn remove_device(pool: &mut Pool, username: &str, key: &str) -> ApiResult<()> {
    let before = pool.devices.len();
    pool.devices
        .retain(|d| !(d.key == key && d.username == username));
    if pool.devices.len() == before {
        Err(device_not_found())
    } else {
        Ok(())
    }
}

/// DeviceType, as ListDevices and GetDevice give it.
fn device_json(device: &Device) -> Value {
    let mut attributes = vec![
        json!({"Name": "device_status", "Value": "valid"}),
        json!({"Name": "dev:device_remembered_status",
               "Value": if device.remembered { "remembered" } else { "not_remembered" }}),
    ];
    if let Some(name) = &device.name {
        attributes.insert(0, json!({"Name": "device_name", "Value": name}));
    }
    let mut value = json!({
        "DeviceKey": device.key,
        "DeviceAttributes": attributes,
        "DeviceCreateDate": device.created,
        "DeviceLastModifiedDate": device.modified,
    });
    if let Some(at) = device.last_authenticated {
        value["DeviceLastAuthenticatedDate"] = json!(at);
    }
    value
}

fn devices_of(pool: &Pool, username: &str) -> Value {
    let devices: Vec<Value> = pool
        .devices
        .iter()
        .filter(|d| d.username == username && d.verifier.is_some())
        .map(device_json)
        .collect();
    json!({ "Devices": devices })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListDevicesRequest {
    access_token: Option<String>,
    #[allow(dead_code)]
    limit: Option<u32>,
    #[allow(dead_code)]
    pagination_token: Option<String>,
}

/// The user's confirmed devices (one page: the endpoint never has many).
pub fn list_devices(state: &mut State, request: ListDevicesRequest) -> ApiResult<Value> {
    let owner = authorize_access(state, member(&request.access_token, "accessToken")?)?;
    Ok(devices_of(&state.pools[owner.pool], &owner.username))
}

pub fn get_device(state: &mut State, request: DeviceKeyRequest) -> ApiResult<Value> {
    let owner = authorize_access(state, member(&request.access_token, "accessToken")?)?;
    let key = member(&request.device_key, "deviceKey")?;
    let device = confirmed(&state.pools[owner.pool], Some(&owner.username), key)
        .ok_or_else(device_not_found)?;
    Ok(json!({ "Device": device_json(device) }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminDeviceRequest {
    user_pool_id: Option<String>,
    username: Option<String>,
    device_key: Option<String>,
    #[allow(dead_code)]
    limit: Option<u32>,
    #[allow(dead_code)]
    pagination_token: Option<String>,
}

/// The pool and the internal username of an admin device request.
fn admin_user(state: &State, request: &AdminDeviceRequest) -> ApiResult<(usize, String)> {
    let pool_id = member(&request.user_pool_id, "userPoolId")?;
    let login = member(&request.username, "username")?;
    let pool = state.pool(pool_id)?;
    let user = state.pools[pool]
        .find_by_login(login)
        .ok_or_else(ApiError::user_not_found)?;
    Ok((pool, user.username.clone()))
}

pub fn admin_list_devices(state: &mut State, request: AdminDeviceRequest) -> ApiResult<Value> {
    let (pool, username) = admin_user(state, &request)?;
    Ok(devices_of(&state.pools[pool], &username))
}

/// Forgets a user's device, as the stale-device tests need.
pub fn admin_forget_device(state: &mut State, request: AdminDeviceRequest) -> ApiResult<Value> {
    let (pool, username) = admin_user(state, &request)?;
    let key = member(&request.device_key, "deviceKey")?;
    remove_device(&mut state.pools[pool], &username, key)?;
    Ok(json!({}))
}
