//! InitiateAuth: USER_SRP_AUTH, USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH;
//! CUSTOM_AUTH and USER_AUTH in their own modules.

use std::collections::{BTreeMap, HashMap};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use cognito_srp::uint::Uint;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

use super::params::{check_secret_hash, ensure_flow, member, Params};
use super::sign_in::{after_password, refresh, AuthResponse};
use crate::challenges::SrpChallenge;
use crate::error::{ApiError, ApiResult};
use crate::pool::{AuthFlow, Client};
use crate::srp_server::{decoy_public_b, public_a_is_valid, public_b, B_BITS};
use crate::state::State;

/// Random bytes in the server secret b.
const B_BYTES: usize = B_BITS / 8;
/// Random bytes in a SECRET_BLOCK.
const SECRET_BLOCK_BYTES: usize = 64;
/// Bytes of a verifier salt (made-up salts have the same size).
const SALT_BYTES: usize = 16;

const AUTH_FLOWS: &str = "[USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, \
ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH]";

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InitiateAuthRequest {
    pub(super) client_id: Option<String>,
    pub(super) auth_flow: Option<String>,
    pub(super) auth_parameters: Option<HashMap<String, String>>,
    /// ConfirmSignUp's Session, for USER_AUTH (ops/passwordless.rs).
    pub(super) session: Option<String>,
}

pub fn initiate_auth(state: &mut State, request: InitiateAuthRequest) -> ApiResult<AuthResponse> {
    let (pool, client) = state.client(member(&request.client_id, "clientId")?)?;
    let flow = member(&request.auth_flow, "authFlow")?;
    let params = Params(request.auth_parameters.unwrap_or_default());
    match flow {
        "USER_SRP_AUTH" => start_srp(state, pool, &client, &params),
        "USER_PASSWORD_AUTH" => password_auth(state, pool, &client, &params),
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => refresh_auth(state, pool, &client, flow, &params),
        "CUSTOM_AUTH" => super::custom_auth::start(state, pool, &client, &params),
        "USER_AUTH" => match request.session.as_deref() {
            Some(session) => {
                super::passwordless::sign_in_with_session(state, pool, &client, &params, session)
            }
            None => super::user_auth::start(state, pool, &client, &params),
        },
        "ADMIN_NO_SRP_AUTH" | "ADMIN_USER_PASSWORD_AUTH" => Err(ApiError::invalid_parameter(
            "Initiate Auth method not supported.",
        )),
        other => Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value '{other}' at 'authFlow' failed to satisfy \
             constraint: Member must satisfy enum value set: {AUTH_FLOWS}"
        ))),
    }
}

/// USER_SRP_AUTH: answers PASSWORD_VERIFIER. An unknown user gets a made-up
/// challenge when the client prevents user-existence errors.
fn start_srp(
    state: &mut State,
    pool: usize,
    client: &Client,
    params: &Params,
) -> ApiResult<AuthResponse> {
    ensure_flow(client, AuthFlow::UserSrp, "USER_SRP_AUTH")?;
    srp_challenge(state, pool, client, params)
}

/// PASSWORD_VERIFIER for USERNAME and SRP_A (USER_SRP_AUTH, and CUSTOM_AUTH
/// with SRP_A first).
pub(super) fn srp_challenge(
    state: &mut State,
    pool: usize,
    client: &Client,
    params: &Params,
) -> ApiResult<AuthResponse> {
    let login = params.required("USERNAME")?;
    let public_a = parse_srp_a(params.required("SRP_A")?)?;
    check_secret_hash(client, login, params.get("SECRET_HASH"))?;
    let b = Uint::from_be_bytes(&state.env.bytes(B_BYTES)).expect("b has 2048 bits");
    let (username, user_id_for_srp, public_b, salt) = match state.pools[pool].find_by_login(login) {
        Some(user) => (
            Some(user.username.clone()),
            user.username.clone(),
            public_b(&user.verifier.v, &b),
            user.verifier.salt.clone(),
        ),
        None if client.prevent_user_existence_errors => (
            None,
            login.to_owned(),
            decoy_public_b(&b),
            decoy_salt(state, pool, login),
        ),
        None => return Err(ApiError::user_not_found()),
    };
    let challenge = SrpChallenge {
        client_id: client.id.clone(),
        username,
        user_id_for_srp,
        public_a,
        public_b,
        b,
        secret_block: state.env.bytes(SECRET_BLOCK_BYTES),
        session: state.env.token(SECRET_BLOCK_BYTES),
    };
    Ok(issue_srp_challenge(state, challenge, &salt))
}

/// Stores the challenge under its SECRET_BLOCK and answers PASSWORD_VERIFIER.
fn issue_srp_challenge(state: &mut State, challenge: SrpChallenge, salt: &Uint) -> AuthResponse {
    let secret_block = BASE64.encode(&challenge.secret_block);
    let parameters = BTreeMap::from([
        ("SALT", salt.to_hex()),
        ("SRP_B", challenge.public_b.to_hex()),
        ("SECRET_BLOCK", secret_block.clone()),
        ("USERNAME", challenge.user_id_for_srp.clone()),
        ("USER_ID_FOR_SRP", challenge.user_id_for_srp.clone()),
    ]);
    let session = challenge.session.clone();
    let now = state.env.now();
    state.srp_challenges.insert(secret_block, challenge, now);
    AuthResponse::challenge("PASSWORD_VERIFIER", session, parameters)
}

/// SRP_A: hex, and A mod N != 0.
pub(super) fn parse_srp_a(hex: &str) -> ApiResult<Uint> {
    let public_a = Uint::from_hex(hex)
        .ok_or_else(|| ApiError::invalid_parameter("SRP_A is not a hex number below 2^3072"))?;
    if public_a_is_valid(&public_a) {
        Ok(public_a)
    } else {
        Err(ApiError::invalid_parameter("SRP_A mod N must not be 0"))
    }
}

/// A made-up salt that is the same for every attempt with the same name, as
/// a real user's salt would be.
fn decoy_salt(state: &State, pool: usize, login: &str) -> Uint {
    let mut mac = Hmac::<Sha256>::new_from_slice(&state.decoy_key).expect("any key length");
    mac.update(state.pools[pool].id.as_bytes());
    mac.update(&[0]);
    mac.update(login.to_lowercase().as_bytes());
    Uint::from_be_bytes(&mac.finalize().into_bytes()[..SALT_BYTES]).expect("16 bytes fit")
}

/// USER_PASSWORD_AUTH: the password is checked against the SRP verifier.
fn password_auth(
    state: &mut State,
    pool: usize,
    client: &Client,
    params: &Params,
) -> ApiResult<AuthResponse> {
    ensure_flow(client, AuthFlow::UserPassword, "USER_PASSWORD_AUTH")?;
    check_password(state, pool, client, params)
}

/// USERNAME and PASSWORD (USER_PASSWORD_AUTH and the admin password flows):
/// the password is checked against the user's SRP verifier.
pub(super) fn check_password(
    state: &mut State,
    pool: usize,
    client: &Client,
    params: &Params,
) -> ApiResult<AuthResponse> {
    let login = params.required("USERNAME")?;
    let password = params.required("PASSWORD")?;
    check_secret_hash(client, login, params.get("SECRET_HASH"))?;
    let pool_ref = &state.pools[pool];
    let username = match pool_ref.find_by_login(login) {
        Some(user)
            if user
                .verifier
                .matches(&pool_ref.name, &user.username, password) =>
        {
            user.username.clone()
        }
        Some(_) => return Err(ApiError::incorrect_credentials()),
        None if client.prevent_user_existence_errors => {
            return Err(ApiError::incorrect_credentials())
        }
        None => return Err(ApiError::user_not_found()),
    };
    let device_key =
        super::devices::named_device(state, pool, Some(&username), params.get("DEVICE_KEY"))?;
    after_password(state, pool, client, &username, device_key)
}

/// REFRESH_TOKEN_AUTH: new access and id tokens under the refresh token's
/// grant. SECRET_HASH is over the grant user's username.
fn refresh_auth(
    state: &mut State,
    pool: usize,
    client: &Client,
    flow: &str,
    params: &Params,
) -> ApiResult<AuthResponse> {
    ensure_flow(client, AuthFlow::RefreshToken, flow)?;
    let token = params.required("REFRESH_TOKEN")?;
    let (origin_jti, grant) = state
        .grants
        .by_refresh_token(token)
        .filter(|(_, grant)| grant.client_id == client.id)
        .ok_or_else(|| ApiError::not_authorized("Invalid Refresh Token"))?;
    if grant.revoked {
        return Err(ApiError::not_authorized("Refresh Token has been revoked"));
    }
    if state.env.now() >= grant.refresh_expires {
        return Err(ApiError::not_authorized("Refresh Token has expired"));
    }
    check_secret_hash(client, &grant.username, params.get("SECRET_HASH"))?;
    super::devices::named_device(state, pool, Some(&grant.username), params.get("DEVICE_KEY"))?;
    let (origin_jti, username, auth_time) = (
        origin_jti.to_owned(),
        grant.username.clone(),
        grant.auth_time,
    );
    let enabled = state.pools[pool].user(&username).is_some_and(|u| u.enabled);
    if !enabled {
        return Err(ApiError::not_authorized("User is disabled."));
    }
    Ok(refresh(
        state,
        pool,
        client,
        &username,
        &origin_jti,
        auth_time,
    ))
}
