//! Request checks shared by the operations.

use std::collections::HashMap;

use cognito_srp::srp::compute_secret_hash;
use subtle::ConstantTimeEq;

use super::challenge::ChallengeCall;
use crate::challenges::TtlStore;
use crate::error::{ApiError, ApiResult};
use crate::pool::{AuthFlow, Client, Pool};
use crate::state::State;

/// AuthParameters or ChallengeResponses.
pub struct Params(pub HashMap<String, String>);

impl Params {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    pub fn required(&self, name: &str) -> ApiResult<&str> {
        self.get(name)
            .ok_or_else(|| ApiError::missing_parameter(name))
    }

    /// USERNAME, once the SECRET_HASH sent with it is right for `client`.
    pub fn login(&self, client: &Client) -> ApiResult<&str> {
        let login = self.required("USERNAME")?;
        check_secret_hash(client, login, self.get("SECRET_HASH"))?;
        Ok(login)
    }

    /// The entries `prefix<name>` as (name, value).
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.0
            .iter()
            .filter_map(move |(k, v)| Some((k.strip_prefix(prefix)?, v.as_str())))
    }
}

/// A sign-in challenge stored under its Session: issued to one app client
/// for one user.
pub trait Issued {
    fn client_id(&self) -> &str;
    /// The internal username.
    fn username(&self) -> &str;

    /// Whether `login` (an answer's USERNAME) names the challenge's user.
    fn is_named(&self, pool: &Pool, login: &str) -> bool {
        pool.user(self.username())
            .is_some_and(|user| pool.is_login_of(login, user))
    }
}

/// What every challenge answer carries: USERNAME (with SECRET_HASH checked)
/// and the Session; also the time, for looking the Session up.
pub struct Answer<'a> {
    pub login: &'a str,
    pub session: &'a str,
    pub now: u64,
}

impl<'a> Answer<'a> {
    pub fn parse(state: &State, call: ChallengeCall<'a>) -> ApiResult<Self> {
        let login = call.responses.login(call.client)?;
        Ok(Answer {
            login,
            session: call.session.ok_or_else(ApiError::invalid_session)?,
            now: state.env.now(),
        })
    }

    /// Whether `challenge` was issued to `client` for the user USERNAME names.
    pub fn is_for<T: Issued>(&self, pool: &Pool, client: &Client, challenge: &T) -> bool {
        challenge.client_id() == client.id && challenge.is_named(pool, self.login)
    }

    /// Takes the challenge stored under the Session (single use, even when
    /// it is refused), if it was issued to `client` for this user.
    pub fn take<T: Issued>(
        &self,
        store: &mut TtlStore<T>,
        pool: &Pool,
        client: &Client,
    ) -> ApiResult<T> {
        store
            .take(self.session, self.now)
            .filter(|challenge| self.is_for(pool, client, challenge))
            .ok_or_else(ApiError::invalid_session)
    }
}

/// A required top-level member of the request.
pub fn member<'a>(value: &'a Option<String>, name: &str) -> ApiResult<&'a str> {
    value.as_deref().ok_or_else(|| ApiError::null_member(name))
}

/// Refuses a flow the client does not allow; `requested` is the AuthFlow
/// value as the caller sent it.
pub fn ensure_flow(client: &Client, flow: AuthFlow, requested: &str) -> ApiResult<()> {
    if client.flows.contains(&flow) {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(format!(
            "{requested} flow not enabled for this client"
        )))
    }
}

/// For a client with a secret, SECRET_HASH must be
/// base64(HMAC-SHA256(secret, username || clientId)) for this `username`.
pub fn check_secret_hash(client: &Client, username: &str, sent: Option<&str>) -> ApiResult<()> {
    let Some(secret) = &client.secret else {
        return Ok(());
    };
    let Some(sent) = sent else {
        return Err(ApiError::not_authorized(format!(
            "Client {} is configured for secret but secret was not received",
            client.id
        )));
    };
    let expected = compute_secret_hash(username, &client.id, secret);
    if bool::from(expected.as_bytes().ct_eq(sent.as_bytes())) {
        Ok(())
    } else {
        Err(ApiError::not_authorized(format!(
            "Unable to verify secret hash for client {}",
            client.id
        )))
    }
}
