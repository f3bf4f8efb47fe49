//! The pool's MFA policy and the MFA_SETUP challenge's choices.
//!
//! The seed's `mfaConfiguration` (OFF, OPTIONAL, ON) and `mfaFactors`
//! (the MFA types the pool turns on) say when a sign-in must set up MFA
//! and what MFA_SETUP offers in `MFAS_CAN_SETUP`; a user's
//! `mfa.setupFactors` overrides the pool's types for that user. Besides TOTP
//! (AssociateSoftwareToken / VerifySoftwareToken, in ops/mfa.rs), MFA_SETUP
//! can be answered with `EMAIL` (an address), as Amplify's
//! CONTINUE_SIGN_IN_WITH_EMAIL_SETUP does: a code goes to that address and
//! the EMAIL_OTP challenge follows; the right code sets the user's `email`
//! (verified), turns email MFA on and signs in.

use std::collections::BTreeMap;

use super::challenge::ChallengeCall;
use super::mfa::{mask, six_digits, MfaChallenge};
use super::sign_in::{AuthResponse, OPAQUE_TOKEN_BYTES};
use crate::challenges::TtlStore;
use crate::error::{ApiError, ApiResult};
use crate::inbox::Message;
use crate::seed::Seed;
use crate::state::State;

/// The MFA types a pool can turn on, in the order MFAS_CAN_SETUP lists them.
const MFA_TYPES: [&str; 3] = ["SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"];
/// The longest email address the answer may carry.
const MAX_EMAIL_CHARS: usize = 2048;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Off,
    Optional,
    On,
}

#[derive(Debug, Clone)]
struct Policy {
    mode: Mode,
    /// The MFA types the pool turns on, from [`MFA_TYPES`].
    factors: Vec<&'static str>,
}

impl Default for Policy {
    /// A pool without MFA settings in the seed: users' own settings decide,
    /// and MFA_SETUP offers TOTP.
    fn default() -> Self {
        Policy {
            mode: Mode::Optional,
            factors: vec!["SOFTWARE_TOKEN_MFA"],
        }
    }
}

/// The MFA policies of the pools, and the email MFA setups in flight.
pub struct MfaSetup {
    /// By pool id; pools absent here have the default policy.
    policies: BTreeMap<String, Policy>,
    /// Users whose MFA_SETUP offers other types than their pool's:
    /// (pool id, the seed's sign-in name, the types).
    user_factors: Vec<(String, String, Vec<&'static str>)>,
    /// The address being set up, by the EMAIL_OTP challenge's Session.
    emails: TtlStore<String>,
}

impl MfaSetup {
    pub fn from_seed(seed: &Seed) -> Result<Self, String> {
        let mut policies = BTreeMap::new();
        let mut user_factors = Vec::new();
        for pool in &seed.user_pools {
            for user in &pool.users {
                let factors = user.mfa.as_ref().and_then(|m| m.setup_factors.as_ref());
                let login = super::passkeys::seed_login(&pool.username_attributes, user);
                if let (Some(factors), Some(login)) = (factors, login) {
                    let factors =
                        mfa_types(factors).map_err(|e| format!("pool {}: {e}", pool.id))?;
                    user_factors.push((pool.id.clone(), login, factors));
                }
            }
            if pool.mfa_configuration.is_none() && pool.mfa_factors.is_none() {
                continue;
            }
            let mode = match pool.mfa_configuration.as_deref() {
                Some("OFF") => Mode::Off,
                None | Some("OPTIONAL") => Mode::Optional,
                Some("ON") => Mode::On,
                Some(other) => {
                    return Err(format!(
                        "pool {}: mfaConfiguration {other:?} is not OFF, OPTIONAL or ON",
                        pool.id
                    ))
                }
            };
            let factors = match &pool.mfa_factors {
                None => Policy::default().factors,
                Some(names) => mfa_types(names).map_err(|e| format!("pool {}: {e}", pool.id))?,
            };
            policies.insert(pool.id.clone(), Policy { mode, factors });
        }
        Ok(MfaSetup {
            policies,
            user_factors,
            emails: TtlStore::new(super::mfa::MFA_SESSION_SECONDS),
        })
    }
}

fn mfa_types(names: &[String]) -> Result<Vec<&'static str>, String> {
    names
        .iter()
        .map(|name| {
            MFA_TYPES
                .into_iter()
                .find(|t| t == name)
                .ok_or_else(|| format!("{name} is not one of {MFA_TYPES:?}"))
        })
        .collect()
}

/// The MFA types `username`'s MFA_SETUP offers: the user's own from the
/// seed, else the pool's.
fn setup_factors(state: &State, pool: usize, username: &str) -> Vec<&'static str> {
    let pool_ref = &state.pools[pool];
    let own = state
        .mfa_setup
        .user_factors
        .iter()
        .find(|(pool_id, login, _)| {
            *pool_id == pool_ref.id
                && pool_ref
                    .find_by_login(login)
                    .is_some_and(|user| user.username == username)
        });
    match own {
        Some((_, _, factors)) => factors.clone(),
        None => policy(state, pool).factors,
    }
}

fn policy(state: &State, pool: usize) -> Policy {
    state
        .mfa_setup
        .policies
        .get(&state.pools[pool].id)
        .cloned()
        .unwrap_or_default()
}

/// MfaConfiguration OFF: no sign-in asks for MFA.
pub fn is_off(state: &State, pool: usize) -> bool {
    policy(state, pool).mode == Mode::Off
}

/// MfaConfiguration ON: every user must have MFA (MFA_SETUP when none is on).
pub fn is_required(state: &State, pool: usize) -> bool {
    policy(state, pool).mode == Mode::On
}

/// MFA_SETUP's `MFAS_CAN_SETUP` for `username`: the MFA types, as a JSON
/// array string.
pub fn can_setup(state: &State, pool: usize, username: &str) -> String {
    let factors = setup_factors(state, pool, username);
    let listed: Vec<&str> = MFA_TYPES
        .into_iter()
        .filter(|t| factors.contains(t))
        .collect();
    serde_json::to_string(&listed).expect("strings")
}

/// MFA_SETUP answered with `EMAIL`: sends a code to that address and
/// answers EMAIL_OTP (CODE_DELIVERY_DELIVERY_MEDIUM EMAIL and the masked
/// address) under a new Session; the MFA_SETUP Session is used up.
pub fn setup_email(
    state: &mut State,
    call: ChallengeCall<'_>,
    session: &str,
    username: &str,
) -> ApiResult<AuthResponse> {
    let email = call.responses.required("EMAIL")?.to_owned();
    if !setup_factors(state, call.pool, username).contains(&"EMAIL_OTP") {
        return Err(ApiError::invalid_parameter(
            "EMAIL_OTP is not an MFA type this user pool can set up",
        ));
    }
    if !plausible_email(&email) {
        return Err(ApiError::invalid_parameter("Invalid email address format."));
    }
    let pool_ref = &state.pools[call.pool];
    let taken = pool_ref
        .find_by_login(&email)
        .is_some_and(|other| other.username != username);
    if taken {
        return Err(ApiError::new(
            "AliasExistsException",
            "An account with the given email already exists.",
        ));
    }
    let now = state.env.now();
    state.mfa_challenges.take(session, now);
    let code = six_digits(state);
    state.inbox.deliver(Message {
        pool_id: state.pools[call.pool].id.clone(),
        username: username.to_owned(),
        delivery_medium: "EMAIL".into(),
        destination: email.clone(),
        purpose: "EMAIL_OTP".into(),
        code: code.clone(),
        sent_at: now,
    });
    let next = state.env.token(OPAQUE_TOKEN_BYTES);
    let lifetime = call.client.auth_session_validity;
    let challenge = MfaChallenge {
        client_id: call.client.id.clone(),
        username: username.to_owned(),
        name: "EMAIL_OTP",
        code: Some(code),
        allowed: Vec::new(),
        secret: None,
        verified: false,
        sent_at: now,
    };
    state
        .mfa_challenges
        .insert_for(next.clone(), challenge, now, lifetime);
    let parameters = BTreeMap::from([
        ("CODE_DELIVERY_DELIVERY_MEDIUM", "EMAIL".to_owned()),
        ("CODE_DELIVERY_DESTINATION", mask(&email)),
        ("USER_ID_FOR_SRP", username.to_owned()),
    ]);
    state
        .mfa_setup
        .emails
        .insert_for(next.clone(), email, now, lifetime);
    Ok(AuthResponse::challenge("EMAIL_OTP", next, parameters))
}

/// After the right EMAIL_OTP code: if the challenge was an email MFA setup,
/// the address becomes the user's verified `email` and email MFA is on
/// (and preferred, when no factor is).
pub fn finish_email_setup(state: &mut State, pool: usize, session: &str, username: &str) {
    let now = state.env.now();
    let Some(email) = state.mfa_setup.emails.take(session, now) else {
        return;
    };
    let pool = &mut state.pools[pool];
    if let Some(user) = pool.user_mut(username) {
        user.attributes.insert("email".into(), email);
        user.attributes
            .insert("email_verified".into(), "true".into());
    }
    let settings = pool.mfa.entry(username.to_owned()).or_default();
    settings.email = true;
    settings.preferred.get_or_insert("EMAIL_OTP");
}

/// One `@` between a non-empty local part and domain, no spaces, bounded.
fn plausible_email(text: &str) -> bool {
    let well_formed = text.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !domain.contains('@')
    });
    well_formed && text.len() <= MAX_EMAIL_CHARS && !text.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::plausible_email;

    #[test]
    fn email_answers_are_checked() {
        assert!(plausible_email("a@example.com"));
        assert!(!plausible_email("a@b@example.com"));
        assert!(!plausible_email("@example.com"));
        assert!(!plausible_email("a@localhost"));
        assert!(!plausible_email("a b@example.com"));
        assert!(!plausible_email("TOTP"));
    }
}
