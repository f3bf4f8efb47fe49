//! Fuzzing the readers of the server's answers: answers recorded from the
//! local endpoint (tests/fuzz/answers.json, recorded by tests/fuzz/record.mjs),
//! mutated (bytes deleted, inserted, replaced, repeated, cut; JSON values
//! given other types, unknown members added, nesting deepened, the
//! challenge renamed; the status and x-amzn-ErrorType changed), and random
//! ones, fed to every state machine that reads an answer: the sign-in (SRP,
//! password, USER_AUTH, the challenge steps, the device steps), the refresh,
//! and the account and MFA calls.
//!
//! The property: nothing panics, and every result is a valid step (which
//! the test then takes further) or a named error with a message, both
//! within the bounds of `cognito_core::error` (MAX_NAME, MAX_MESSAGE).
//!
//! Natively, proptest draws the mutations (and shrinks a failure to a
//! small one); in wasm (`wasm-pack test --headless --chrome --release
//! crates/core`, in npm test) a fixed-seed generator draws a bounded number
//! of the same mutations: no trap.

#![allow(clippy::disallowed_macros, clippy::disallowed_methods)]

use cognito_core::account::{self, Reader};
use cognito_core::device::{PASSWORD_RANDOM_BYTES, SALT_RANDOM_BYTES};
use cognito_core::error::{MAX_MESSAGE, MAX_NAME};
use cognito_core::mfa::{self, MfaReader};
use cognito_core::protocol::{ClientConfig, HttpResponse, StringMap};
use cognito_core::session::{read_refresh, RefreshKind, RefreshOutcome};
use cognito_core::sign_in::{
    self, Answered, AuthFlow, ChallengeAnswer, FirstFactorOutcome, SignInInput, SignInOutcome,
    SignInStart,
};
use cognito_core::{Error, Result};
use serde_json::Value;
use zeroize::Zeroizing;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// The recorded answers: `[{ operation, status, errorType, body }]`.
const CORPUS: &str = include_str!("fuzz/answers.json");

/// A moment of 2026, the clock the SRP steps sign with.
const NOW_MS: f64 = 1_780_000_000_000.0;

/// One mutation: what to do (`kind`), where (`at`, in bytes or JSON
/// nodes, taken modulo the size), how much (`len`), and with what (`pick`).
#[derive(Clone, Copy, Debug)]
pub struct Mutation {
    kind: u8,
    at: u32,
    len: u32,
    pick: u8,
}

/// The recorded answers, as responses.
fn corpus() -> Vec<HttpResponse> {
    let answers: Vec<Value> = serde_json::from_str(CORPUS).unwrap();
    answers
        .iter()
        .map(|answer| HttpResponse {
            status: answer["status"].as_u64().unwrap() as u16,
            error_type: answer["errorType"].as_str().map(String::from),
            body: answer["body"].as_str().unwrap().into(),
        })
        .collect()
}

/// Challenge names the mutations put in: the service's, and some it may add.
const CHALLENGES: [&str; 12] = [
    "PASSWORD_VERIFIER",
    "SMS_MFA",
    "SOFTWARE_TOKEN_MFA",
    "MFA_SETUP",
    "NEW_PASSWORD_REQUIRED",
    "SELECT_MFA_TYPE",
    "SELECT_CHALLENGE",
    "CUSTOM_CHALLENGE",
    "DEVICE_SRP_AUTH",
    "DEVICE_PASSWORD_VERIFIER",
    "WEB_AUTHN",
    "SOME_NEW_CHALLENGE",
];

/// A JSON value of kind `pick`, sized by `len`.
fn value_of(pick: u8, len: u32) -> Value {
    match pick % 9 {
        0 => Value::Null,
        1 => Value::Bool(len.is_multiple_of(2)),
        2 => raw_number(&["1e", &(len % 500).to_string()].concat()),
        3 => Value::from(-(i64::from(len))),
        4 => Value::String(String::new()),
        5 => Value::String("x".repeat((len % 5000) as usize)),
        6 => Value::Array(vec![Value::from(len); (len % 50) as usize]),
        7 => serde_json::json!({ "Unknown": [1, "two", true, null, {}] }),
        _ => Value::String(CHALLENGES[(len as usize) % CHALLENGES.len()].into()),
    }
}

/// Marks a number text serde_json cannot hold (beyond f64's range), which
/// [`with_raw_numbers`] writes as it is.
fn raw_number(text: &str) -> Value {
    Value::String(["\u{1}", text].concat())
}

/// `json` with the marked strings of [`raw_number`] written as numbers.
fn with_raw_numbers(json: &str) -> String {
    let mut out = String::new();
    let mut rest = json;
    while let Some(at) = rest.find("\"\\u0001") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 8..];
        let end = after.find('"').unwrap();
        out.push_str(&after[..end]);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The `at`-th node of `value` in depth-first order (modulo their number).
fn node(value: &mut Value, at: u32) -> &mut Value {
    fn count(value: &Value) -> u32 {
        1 + match value {
            Value::Array(items) => items.iter().map(count).sum(),
            Value::Object(members) => members.values().map(count).sum(),
            _ => 0,
        }
    }
    fn find(value: &mut Value, mut at: u32) -> std::result::Result<&mut Value, u32> {
        if at == 0 {
            return Ok(value);
        }
        at -= 1;
        let children: Vec<&mut Value> = match value {
            Value::Array(items) => items.iter_mut().collect(),
            Value::Object(members) => members.values_mut().collect(),
            _ => Vec::new(),
        };
        for child in children {
            match find(child, at) {
                Ok(found) => return Ok(found),
                Err(left) => at = left,
            }
        }
        Err(at)
    }
    let at = at % count(value);
    find(value, at).unwrap_or_else(|_| unreachable!("the node is within the count"))
}

/// `response` after `mutation`.
fn mutate(response: &mut HttpResponse, m: Mutation) {
    let mut bytes = std::mem::take(&mut response.body).into_bytes();
    let at = if bytes.is_empty() {
        0
    } else {
        m.at as usize % bytes.len()
    };
    let len = m.len as usize % 64;
    let mut json: Option<Value> = None;
    match m.kind % 11 {
        0 => drop(bytes.drain(at..(at + len).min(bytes.len()))),
        1 => drop(bytes.splice(at..at, std::iter::repeat_n(m.pick, len))),
        2 if !bytes.is_empty() => bytes[at] = m.pick,
        3 => bytes.truncate(at),
        4 => {
            let end = (at + len).min(bytes.len());
            let copy = bytes[at..end].to_vec();
            bytes.splice(at..at, copy);
        }
        5..=8 | 10 => json = serde_json::from_slice(&bytes).ok(),
        9 => {
            response.status = [200, 400, 429, 500, 503][m.pick as usize % 5];
            let names = ["TooManyRequestsException:", "NotAuthorizedException:", ""];
            response.error_type = match m.len % 4 {
                3 => Some("E".repeat(m.at as usize % 3000)),
                i => Some(names[i as usize])
                    .filter(|name| !name.is_empty())
                    .map(String::from),
            };
        }
        _ => {}
    }
    if let Some(mut value) = json {
        match m.kind % 11 {
            5 => *node(&mut value, m.at) = value_of(m.pick, m.len),
            6 => {
                if let Value::Object(members) = node(&mut value, m.at) {
                    members.insert(
                        ["Unknown", &m.len.to_string()].concat(),
                        value_of(m.pick, m.len),
                    );
                }
            }
            7 => {
                if let Value::Object(members) = &mut value {
                    let name = CHALLENGES[m.pick as usize % CHALLENGES.len()];
                    members.insert("ChallengeName".into(), name.into());
                    members.entry("Session").or_insert("s".repeat(40).into());
                }
            }
            8 => {
                // Deeper than the reader's MAX_DEPTH (64), or within it.
                let target = node(&mut value, m.at);
                for _ in 0..(m.len % 100) {
                    *target = Value::Array(vec![target.take()]);
                }
            }
            _ => {
                // A number of hundreds of digits.
                *node(&mut value, m.at) = raw_number(&"9".repeat(1 + m.len as usize % 400));
            }
        }
        bytes = with_raw_numbers(&value.to_string()).into_bytes();
    }
    // JS hands the core UTF-8 only (js/transport.js refuses the rest).
    response.body = String::from_utf8_lossy(&bytes).into_owned();
}

/// A named error, within the bounds.
fn check_error(error: &Error, what: &str) {
    let name = error.name();
    assert!(
        !name.is_empty(),
        "{what}: an error without a name: {error:?}"
    );
    assert!(!name.contains(char::is_whitespace), "{what}: name {name:?}");
    assert!(
        name.encode_utf16().count() <= MAX_NAME,
        "{what}: name of {} units",
        name.len()
    );
    let message = error.message();
    assert!(
        !message.trim().is_empty(),
        "{what}: {name} without a message"
    );
    assert!(
        message.encode_utf16().count() <= MAX_MESSAGE,
        "{what}: message of {} units",
        message.len()
    );
}

/// The error of `result`, checked; or its value.
fn step<T>(result: Result<T>, what: &str) -> Option<T> {
    result.map_err(|error| check_error(&error, what)).ok()
}

fn config() -> ClientConfig {
    ClientConfig::new(
        "us-east-1_ClientFaults",
        "clientfaultsclient00000000",
        Some("s3cret".into()),
        None,
        Some("http://127.0.0.1:9"),
    )
    .unwrap()
}

fn input(flow: AuthFlow) -> SignInInput {
    SignInInput {
        username: "alice".into(),
        password: Zeroizing::new("Faults-Passw0rd!".into()),
        auth_flow: flow,
        preferred_challenge: None,
        client_metadata: None,
        device: None,
        session: None,
    }
}

/// Takes a sign-in outcome further, with `answer` as the next answer:
/// shows a challenge's step and answers it, takes the device steps.
fn explore(config: &ClientConfig, outcome: SignInOutcome, answer: &HttpResponse, depth: u8) {
    match outcome {
        SignInOutcome::SignedIn(tokens) => assert!(!tokens.access_token.is_empty() || depth > 0),
        SignInOutcome::Challenge(mut pending) => {
            let _ = pending.next_step();
            if let Some(request) = pending.associate_request(config) {
                assert!(request
                    .target()
                    .unwrap()
                    .ends_with("AssociateSoftwareToken"));
                if let Some(with_secret) =
                    step(pending.clone().receive_secret(answer), "receive_secret")
                {
                    pending = with_secret;
                }
                let _ = pending.next_step();
            }
            let reply = ChallengeAnswer {
                response: Zeroizing::new("123456".into()),
                user_attributes: StringMap::new(),
                client_metadata: None,
            };
            if step(pending.check(&reply), "check").is_none() || depth > 1 {
                return;
            }
            match step(pending.answer(config, reply, &[7; 32]), "answer") {
                Some(Answered::Result(awaiting, _)) => {
                    if let Some(next) = step(awaiting.receive(answer), "after answer") {
                        explore(config, next, answer, depth + 1);
                    }
                }
                Some(Answered::SetupVerification(awaiting, _)) => {
                    let _ = step(awaiting.receive(config, answer), "setup verification");
                }
                Some(Answered::FirstFactor(awaiting, _)) => {
                    let _ = step(awaiting.receive(config, answer, NOW_MS), "first factor");
                }
                Some(Answered::Step(pending)) => drop(pending.next_step()),
                None => {}
            }
        }
        SignInOutcome::DeviceSrp(required) => {
            if let Some((verifier, _)) = step(required.answer(config, &[9; 32]), "DEVICE_SRP_AUTH")
            {
                let _ = step(
                    verifier.receive(config, answer, NOW_MS),
                    "DEVICE_PASSWORD_VERIFIER",
                );
            }
        }
        SignInOutcome::Passkey(passkey) => {
            let _ = passkey.request_options();
            if let Some((awaiting, _)) = step(passkey.answer(config, "{}"), "WEB_AUTHN") {
                if let Some(next) = step(awaiting.receive(answer), "after WEB_AUTHN") {
                    explore(config, next, answer, depth + 1);
                }
            }
        }
        SignInOutcome::Refused(next_step) => drop(next_step),
        SignInOutcome::NewDevice(_, to_confirm) => {
            let (awaiting, _) = to_confirm.confirm(
                config,
                &[1; PASSWORD_RANDOM_BYTES],
                &[2; SALT_RANDOM_BYTES],
                "fuzz",
            );
            let confirmed = awaiting.receive(answer);
            if let Err(error) = &confirmed.device {
                check_error(error, "ConfirmDevice");
            }
        }
    }
}

/// Every reader of an answer, given `answer`: no panic, named errors.
fn read_everywhere(answer: &HttpResponse) {
    let config = config();
    for flow in [
        AuthFlow::UserSrp,
        AuthFlow::UserPassword,
        AuthFlow::UserAuth,
    ] {
        let (start, _) = sign_in::start(&config, input(flow), &[5; 32]).unwrap();
        match start {
            SignInStart::Srp(verifier) => {
                if let Some((awaiting, _)) = step(
                    verifier.receive(&config, answer, NOW_MS),
                    "PASSWORD_VERIFIER",
                ) {
                    if let Some(outcome) = step(awaiting.receive(answer), "after PASSWORD_VERIFIER")
                    {
                        explore(&config, outcome, answer, 0);
                    }
                }
            }
            SignInStart::Password(awaiting) => {
                if let Some(outcome) = step(awaiting.receive(answer), "USER_PASSWORD_AUTH") {
                    explore(&config, outcome, answer, 0);
                }
            }
            SignInStart::UserAuth(awaiting) => {
                match step(awaiting.receive(&config, answer, NOW_MS), "USER_AUTH") {
                    Some(FirstFactorOutcome::Done(outcome)) => explore(&config, outcome, answer, 0),
                    Some(FirstFactorOutcome::Verifying(awaiting, _)) => {
                        let _ = step(awaiting.receive(answer), "USER_AUTH's PASSWORD_VERIFIER");
                    }
                    None => {}
                }
            }
        }
    }
    for kind in [RefreshKind::Rotate, RefreshKind::InitiateAuth] {
        match read_refresh(kind, "previous", answer) {
            RefreshOutcome::Refreshed(tokens) => assert!(tokens.refresh_token.is_some()),
            RefreshOutcome::SignedOut(error) | RefreshOutcome::Failed(error) => {
                check_error(&error, "refresh")
            }
            RefreshOutcome::FallBack => {}
        }
    }
    let names = ["email".to_string()];
    for reader in [
        Reader::Nothing,
        Reader::SignUp,
        Reader::SignUpDone,
        Reader::SignUpAutoSignIn,
        Reader::Delivery,
        Reader::ResetPassword,
        Reader::Attributes,
        Reader::CurrentUser,
        Reader::AttributeUpdates,
        Reader::Devices,
    ] {
        let _ = step(account::read(reader, &names, answer), "account call");
    }
    for reader in [
        MfaReader::TotpSetup,
        MfaReader::Nothing,
        MfaReader::Preference,
    ] {
        let _ = step(mfa::read(reader, answer), "MFA call");
    }
}

/// The recorded answer `index` after `mutations`, read everywhere.
fn fuzz(corpus: &[HttpResponse], index: usize, mutations: &[Mutation]) {
    let original = &corpus[index % corpus.len()];
    let mut answer = HttpResponse {
        status: original.status,
        error_type: original.error_type.clone(),
        body: original.body.clone(),
    };
    for &mutation in mutations {
        mutate(&mut answer, mutation);
    }
    read_everywhere(&answer);
}

/// splitmix64: the generator of the wasm run (and of random bodies).
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn mutation(&mut self) -> Mutation {
        let bits = self.next();
        Mutation {
            kind: bits as u8,
            at: (bits >> 8) as u32,
            len: (bits >> 40) as u32 & 0xffff,
            pick: (bits >> 56) as u8,
        }
    }
}

/// The recorded answers, unmutated, are read as the endpoint meant them.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_recorded_answers_are_read_everywhere() {
    let corpus = corpus();
    assert!(
        corpus.len() >= 12,
        "the corpus has {} answers",
        corpus.len()
    );
    for index in 0..corpus.len() {
        fuzz(&corpus, index, &[]);
    }
}

/// A bounded run with fixed seeds: in wasm, that nothing traps; natively,
/// the same cases as a regression set.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn mutated_answers_from_fixed_seeds() {
    let corpus = corpus();
    let mut random = SplitMix(0x5eed_c0de);
    for case in 0..400 {
        let count = 1 + (random.next() % 4) as usize;
        let mutations: Vec<Mutation> = (0..count).map(|_| random.mutation()).collect();
        fuzz(&corpus, case, &mutations);
    }
    // Random bodies of random bytes, under each status.
    for _ in 0..100 {
        let length = (random.next() % 300) as usize;
        let bytes: Vec<u8> = (0..length).map(|_| random.next() as u8).collect();
        let status = [200, 400, 500][(random.next() % 3) as usize];
        read_everywhere(&HttpResponse {
            status,
            error_type: None,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        });
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod property {
    use super::*;
    use proptest::prelude::*;

    fn mutation() -> impl Strategy<Value = Mutation> {
        (any::<u8>(), any::<u32>(), 0u32..0x1_0000, any::<u8>()).prop_map(
            |(kind, at, len, pick)| Mutation {
                kind,
                at,
                len,
                pick,
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

        #[test]
        fn mutated_answers_are_steps_or_named_errors(index in 0usize..64, mutations in prop::collection::vec(mutation(), 1..6)) {
            fuzz(&corpus(), index, &mutations);
        }

        #[test]
        fn random_json_answers_are_steps_or_named_errors(
            status in prop_oneof![Just(200u16), Just(400), Just(429), Just(500)],
            picks in prop::collection::vec((any::<u8>(), any::<u32>()), 0..12),
            challenge in any::<u8>(),
        ) {
            // An answer of the API's shape with random member values.
            let mut members = serde_json::Map::new();
            let keys = ["ChallengeName", "Session", "ChallengeParameters", "AuthenticationResult", "AvailableChallenges",
                "__type", "message", "SecretCode", "UserAttributes", "Username", "Devices", "CodeDeliveryDetails",
                "UserConfirmed", "UserSub", "CodeDeliveryDetailsList", "UserMFASettingList", "PreferredMfaSetting"];
            for (pick, len) in picks {
                members.insert(keys[pick as usize % keys.len()].into(), value_of(pick / 17, len));
            }
            if challenge % 3 == 0 {
                members.insert("ChallengeName".into(), CHALLENGES[challenge as usize % CHALLENGES.len()].into());
            }
            let body = with_raw_numbers(&Value::Object(members).to_string());
            read_everywhere(&HttpResponse { status, error_type: None, body });
        }
    }
}
