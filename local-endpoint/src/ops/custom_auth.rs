//! CUSTOM_AUTH, as the pool's Define/Create/VerifyAuthChallenge triggers
//! would run it, with the rules from the seed (`customChallenge` of a user):
//! optionally SRP first (SRP_A with CHALLENGE_NAME=SRP_A, then
//! PASSWORD_VERIFIER), then `rounds` CUSTOM_CHALLENGEs, each answered with
//! the seeded answer, then tokens.

use std::collections::BTreeMap;

use subtle::ConstantTimeEq;

use super::challenge::ChallengeCall;
use super::initiate_auth::srp_challenge;
use super::params::{ensure_flow, Answer, Issued, Params};
use super::sign_in::{enabled_and_confirmed, sign_in, AuthResponse, OPAQUE_TOKEN_BYTES};
use crate::error::{ApiError, ApiResult};
use crate::pool::{AuthFlow, Client};
use crate::state::State;

/// A CUSTOM_CHALLENGE round in flight, stored under its Session.
pub struct CustomChallenge {
    pub client_id: String,
    pub username: String,
    /// 1 for the first round.
    pub round: u32,
}

impl Issued for CustomChallenge {
    fn client_id(&self) -> &str {
        &self.client_id
    }

    fn username(&self) -> &str {
        &self.username
    }
}

const NOT_CONFIGURED: &str = "Custom auth lambda trigger is not configured for the user pool.";

/// InitiateAuth with CUSTOM_AUTH.
pub fn start(
    state: &mut State,
    pool: usize,
    client: &Client,
    params: &Params,
) -> ApiResult<AuthResponse> {
    ensure_flow(client, AuthFlow::Custom, "CUSTOM_AUTH")?;
    let login = params.login(client)?;
    if params.get("CHALLENGE_NAME") == Some("SRP_A") {
        let response = srp_challenge(state, pool, client, params)?;
        if let Some(session) = &response.session {
            let now = state.env.now();
            state.custom_srp_sessions.insert(session.clone(), (), now);
        }
        return Ok(response);
    }
    let pool_ref = &state.pools[pool];
    let username = match pool_ref.find_by_login(login) {
        Some(user) => user.username.clone(),
        None if client.prevent_user_existence_errors => {
            return Err(ApiError::incorrect_credentials())
        }
        None => return Err(ApiError::user_not_found()),
    };
    after_srp(state, pool, client, &username)
}

/// The first CUSTOM_CHALLENGE, once the user is known (and, with SRP first,
/// the password proven).
pub fn after_srp(
    state: &mut State,
    pool: usize,
    client: &Client,
    username: &str,
) -> ApiResult<AuthResponse> {
    let pool_ref = &state.pools[pool];
    enabled_and_confirmed(pool_ref, username)?;
    if !pool_ref.custom_challenges.contains_key(username) {
        return Err(ApiError::invalid_parameter(NOT_CONFIGURED));
    }
    Ok(issue(state, pool, client, username, 1))
}

fn issue(
    state: &mut State,
    pool: usize,
    client: &Client,
    username: &str,
    round: u32,
) -> AuthResponse {
    let rule = &state.pools[pool].custom_challenges[username];
    let parameters = BTreeMap::from([
        ("USERNAME", username.to_owned()),
        ("question", rule.question.clone()),
        ("round", round.to_string()),
        ("rounds", rule.rounds.to_string()),
    ]);
    let session = state.env.token(OPAQUE_TOKEN_BYTES);
    let now = state.env.now();
    let challenge = CustomChallenge {
        client_id: client.id.clone(),
        username: username.to_owned(),
        round,
    };
    state.custom_challenges.insert_for(
        session.clone(),
        challenge,
        now,
        client.auth_session_validity,
    );
    AuthResponse::challenge("CUSTOM_CHALLENGE", session, parameters)
}

/// RespondToAuthChallenge with CUSTOM_CHALLENGE: ANSWER. A wrong answer ends
/// the sign-in, as a VerifyAuthChallenge trigger that fails it.
pub fn respond(state: &mut State, call: ChallengeCall<'_>) -> ApiResult<AuthResponse> {
    let given = Answer::parse(state, call)?;
    let answer = call.responses.required("ANSWER")?;
    let challenge = given.take(
        &mut state.custom_challenges,
        &state.pools[call.pool],
        call.client,
    )?;
    let pool_ref = &state.pools[call.pool];
    let rule = pool_ref
        .custom_challenges
        .get(&challenge.username)
        .ok_or_else(|| ApiError::invalid_parameter(NOT_CONFIGURED))?;
    if !bool::from(rule.answer.as_bytes().ct_eq(answer.as_bytes())) {
        return Err(ApiError::incorrect_credentials());
    }
    if challenge.round < rule.rounds {
        return Ok(issue(
            state,
            call.pool,
            call.client,
            &challenge.username,
            challenge.round + 1,
        ));
    }
    Ok(sign_in(state, call.pool, call.client, &challenge.username))
}
