//! Passwordless sign-up and the sign-up Sessions.
//!
//! In a pool whose sign-in policy allows a passwordless first factor
//! (EMAIL_OTP, SMS_OTP or WEB_AUTHN), SignUp may leave out the Password
//! (or send it empty): the user then has none, and USER_AUTH does not
//! offer PASSWORD or PASSWORD_SRP. SignUp answers a Session, which
//! ConfirmSignUp may carry back; ConfirmSignUp answers a Session that
//! InitiateAuth USER_AUTH accepts once, for the same user and app client,
//! within the client's AuthSessionValidity: the confirmation code counts
//! as the first factor and the user is signed in (Amplify's autoSignIn
//! after confirmSignUp).

use std::collections::HashSet;

use super::params::{ensure_flow, Params};
use super::sign_in::{enabled_and_confirmed, sign_in, AuthResponse};
use crate::challenges::TtlStore;
use crate::error::{ApiError, ApiResult};
use crate::pool::{AuthFlow, Client, User};
use crate::state::State;

/// Random bytes in a sign-up Session.
const SESSION_BYTES: usize = 96;
const PASSWORDLESS_FACTORS: [&str; 3] = ["EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"];

/// Who a sign-up Session is for.
struct SignUpSession {
    pool_id: String,
    client_id: String,
    /// The user's `sub`.
    sub: String,
}

pub struct Passwordless {
    /// Users without a password, as `<pool id>\0<sub>`.
    users: HashSet<String>,
    /// SignUp's Sessions.
    signed_up: TtlStore<SignUpSession>,
    /// ConfirmSignUp's Sessions.
    confirmed: TtlStore<SignUpSession>,
}

impl Default for Passwordless {
    fn default() -> Self {
        Passwordless {
            users: HashSet::new(),
            signed_up: TtlStore::new(super::mfa::MFA_SESSION_SECONDS),
            confirmed: TtlStore::new(super::mfa::MFA_SESSION_SECONDS),
        }
    }
}

fn user_key(pool_id: &str, sub: &str) -> String {
    format!("{pool_id}\0{sub}")
}

/// Whether SignUp may leave the password out in this pool.
pub fn password_optional(state: &State, pool: usize) -> bool {
    state.pools[pool]
        .allowed_first_auth_factors
        .iter()
        .any(|f| PASSWORDLESS_FACTORS.contains(f))
}

/// Records that the user with `sub` signed up without a password.
pub fn mark_passwordless(state: &mut State, pool: usize, sub: &str) {
    let key = user_key(&state.pools[pool].id, sub);
    state.passwordless.users.insert(key);
}

/// The user now has a password (a reset set one).
pub fn password_set(state: &mut State, pool: usize, sub: &str) {
    let key = user_key(&state.pools[pool].id, sub);
    state.passwordless.users.remove(&key);
}

pub fn has_password(state: &State, pool: usize, user: &User) -> bool {
    let key = user_key(&state.pools[pool].id, user.sub());
    !state.passwordless.users.contains(&key)
}

fn new_session(
    state: &mut State,
    pool: usize,
    client: &Client,
    sub: &str,
    confirmed: bool,
) -> String {
    let session = state.env.token(SESSION_BYTES);
    let now = state.env.now();
    let entry = SignUpSession {
        pool_id: state.pools[pool].id.clone(),
        client_id: client.id.clone(),
        sub: sub.to_owned(),
    };
    let slot = if confirmed {
        &mut state.passwordless.confirmed
    } else {
        &mut state.passwordless.signed_up
    };
    slot.insert_for(session.clone(), entry, now, client.auth_session_validity);
    session
}

/// SignUp's Session for the new user.
pub fn sign_up_session(state: &mut State, pool: usize, client: &Client, sub: &str) -> String {
    new_session(state, pool, client, sub, false)
}

/// ConfirmSignUp's Session `sent` (optional) must be SignUp's for this
/// user and client, and still live.
pub fn check_sign_up_session(
    state: &mut State,
    pool: usize,
    client: &Client,
    sub: &str,
    sent: Option<&str>,
) -> ApiResult<()> {
    let Some(sent) = sent else {
        return Ok(());
    };
    let now = state.env.now();
    let pool_id = state.pools[pool].id.clone();
    state
        .passwordless
        .signed_up
        .get(sent, now)
        .filter(|s| s.pool_id == pool_id && s.client_id == client.id && s.sub == sub)
        .map(|_| ())
        .ok_or_else(ApiError::invalid_session)
}

/// ConfirmSignUp's Session, which signs the user in once (USER_AUTH).
pub fn confirmed_session(state: &mut State, pool: usize, client: &Client, sub: &str) -> String {
    new_session(state, pool, client, sub, true)
}

/// InitiateAuth USER_AUTH with ConfirmSignUp's Session: signs USERNAME in
/// when the Session is theirs, for this client, and still live (single use).
pub fn sign_in_with_session(
    state: &mut State,
    pool: usize,
    client: &Client,
    params: &Params,
    session: &str,
) -> ApiResult<AuthResponse> {
    ensure_flow(client, AuthFlow::UserAuth, "USER_AUTH")?;
    let login = params.login(client)?;
    let now = state.env.now();
    let pool_id = state.pools[pool].id.clone();
    let entry = state
        .passwordless
        .confirmed
        .take(session, now)
        .filter(|s| s.pool_id == pool_id && s.client_id == client.id)
        .ok_or_else(ApiError::invalid_session)?;
    let pool_ref = &state.pools[pool];
    let username = pool_ref
        .find_by_login(login)
        .filter(|user| user.sub() == entry.sub)
        .map(|user| user.username.clone())
        .ok_or_else(ApiError::invalid_session)?;
    enabled_and_confirmed(pool_ref, &username)?;
    Ok(sign_in(state, pool, client, &username))
}
