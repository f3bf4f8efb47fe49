//! RespondToAuthChallenge: PASSWORD_VERIFIER and NEW_PASSWORD_REQUIRED.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use super::params::{check_secret_hash, member, Answer, Params};
use super::sign_in::{after_password, AuthResponse};
use crate::challenges::SrpChallenge;
use crate::error::{ApiError, ApiResult};
use crate::pool::{Client, Pool, User, UserStatus};
use crate::srp_server::{claim_is_valid, ClaimCheck, Exchange, Verifier};
use crate::state::State;
use crate::timestamp;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RespondToAuthChallengeRequest {
    pub(super) client_id: Option<String>,
    pub(super) challenge_name: Option<String>,
    pub(super) session: Option<String>,
    pub(super) challenge_responses: Option<HashMap<String, String>>,
}

/// One RespondToAuthChallenge call, as each challenge's handler takes it.
#[derive(Clone, Copy)]
pub struct ChallengeCall<'a> {
    pub pool: usize,
    pub client: &'a Client,
    /// Optional: pycognito sends no Session with some answers.
    pub session: Option<&'a str>,
    pub responses: &'a Params,
}

impl ChallengeCall<'_> {
    /// Refuses the answer unless its SECRET_HASH is right for `username`.
    pub fn check_secret_hash(&self, username: &str) -> ApiResult<()> {
        check_secret_hash(self.client, username, self.responses.get("SECRET_HASH"))
    }
}

pub fn respond_to_auth_challenge(
    state: &mut State,
    request: RespondToAuthChallengeRequest,
) -> ApiResult<AuthResponse> {
    let (pool, client) = state.client(member(&request.client_id, "clientId")?)?;
    let responses = Params(request.challenge_responses.unwrap_or_default());
    let call = ChallengeCall {
        pool,
        client: &client,
        session: request.session.as_deref(),
        responses: &responses,
    };
    match member(&request.challenge_name, "challengeName")? {
        "PASSWORD_VERIFIER" => password_verifier(state, call),
        "NEW_PASSWORD_REQUIRED" => new_password(state, call),
        "DEVICE_SRP_AUTH" => super::devices::respond_device_srp(state, call),
        "DEVICE_PASSWORD_VERIFIER" => super::devices::respond_device_verifier(state, call),
        "CUSTOM_CHALLENGE" => super::custom_auth::respond(state, call),
        name @ ("SMS_MFA" | "EMAIL_OTP" | "SMS_OTP" | "SOFTWARE_TOKEN_MFA" | "SELECT_MFA_TYPE"
        | "MFA_SETUP") => super::mfa::respond(state, call, name),
        "SELECT_CHALLENGE" => super::user_auth::respond(state, call),
        "WEB_AUTHN" => super::passkeys::respond(state, call),
        other => Err(ApiError::invalid_parameter(format!(
            "{other} is not a challenge this endpoint issues"
        ))),
    }
}

/// The PASSWORD_VERIFIER answer's fields.
pub(super) struct Claim<'a> {
    pub(super) username: &'a str,
    pub(super) secret_block: &'a str,
    pub(super) signature: &'a str,
    pub(super) timestamp: &'a str,
}

impl<'a> Claim<'a> {
    pub(super) fn parse(responses: &'a Params) -> ApiResult<Self> {
        let claim = Claim {
            username: responses.required("USERNAME")?,
            secret_block: responses.required("PASSWORD_CLAIM_SECRET_BLOCK")?,
            signature: responses.required("PASSWORD_CLAIM_SIGNATURE")?,
            timestamp: responses.required("TIMESTAMP")?,
        };
        if !timestamp::is_well_formed(claim.timestamp) {
            return Err(ApiError::invalid_parameter(format!(
                "TIMESTAMP {:?} is not of the form EEE MMM d HH:mm:ss UTC yyyy",
                claim.timestamp
            )));
        }
        Ok(claim)
    }

    /// Whether the signature proves the secret behind `verifier` for
    /// `challenge`, under the SRP identity `pool_name` + `user_id`: the
    /// pool's name and USER_ID_FOR_SRP for a password, the DeviceGroupKey
    /// and DeviceKey for a device.
    pub(super) fn proves(
        &self,
        challenge: &SrpChallenge,
        pool_name: &str,
        user_id: &str,
        verifier: &Verifier,
    ) -> bool {
        let exchange = Exchange {
            public_a: &challenge.public_a,
            public_b: &challenge.public_b,
            b: &challenge.b,
        };
        let check = ClaimCheck {
            pool_name,
            user_id,
            secret_block: &challenge.secret_block,
            timestamp: self.timestamp,
        };
        claim_is_valid(&exchange, &verifier.v, &check, self.signature)
    }
}

/// Whether the SRP `challenge` a claim answers was issued to `client` under
/// `session`. The Session is optional, as pycognito does not send it; when
/// sent it must match.
pub(super) fn is_answered_by(
    challenge: &SrpChallenge,
    client: &Client,
    session: Option<&str>,
) -> bool {
    challenge.client_id == client.id && session.map_or(true, |s| s == challenge.session)
}

/// Checks PASSWORD_CLAIM_SIGNATURE against the challenge stored under
/// PASSWORD_CLAIM_SECRET_BLOCK (single use), answered as [`is_answered_by`]
/// says.
fn password_verifier(state: &mut State, call: ChallengeCall<'_>) -> ApiResult<AuthResponse> {
    let claim = Claim::parse(call.responses)?;
    call.check_secret_hash(claim.username)?;
    let now = state.env.now();
    // A device the pool no longer knows is refused before the challenge is
    // used up, so that the client can answer again without it.
    let user = state
        .srp_challenges
        .get(claim.secret_block, now)
        .and_then(|c| c.username.clone());
    let device_key = super::devices::named_device(
        state,
        call.pool,
        user.as_deref(),
        call.responses.get("DEVICE_KEY"),
    )?;
    let challenge = state
        .srp_challenges
        .take(claim.secret_block, now)
        .filter(|c| is_answered_by(c, call.client, call.session))
        .ok_or_else(ApiError::invalid_session)?;
    let pool_ref = &state.pools[call.pool];
    let user = challenge
        .username
        .as_deref()
        .and_then(|name| pool_ref.user(name))
        .filter(|user| pool_ref.is_login_of(claim.username, user))
        .filter(|user| {
            let user_id = &challenge.user_id_for_srp;
            claim.proves(&challenge, &pool_ref.name, user_id, &user.verifier)
        })
        .ok_or_else(ApiError::incorrect_credentials)?;
    let username = user.username.clone();
    if state
        .custom_srp_sessions
        .take(&challenge.session, now)
        .is_some()
    {
        return super::custom_auth::after_srp(state, call.pool, call.client, &username);
    }
    after_password(state, call.pool, call.client, &username, device_key)
}

/// Sets the new password and the attributes sent as `userAttributes.<name>`,
/// confirms the user, then signs in or asks for the second factor. Refusals
/// leave the Session usable.
fn new_password(state: &mut State, call: ChallengeCall<'_>) -> ApiResult<AuthResponse> {
    let given = Answer::parse(state, call)?;
    let password = call.responses.required("NEW_PASSWORD")?;
    let (session, now) = (given.session, given.now);
    let pool_ref = &state.pools[call.pool];
    let user = state
        .password_challenges
        .get(session, now)
        .filter(|c| given.is_for(pool_ref, call.client, *c))
        .and_then(|c| pool_ref.user(&c.username))
        .ok_or_else(ApiError::invalid_session)?;
    let updates: BTreeMap<String, String> = call
        .responses
        .with_prefix("userAttributes.")
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
    check_new_password(pool_ref, user, &updates, password)?;
    let username = user.username.clone();
    let verifier = pool_ref.new_verifier(&mut state.env, &username, password);
    let user = state.pools[call.pool]
        .user_mut(&username)
        .expect("found above");
    user.attributes.extend(updates);
    user.status = UserStatus::Confirmed;
    user.verifier = verifier;
    state.password_challenges.take(session, now);
    super::mfa::after_first_factor(state, call.pool, call.client, &username)
}

/// The attributes must leave `sub` alone and complete the required ones; the
/// password must meet the pool's policy.
pub(crate) fn check_new_password(
    pool: &Pool,
    user: &User,
    updates: &BTreeMap<String, String>,
    password: &str,
) -> ApiResult<()> {
    if updates.contains_key("sub") {
        return Err(ApiError::invalid_parameter(
            "Cannot modify the non-mutable attribute sub",
        ));
    }
    let has = |name: &String| user.attributes.contains_key(name) || updates.contains_key(name);
    if let Some(missing) = pool.required_attributes.iter().find(|a| !has(a)) {
        return Err(ApiError::invalid_parameter(format!(
            "Attributes did not conform to the schema: {missing}: The attribute is required"
        )));
    }
    match pool.password_policy.violation(password) {
        Some(rule) => Err(ApiError::new(
            "InvalidPasswordException",
            format!("Password does not conform to policy: {rule}"),
        )),
        None => Ok(()),
    }
}
