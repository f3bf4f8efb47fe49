//! USER_AUTH, choice-based sign-in: InitiateAuth with an optional
//! PREFERRED_CHALLENGE goes straight to that first factor when the user has
//! it, else answers SELECT_CHALLENGE with AvailableChallenges (a top-level
//! member of the answer). The factors a user has are the pool's allowed
//! first auth factors that the user can use: PASSWORD and PASSWORD_SRP
//! always, EMAIL_OTP with an email address, SMS_OTP with a phone number
//! (WEB_AUTHN needs registered passkeys, which this endpoint has none of).
//! PASSWORD and PASSWORD_SRP lead on to the second factor as the other
//! password flows do; the passwordless factors sign in with their code.
//!
//! A remembered device (DEVICE_KEY, with InitiateAuth or the answer that
//! chooses or completes the first factor) proves itself after the first
//! factor, as in the other flows (ops/devices.rs): after a password it then
//! skips MFA when remembered, after a code it signs in.

use serde_json::json;

use super::challenge::ChallengeCall;
use super::devices::named_device;
use super::initiate_auth::{check_password, srp_challenge};
use super::params::{ensure_flow, Answer, Issued, Params};
use super::sign_in::{enabled_and_confirmed, AuthResponse, OPAQUE_TOKEN_BYTES};
use crate::error::{ApiError, ApiResult};
use crate::pool::{AuthFlow, Client, Pool};
use crate::state::State;

/// A SELECT_CHALLENGE in flight, stored under its Session.
pub struct SelectChallenge {
    client_id: String,
    /// The name the user signs in with (USERNAME as sent).
    login: String,
    /// The internal username; None for a user who does not exist (the
    /// client prevents user-existence errors).
    username: Option<String>,
    available: Vec<&'static str>,
}

impl Issued for SelectChallenge {
    fn client_id(&self) -> &str {
        &self.client_id
    }

    fn username(&self) -> &str {
        self.username.as_deref().unwrap_or(&self.login)
    }

    /// An unknown user is named by the same login.
    fn is_named(&self, pool: &Pool, login: &str) -> bool {
        match &self.username {
            Some(name) => pool
                .user(name)
                .is_some_and(|user| pool.is_login_of(login, user)),
            None => self.login == login,
        }
    }
}

const FACTORS: [&str; 5] = [
    "PASSWORD",
    "PASSWORD_SRP",
    "EMAIL_OTP",
    "SMS_OTP",
    "WEB_AUTHN",
];

/// InitiateAuth with USER_AUTH.
pub fn start(
    state: &mut State,
    pool: usize,
    client: &Client,
    params: &Params,
) -> ApiResult<AuthResponse> {
    ensure_flow(client, AuthFlow::UserAuth, "USER_AUTH")?;
    let login = params.login(client)?;
    let username = match state.pools[pool].find_by_login(login) {
        Some(user) => Some(user.username.clone()),
        None if client.prevent_user_existence_errors => None,
        None => return Err(ApiError::user_not_found()),
    };
    let available = available_challenges(state, pool, username.as_deref());
    match params.get("PREFERRED_CHALLENGE") {
        Some(preferred) if !FACTORS.contains(&preferred) => Err(ApiError::invalid_parameter(
            format!("{preferred} is not a valid PREFERRED_CHALLENGE"),
        )),
        Some(preferred) if available.contains(&preferred) => {
            first_factor(state, pool, client, params, username.as_deref(), preferred)
        }
        _ => {
            let challenge = SelectChallenge {
                client_id: client.id.clone(),
                login: login.to_owned(),
                username,
                available,
            };
            Ok(select_challenge(state, client, challenge))
        }
    }
}

/// The first factors the pool allows that the user can use. An unknown
/// user is offered what a user with a password, an email address, a phone
/// number and a passkey would be, so that the list does not tell who exists.
fn available_challenges(state: &State, pool: usize, username: Option<&str>) -> Vec<&'static str> {
    let pool_ref = &state.pools[pool];
    let user = username.and_then(|name| pool_ref.user(name));
    let has = |attribute: &str| user.map_or(true, |u| u.attributes.contains_key(attribute));
    let has_password = user.map_or(true, |u| super::passwordless::has_password(state, pool, u));
    let mut available = Vec::new();
    for factor in &pool_ref.allowed_first_auth_factors {
        match *factor {
            "PASSWORD" if has_password => available.extend(["PASSWORD", "PASSWORD_SRP"]),
            "EMAIL_OTP" if has("email") => available.push("EMAIL_OTP"),
            "SMS_OTP" if has("phone_number") => available.push("SMS_OTP"),
            "WEB_AUTHN" if super::passkeys::available(state, pool, username) => {
                available.push("WEB_AUTHN")
            }
            _ => {}
        }
    }
    available
}

fn select_challenge(
    state: &mut State,
    client: &Client,
    challenge: SelectChallenge,
) -> AuthResponse {
    let session = state.env.token(OPAQUE_TOKEN_BYTES);
    let now = state.env.now();
    let available = challenge.available.clone();
    state.select_challenges.insert_for(
        session.clone(),
        challenge,
        now,
        client.auth_session_validity,
    );
    AuthResponse {
        challenge_name: Some("SELECT_CHALLENGE"),
        session: Some(session),
        available_challenges: Some(json!(available)),
        ..AuthResponse::default()
    }
}

/// The chosen first factor, with what came with the choice: PASSWORD (the
/// password), PASSWORD_SRP (SRP_A: PASSWORD_VERIFIER follows), EMAIL_OTP or
/// SMS_OTP (a code is sent).
fn first_factor(
    state: &mut State,
    pool: usize,
    client: &Client,
    params: &Params,
    username: Option<&str>,
    factor: &str,
) -> ApiResult<AuthResponse> {
    match factor {
        "PASSWORD" => check_password(state, pool, client, params),
        "PASSWORD_SRP" => srp_challenge(state, pool, client, params),
        "EMAIL_OTP" | "SMS_OTP" => {
            let username = username.ok_or_else(ApiError::incorrect_credentials)?;
            enabled_and_confirmed(&state.pools[pool], username)?;
            let device = named_device(state, pool, Some(username), params.get("DEVICE_KEY"))?;
            let kind = if factor == "EMAIL_OTP" {
                "EMAIL_OTP"
            } else {
                "SMS_OTP"
            };
            let answer = super::mfa::issue(state, pool, client, username, kind)?;
            if let (Some(key), Some(session)) = (device, &answer.session) {
                let now = state.env.now();
                let lifetime = client.auth_session_validity;
                let key = key.to_owned();
                state
                    .code_devices
                    .insert_for(session.clone(), key, now, lifetime);
            }
            Ok(answer)
        }
        "WEB_AUTHN" => super::passkeys::challenge(state, pool, client, params, username),
        other => Err(ApiError::invalid_parameter(format!(
            "{other} sign-in is not supported by this endpoint"
        ))),
    }
}

/// RespondToAuthChallenge with SELECT_CHALLENGE: ANSWER, and PASSWORD or
/// SRP_A for the password factors. The Session is single use.
pub fn respond(state: &mut State, call: ChallengeCall<'_>) -> ApiResult<AuthResponse> {
    let given = Answer::parse(state, call)?;
    let answer = call.responses.required("ANSWER")?;
    // A stale device is refused before the Session is used up, so that the
    // client can answer again without it.
    let user = state
        .select_challenges
        .get(given.session, given.now)
        .and_then(|c| c.username.clone());
    named_device(
        state,
        call.pool,
        user.as_deref(),
        call.responses.get("DEVICE_KEY"),
    )?;
    let challenge = given.take(
        &mut state.select_challenges,
        &state.pools[call.pool],
        call.client,
    )?;
    if !challenge.available.contains(&answer) {
        return Err(ApiError::invalid_parameter(format!(
            "ANSWER must be one of the AvailableChallenges: {:?}",
            challenge.available
        )));
    }
    first_factor(
        state,
        call.pool,
        call.client,
        call.responses,
        challenge.username.as_deref(),
        answer,
    )
}
