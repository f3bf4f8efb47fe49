//! What follows a proven password: the user-state checks, then tokens or the
//! NEW_PASSWORD_REQUIRED challenge. Also the token issue shared with refresh.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::challenges::NewPasswordChallenge;
use crate::error::{ApiError, ApiResult};
use crate::grants::Grant;
use crate::pool::{Client, Pool, User, UserStatus};
use crate::state::State;
use crate::tokens::Issue;

/// Attributes the NEW_PASSWORD_REQUIRED challenge does not show the client.
const HIDDEN_ATTRIBUTES: [&str; 3] = ["sub", "email_verified", "phone_number_verified"];
/// Length in random bytes of refresh tokens and Sessions.
pub(super) const OPAQUE_TOKEN_BYTES: usize = 96;

/// The answer of InitiateAuth and RespondToAuthChallenge.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub challenge_name: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    pub challenge_parameters: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication_result: Option<AuthenticationResult>,
    /// SELECT_CHALLENGE (USER_AUTH): the first factors to choose from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available_challenges: Option<serde_json::Value>,
}

impl AuthResponse {
    /// The challenge `name`, to be answered under `session`.
    pub fn challenge(
        name: &'static str,
        session: String,
        challenge_parameters: BTreeMap<&'static str, String>,
    ) -> Self {
        AuthResponse {
            challenge_name: Some(name),
            session: Some(session),
            challenge_parameters,
            ..AuthResponse::default()
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthenticationResult {
    pub access_token: String,
    pub id_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub expires_in: u64,
    pub token_type: &'static str,
    /// When the pool tracks devices and the sign-in was not on a known one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_device_metadata: Option<super::devices::NewDeviceMetadata>,
}

/// The user `username` of `pool`, refused when disabled or unconfirmed: what
/// every first factor checks before it goes on.
pub fn enabled_and_confirmed<'a>(pool: &'a Pool, username: &str) -> ApiResult<&'a User> {
    let user = pool.user(username).ok_or_else(ApiError::user_not_found)?;
    if !user.enabled {
        return Err(ApiError::not_authorized("User is disabled."));
    }
    if user.status == UserStatus::Unconfirmed {
        return Err(ApiError::new(
            "UserNotConfirmedException",
            "User is not confirmed.",
        ));
    }
    if user.status == UserStatus::ResetRequired {
        return Err(ApiError::new(
            "PasswordResetRequiredException",
            "Password reset required for the user",
        ));
    }
    Ok(user)
}

/// The user proved the password: refuse disabled or unconfirmed users, ask
/// for a new password when one is due, or sign in. A sign-in that named a
/// remembered device (DEVICE_KEY, already checked to be the user's) asks a
/// confirmed user to prove the device (DEVICE_SRP_AUTH) before any MFA.
pub fn after_password(
    state: &mut State,
    pool: usize,
    client: &Client,
    username: &str,
    device_key: Option<&str>,
) -> ApiResult<AuthResponse> {
    let user = enabled_and_confirmed(&state.pools[pool], username)?;
    if user.status == UserStatus::ForceChangePassword {
        return Ok(new_password_challenge(state, pool, client, username));
    }
    match device_key {
        Some(key) => Ok(super::devices::device_challenge(
            state, client, username, key, false,
        )),
        None => super::mfa::after_first_factor(state, pool, client, username),
    }
}

/// A new grant: access, id and refresh tokens, and NewDeviceMetadata when
/// the pool tracks devices (the sign-in was not on a known device).
pub fn sign_in(state: &mut State, pool: usize, client: &Client, username: &str) -> AuthResponse {
    let mut answer = sign_in_on_device(state, pool, client, username);
    if let Some(result) = answer.authentication_result.as_mut() {
        result.new_device_metadata = super::devices::issue_new_device(state, pool, username);
    }
    answer
}

/// A new grant for a sign-in on a known device: no NewDeviceMetadata.
pub fn sign_in_on_device(
    state: &mut State,
    pool: usize,
    client: &Client,
    username: &str,
) -> AuthResponse {
    let origin_jti = state.env.uuid();
    let refresh_token = state.env.token(OPAQUE_TOKEN_BYTES);
    let now = state.env.now();
    let grant = Grant {
        pool,
        client_id: client.id.clone(),
        username: username.to_owned(),
        auth_time: now,
        refresh_expires: now + client.refresh_token_validity,
        revoked: false,
    };
    state
        .grants
        .add(origin_jti.clone(), refresh_token.clone(), grant);
    let mut result = issue_tokens(state, pool, client, username, &origin_jti, now);
    result.refresh_token = Some(refresh_token);
    authenticated(result)
}

/// New access and id tokens under an existing grant (refresh).
pub fn refresh(
    state: &mut State,
    pool: usize,
    client: &Client,
    username: &str,
    origin_jti: &str,
    auth_time: u64,
) -> AuthResponse {
    authenticated(issue_tokens(
        state, pool, client, username, origin_jti, auth_time,
    ))
}

fn authenticated(result: AuthenticationResult) -> AuthResponse {
    AuthResponse {
        authentication_result: Some(result),
        ..AuthResponse::default()
    }
}

fn issue_tokens(
    state: &mut State,
    pool: usize,
    client: &Client,
    username: &str,
    origin_jti: &str,
    auth_time: u64,
) -> AuthenticationResult {
    let [event_id, access_jti, id_jti] = [(); 3].map(|_| state.env.uuid());
    let user = state.pools[pool]
        .user(username)
        .expect("callers checked the user");
    let issue = Issue {
        issuer: state.issuer(pool),
        client,
        user,
        origin_jti,
        event_id: &event_id,
        auth_time,
        now: state.env.now(),
    };
    let (mut access, mut id) = (issue.access_claims(&access_jti), issue.id_claims(&id_jti));
    crate::oauth::amend_claims(state, pool, user, origin_jti, &mut access, &mut id);
    AuthenticationResult {
        access_token: state.signer.sign(&access),
        id_token: state.signer.sign(&id),
        refresh_token: None,
        expires_in: client.access_token_validity,
        token_type: "Bearer",
        new_device_metadata: None,
    }
}

/// NEW_PASSWORD_REQUIRED, with the attributes the pool requires and the user
/// lacks, and the user's current attributes, both as JSON strings.
fn new_password_challenge(
    state: &mut State,
    pool: usize,
    client: &Client,
    username: &str,
) -> AuthResponse {
    let session = state.env.token(OPAQUE_TOKEN_BYTES);
    let pool_ref = &state.pools[pool];
    let user = pool_ref.user(username).expect("callers checked the user");
    let required: Vec<String> = pool_ref
        .required_attributes
        .iter()
        .filter(|a| !user.attributes.contains_key(*a))
        .map(|a| format!("userAttributes.{a}"))
        .collect();
    let shown: BTreeMap<&String, &String> = user
        .attributes
        .iter()
        .filter(|(name, _)| !HIDDEN_ATTRIBUTES.contains(&name.as_str()))
        .collect();
    let parameters = BTreeMap::from([
        ("USER_ID_FOR_SRP", username.to_owned()),
        (
            "requiredAttributes",
            serde_json::to_string(&required).expect("strings"),
        ),
        (
            "userAttributes",
            serde_json::to_string(&shown).expect("strings"),
        ),
    ]);
    let challenge = NewPasswordChallenge {
        client_id: client.id.clone(),
        username: username.to_owned(),
    };
    let now = state.env.now();
    state.password_challenges.insert_for(
        session.clone(),
        challenge,
        now,
        client.auth_session_validity,
    );
    AuthResponse::challenge("NEW_PASSWORD_REQUIRED", session, parameters)
}
