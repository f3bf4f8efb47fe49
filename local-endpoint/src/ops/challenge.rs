//! RespondToAuthChallenge: PASSWORD_VERIFIER and NEW_PASSWORD_REQUIRED.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use super::params::{check_secret_hash, member, Answer, Params};
use super::sign_in::{after_password, AuthResponse};
use crate::challenges::SrpChallenge;
use crate::error::{ApiError, ApiResult};
use crate::pool::{Client, Pool, User, UserStatus};
use crate::srp_server::{claim_is_valid, ClaimCheck, Exchange};
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

pub fn respond_to_auth_challenge(
    state: &mut State,
    request: RespondToAuthChallengeRequest,
) -> ApiResult<AuthResponse> {
    let (pool, client) = state.client(member(&request.client_id, "clientId")?)?;
    let responses = Params(request.challenge_responses.unwrap_or_default());
    let session = request.session.as_deref();
    match member(&request.challenge_name, "challengeName")? {
        "PASSWORD_VERIFIER" => password_verifier(state, pool, &client, session, &responses),
        "NEW_PASSWORD_REQUIRED" => new_password(state, pool, &client, session, &responses),
        "DEVICE_SRP_AUTH" => {
            super::devices::respond_device_srp(state, pool, &client, session, &responses)
        }
        "DEVICE_PASSWORD_VERIFIER" => {
            super::devices::respond_device_verifier(state, pool, &client, session, &responses)
        }
        "CUSTOM_CHALLENGE" => {
            super::custom_auth::respond(state, pool, &client, session, &responses)
        }
        name @ ("SMS_MFA" | "EMAIL_OTP" | "SMS_OTP" | "SOFTWARE_TOKEN_MFA" | "SELECT_MFA_TYPE"
        | "MFA_SETUP") => super::mfa::respond(state, pool, &client, name, session, &responses),
        "SELECT_CHALLENGE" => super::user_auth::respond(state, pool, &client, session, &responses),
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

    /// Whether the signature proves the password of `user` for `challenge`.
    fn proves(&self, pool: &Pool, challenge: &SrpChallenge, user: &User) -> bool {
        let exchange = Exchange {
            public_a: &challenge.public_a,
            public_b: &challenge.public_b,
            b: &challenge.b,
        };
        let check = ClaimCheck {
            pool_name: &pool.name,
            user_id: &challenge.user_id_for_srp,
            secret_block: &challenge.secret_block,
            timestamp: self.timestamp,
        };
        claim_is_valid(&exchange, &user.verifier.v, &check, self.signature)
    }
}

/// Checks PASSWORD_CLAIM_SIGNATURE against the challenge stored under
/// PASSWORD_CLAIM_SECRET_BLOCK (single use). Session is optional, as
/// pycognito does not send it; when sent it must match.
fn password_verifier(
    state: &mut State,
    pool: usize,
    client: &Client,
    session: Option<&str>,
    responses: &Params,
) -> ApiResult<AuthResponse> {
    let claim = Claim::parse(responses)?;
    check_secret_hash(client, claim.username, responses.get("SECRET_HASH"))?;
    let now = state.env.now();
    // A device the pool no longer knows is refused before the challenge is
    // used up, so that the client can answer again without it.
    let device_key = super::devices::tracked(state, pool, responses.get("DEVICE_KEY"));
    if let Some(key) = device_key {
        let user = state
            .srp_challenges
            .get(claim.secret_block, now)
            .and_then(|c| c.username.clone());
        super::devices::check_known_device(state, pool, user.as_deref(), key)?;
    }
    let challenge = state
        .srp_challenges
        .take(claim.secret_block, now)
        .filter(|c| c.client_id == client.id && session.map_or(true, |s| s == c.session))
        .ok_or_else(ApiError::invalid_session)?;
    let pool_ref = &state.pools[pool];
    let user = challenge
        .username
        .as_deref()
        .and_then(|name| pool_ref.user(name))
        .filter(|user| pool_ref.is_login_of(claim.username, user))
        .filter(|user| claim.proves(pool_ref, &challenge, user))
        .ok_or_else(ApiError::incorrect_credentials)?;
    let username = user.username.clone();
    if state
        .custom_srp_sessions
        .take(&challenge.session, now)
        .is_some()
    {
        return super::custom_auth::after_srp(state, pool, client, &username);
    }
    after_password(state, pool, client, &username, device_key)
}

/// Sets the new password and the attributes sent as `userAttributes.<name>`,
/// confirms the user, then signs in or asks for the second factor. Refusals
/// leave the Session usable.
fn new_password(
    state: &mut State,
    pool: usize,
    client: &Client,
    session: Option<&str>,
    responses: &Params,
) -> ApiResult<AuthResponse> {
    let given = Answer::parse(state, client, session, responses)?;
    let password = responses.required("NEW_PASSWORD")?;
    let (session, now) = (given.session, given.now);
    let pool_ref = &state.pools[pool];
    let user = state
        .password_challenges
        .get(session, now)
        .filter(|c| given.is_for(pool_ref, client, *c))
        .and_then(|c| pool_ref.user(&c.username))
        .ok_or_else(ApiError::invalid_session)?;
    let updates: BTreeMap<String, String> = responses
        .with_prefix("userAttributes.")
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
    check_new_password(pool_ref, user, &updates, password)?;
    let username = user.username.clone();
    let verifier = pool_ref.new_verifier(&mut state.env, &username, password);
    let user = state.pools[pool].user_mut(&username).expect("found above");
    user.attributes.extend(updates);
    user.status = UserStatus::Confirmed;
    user.verifier = verifier;
    state.password_challenges.take(session, now);
    super::mfa::after_first_factor(state, pool, client, &username)
}

/// The attributes must leave `sub` alone and complete the required ones; the
/// password must meet the pool's policy.
fn check_new_password(
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
