//! What the integration tests share: the canned-answer helpers, and the
//! pinned inputs of the public alexrudd/cognito-srp vector that the sign-in
//! machine tests sign with.

// Each test crate includes this module and uses only its own part of it.
#![allow(dead_code)]

use cognito_core::protocol::{ClientConfig, HttpRequest, HttpResponse, StringMap};
use cognito_core::sign_in::{
    Answered, AwaitingAuthResult, AwaitingFirstFactor, AwaitingSetupVerification, ChallengeAnswer,
    PendingChallenge,
};
use cognito_core::Result;
use serde_json::Value;
use zeroize::Zeroizing;

/// The pool and app client the tests sign in to, with `secret` as its
/// client secret; the endpoint is never reached (the answers are canned).
pub fn config(secret: Option<&str>) -> ClientConfig {
    ClientConfig::new(
        "eu-west-1_myPool",
        "123abd",
        secret.map(str::to_owned),
        None,
        Some("http://127.0.0.1:1"),
    )
    .unwrap()
}

/// The answer `response` to a challenge, with no attributes or metadata.
pub fn answer(response: &str) -> ChallengeAnswer {
    ChallengeAnswer {
        response: Zeroizing::new(response.into()),
        user_attributes: StringMap::new(),
        client_metadata: None,
    }
}

/// 2018-07-10 11:01:00 UTC, the vector's TIMESTAMP, in milliseconds.
pub const NOW_MS: f64 = 1_531_220_460_000.0;

/// The vector's secret a = 1234567890.
pub const A: u32 = 1_234_567_890;

/// The PASSWORD_CLAIM_SIGNATURE of the vector, signed at [`NOW_MS`].
pub const VECTOR_SIGNATURE: &str = "tdvQu/Li/qWl8Nni0aFPs+MwY4rvKZm0kSMrGIMSUHk=";

/// A as the 32 random bytes SrpClient takes.
pub fn a_bytes() -> [u8; 32] {
    let mut bytes = [0u8; 32];
    bytes[28..].copy_from_slice(&A.to_be_bytes());
    bytes
}

/// The JSON body a request sends.
pub fn body(request: &HttpRequest) -> Value {
    serde_json::from_str(&request.body).unwrap()
}

/// A 200 answer with this JSON body.
pub fn ok(body: Value) -> HttpResponse {
    HttpResponse {
        status: 200,
        error_type: None,
        body: body.to_string(),
    }
}

/// Lowercase hex, as the vectors write bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An answer that sends RespondToAuthChallenge: its state and request.
pub fn responded(answered: Result<Answered>) -> Result<(AwaitingAuthResult, HttpRequest)> {
    match answered? {
        Answered::Result(awaiting, request) => Ok((awaiting, request)),
        _ => panic!("the answer must send RespondToAuthChallenge"),
    }
}

/// An answer that shows the next step at once (the password step).
pub fn next_step(answered: Result<Answered>) -> PendingChallenge {
    match answered {
        Ok(Answered::Step(step)) => step,
        _ => panic!("the answer must show a step"),
    }
}

/// An answer that proves the password with SRP (PASSWORD_SRP's password).
pub fn proving_with_srp(answered: Result<Answered>) -> (Box<AwaitingFirstFactor>, HttpRequest) {
    match answered {
        Ok(Answered::FirstFactor(awaiting, request)) => (awaiting, request),
        _ => panic!("the answer must send SELECT_CHALLENGE with SRP_A"),
    }
}

/// An answer that verifies a TOTP setup (MFA_SETUP's code).
pub fn verifying_setup(answered: Result<Answered>) -> (AwaitingSetupVerification, HttpRequest) {
    match answered {
        Ok(Answered::SetupVerification(awaiting, request)) => (awaiting, request),
        _ => panic!("the answer must send VerifySoftwareToken"),
    }
}
