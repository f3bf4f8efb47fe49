//! The hostile server: the seed names users (`userPools[].faults`) whose
//! API calls get a fault instead of the service's answer, so that clients
//! can be tested against a network and a service that misbehave.
//!
//! A fault applies to the calls (`POST /` with
//! `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`) that name
//! its user: by `AuthParameters.USERNAME`, `ChallengeResponses.USERNAME`,
//! `Username`, the user's access token (`AccessToken`) or refresh token
//! (`AuthParameters.REFRESH_TOKEN`, `RefreshToken`, `Token`); a name matches
//! as a sign-in would (aliases, case). Faults are tried in seed order; the
//! first that matches and has not been played `times` times is played. The
//! counts are listed at `GET /faults` and zeroed by `POST /faults/reset`.
//!
//! How each kind plays is in [`answers`] and in the HTTP server
//! ([`crate::http`]), which owns the connection.

mod answers;

pub use answers::write_huge_body;

use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Value};

use crate::pool::Pool;
use crate::router::{self, HttpRequest, HttpResponse};
use crate::seed::Seed;
use crate::state::State;

const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";
/// `huge`'s default body size: far above any real answer.
const HUGE_DEFAULT_BYTES: u64 = 30_000_000;
/// `huge` bodies are streamed; this bounds how long one takes to send.
const HUGE_MAX_BYTES: u64 = 1 << 30;
/// The smallest `huge` body: `{"Padding":""}`.
const HUGE_MIN_BYTES: u64 = answers::HUGE_FRAME_BYTES;
const MAX_DELAY_MS: u64 = 600_000;
/// The statuses `http` plays: a throttling front end, or failing ones.
const HTTP_STATUSES: [u16; 5] = [429, 500, 502, 503, 504];

/// One entry of a pool's `faults`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedFault {
    /// The user, as they sign in (username, alias or username attribute);
    /// a name no user has yet (a sign-up's) matches as typed.
    pub username: String,
    /// The operations it applies to; absent: every one that names the user.
    pub operations: Option<Vec<String>>,
    pub kind: FaultKind,
    /// How many calls it is played on, after which the user's calls are
    /// answered normally; absent: every call.
    pub times: Option<u32>,
    /// `http` only (and required there): 429, 500, 502, 503 or 504.
    pub status: Option<u16>,
    /// Waits this long before playing the fault.
    pub delay_ms: Option<u64>,
    /// `huge` only: the body's size (default 30,000,000).
    pub bytes: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FaultKind {
    /// Reads the request and never answers; the connection stays open
    /// until the client gives up or the server stops.
    Hang,
    /// Runs the operation, sends the head with the full Content-Length and
    /// half the body, then stays silent like `hang`.
    Half,
    /// Reads the request and resets the connection (TCP RST), no answer.
    Reset,
    /// HTTP 400 TooManyRequestsException "Rate exceeded".
    Throttle,
    /// `status`: 429 ThrottlingException, or a 5xx HTML page of a front end.
    Http,
    /// HTTP 200 with a JSON body of `bytes` bytes.
    Huge,
    /// HTTP 200 with JSON objects nested 10,000 deep.
    Deep,
    /// Runs the operation; its answer with bytes that are not UTF-8.
    BadUtf8,
    /// Runs the operation; its answer with values of the wrong JSON types.
    WrongTypes,
    /// HTTP 200, ChallengeName SOME_NEW_CHALLENGE with a Session.
    UnknownChallenge,
    /// Runs the operation; its answer with unknown members at every level.
    UnknownFields,
}

impl FaultKind {
    fn name(self) -> &'static str {
        match self {
            FaultKind::Hang => "hang",
            FaultKind::Half => "half",
            FaultKind::Reset => "reset",
            FaultKind::Throttle => "throttle",
            FaultKind::Http => "http",
            FaultKind::Huge => "huge",
            FaultKind::Deep => "deep",
            FaultKind::BadUtf8 => "badUtf8",
            FaultKind::WrongTypes => "wrongTypes",
            FaultKind::UnknownChallenge => "unknownChallenge",
            FaultKind::UnknownFields => "unknownFields",
        }
    }
}

/// The seed's faults, with how many calls each was played on.
#[derive(Default)]
pub struct Faults {
    entries: Vec<Entry>,
}

struct Entry {
    pool_id: String,
    fault: SeedFault,
    played: u32,
}

impl Faults {
    pub fn from_seed(seed: &Seed) -> Result<Self, String> {
        let mut entries = Vec::new();
        for pool in &seed.user_pools {
            for fault in &pool.faults {
                check(fault)
                    .map_err(|e| format!("pool {}: fault for {}: {e}", pool.id, fault.username))?;
                entries.push(Entry {
                    pool_id: pool.id.clone(),
                    fault: fault.clone(),
                    played: 0,
                });
            }
        }
        Ok(Faults { entries })
    }
}

fn check(fault: &SeedFault) -> Result<(), String> {
    if fault.username.is_empty() {
        return Err("username is empty".into());
    }
    if let Some(operations) = &fault.operations {
        let is_name = |op: &String| !op.is_empty() && op.chars().all(|c| c.is_ascii_alphabetic());
        if operations.is_empty() || !operations.iter().all(is_name) {
            return Err("operations must be operation names, e.g. InitiateAuth".into());
        }
    }
    if fault.times == Some(0) {
        return Err("times must be at least 1 (leave it out for always)".into());
    }
    if fault.delay_ms.is_some_and(|ms| ms > MAX_DELAY_MS) {
        return Err(format!("delayMs is at most {MAX_DELAY_MS}"));
    }
    match (fault.kind, fault.status) {
        (FaultKind::Http, Some(status)) if HTTP_STATUSES.contains(&status) => {}
        (FaultKind::Http, _) => return Err(format!("http needs a status of {HTTP_STATUSES:?}")),
        (_, Some(_)) => return Err("status is for kind http only".into()),
        _ => {}
    }
    match (fault.kind, fault.bytes) {
        (FaultKind::Huge, Some(bytes)) if !(HUGE_MIN_BYTES..=HUGE_MAX_BYTES).contains(&bytes) => {
            Err(format!(
                "bytes must be from {HUGE_MIN_BYTES} to {HUGE_MAX_BYTES}"
            ))
        }
        (FaultKind::Huge, _) | (_, None) => Ok(()),
        (_, Some(_)) => Err("bytes is for kind huge only".into()),
    }
}

/// What the connection does instead of (or with) the answer.
pub enum Play {
    /// Sends this answer.
    Answer(HttpResponse),
    /// Sends this head, then a JSON body of this many bytes
    /// ([`write_huge_body`]).
    Huge(HttpResponse, u64),
    /// Sends the head and half of this answer's body, then holds the
    /// connection open in silence.
    Half(HttpResponse),
    /// Holds the connection open in silence.
    Hang,
    /// Resets the connection.
    Reset,
}

/// A [`Play`] after a wait.
pub struct Misbehaviour {
    pub delay: Duration,
    pub play: Play,
}

impl Misbehaviour {
    /// The normal answer, at once.
    pub fn answer(response: HttpResponse) -> Self {
        Misbehaviour {
            delay: Duration::ZERO,
            play: Play::Answer(response),
        }
    }
}

/// The fault to play on `request`, if one applies (and counts it).
pub fn intercept(state: &mut State, request: &HttpRequest) -> Option<Misbehaviour> {
    if state.faults.entries.is_empty() || request.method != "POST" || request.url != "/" {
        return None;
    }
    let operation = request
        .header("x-amz-target")?
        .strip_prefix(TARGET_PREFIX)?;
    let body = serde_json::from_slice::<Value>(&request.body).ok()?;
    let (pool, name) = named_user(state, &body)?;
    let pool = &state.pools[pool];
    let index = state.faults.entries.iter().position(|entry| {
        let fault = &entry.fault;
        entry.pool_id == pool.id
            && fault.times.map_or(true, |times| entry.played < times)
            && fault
                .operations
                .as_ref()
                .map_or(true, |ops| ops.iter().any(|op| op == operation))
            && names_same_user(pool, &fault.username, &name)
    })?;
    let entry = &mut state.faults.entries[index];
    entry.played += 1;
    let fault = entry.fault.clone();
    Some(Misbehaviour {
        delay: Duration::from_millis(fault.delay_ms.unwrap_or(0)),
        play: play(state, request, &fault),
    })
}

fn play(state: &mut State, request: &HttpRequest, fault: &SeedFault) -> Play {
    let made = |state: &mut State, response| Play::Answer(router::finish(state, response));
    match fault.kind {
        FaultKind::Hang => Play::Hang,
        FaultKind::Reset => Play::Reset,
        FaultKind::Half => Play::Half(router::handle(state, request)),
        FaultKind::Throttle => made(state, answers::throttle()),
        FaultKind::Http => made(state, answers::http(fault.status.unwrap_or(500))),
        FaultKind::Huge => Play::Huge(
            router::finish(state, answers::huge_head()),
            fault.bytes.unwrap_or(HUGE_DEFAULT_BYTES),
        ),
        FaultKind::Deep => made(state, answers::deep()),
        FaultKind::UnknownChallenge => {
            let session = state.env.token(64);
            made(state, answers::unknown_challenge(&session))
        }
        FaultKind::BadUtf8 => Play::Answer(answers::bad_utf8(router::handle(state, request))),
        FaultKind::WrongTypes => Play::Answer(answers::wrong_types(router::handle(state, request))),
        FaultKind::UnknownFields => {
            Play::Answer(answers::unknown_fields(router::handle(state, request)))
        }
    }
}

/// The pool (index) and the user name a call names, if it names one.
fn named_user(state: &State, body: &Value) -> Option<(usize, String)> {
    let text = |value: &Value| value.as_str().map(str::to_owned);
    let named = [
        &body["AuthParameters"]["USERNAME"],
        &body["ChallengeResponses"]["USERNAME"],
        &body["Username"],
    ]
    .into_iter()
    .find_map(text);
    if let Some(name) = named {
        let pool = match (body["ClientId"].as_str(), body["UserPoolId"].as_str()) {
            (Some(client), _) => state.client(client).ok()?.0,
            (None, Some(pool)) => state.pool(pool).ok()?,
            (None, None) => return None,
        };
        return Some((pool, name));
    }
    if let Some(token) = body["AccessToken"].as_str() {
        let claims = state.verify_token(token)?;
        let pool = state.pool_by_issuer(claims["iss"].as_str()?)?;
        return Some((pool, text(&claims["username"])?));
    }
    [
        &body["AuthParameters"]["REFRESH_TOKEN"],
        &body["RefreshToken"],
        &body["Token"],
    ]
    .into_iter()
    .filter_map(Value::as_str)
    .find_map(|token| state.grants.by_refresh_token(token))
    .map(|(_, grant)| (grant.pool, grant.username.clone()))
}

/// Whether two sign-in names are one user: equal as the pool compares
/// names, or both naming the same user.
fn names_same_user(pool: &Pool, a: &str, b: &str) -> bool {
    let equal = if pool.case_sensitive {
        a == b
    } else {
        a.to_lowercase() == b.to_lowercase()
    };
    equal
        || matches!(
            (pool.find_by_login(a), pool.find_by_login(b)),
            (Some(x), Some(y)) if x.username == y.username
        )
}

/// `GET /faults`: `{"faults": [{"userPoolId", "username", "operations"
/// (null: all), "kind", "times" (null: always), "played"}]}`, in seed order.
pub fn listing(state: &State) -> HttpResponse {
    let faults = state
        .faults
        .entries
        .iter()
        .map(|entry| {
            json!({
                "userPoolId": entry.pool_id,
                "username": entry.fault.username,
                "operations": entry.fault.operations,
                "kind": entry.fault.kind.name(),
                "times": entry.fault.times,
                "played": entry.played,
            })
        })
        .collect::<Vec<_>>();
    HttpResponse::json(200, "application/json", &json!({ "faults": faults }))
}

/// `POST /faults/reset`: every count back to 0; answers the listing.
pub fn reset(state: &mut State) -> HttpResponse {
    for entry in &mut state.faults.entries {
        entry.played = 0;
    }
    listing(state)
}
