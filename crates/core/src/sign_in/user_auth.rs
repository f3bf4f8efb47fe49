//! USER_AUTH, choice-based sign-in (Amplify v6's `authFlowType: 'USER_AUTH'`).
//!
//! ```text
//! InitiateAuth USER_AUTH [PREFERRED_CHALLENGE] ─► PASSWORD_VERIFIER (PASSWORD_SRP) ─► ...
//!                                              ├► EMAIL_OTP / SMS_OTP: a code step
//!                                              ├► tokens or MFA (PASSWORD, with the password)
//!                                              └► SELECT_CHALLENGE + AvailableChallenges
//! SELECT_CHALLENGE ─ ANSWER=EMAIL_OTP|SMS_OTP ─────────────► the code step
//!                  └ PASSWORD|PASSWORD_SRP: the password step (no request), then
//!                    ANSWER=PASSWORD + PASSWORD ─► tokens or MFA
//!                    ANSWER=PASSWORD_SRP + SRP_A ─► PASSWORD_VERIFIER ─► tokens or MFA
//! ```
//!
//! A remembered device is named (DEVICE_KEY) with InitiateAuth and with the
//! answers that complete a first factor; the service may then ask it to
//! prove itself (DEVICE_SRP_AUTH) instead of an MFA, as after USER_SRP_AUTH.
//!
//! WEB_AUTHN (passkeys) is not supported: choosing or being asked for it is
//! an UnsupportedChallengeError.

use alloc::borrow::ToOwned;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::{
    initiate_naming_device, respond, srp_client, AwaitingAuthResult, AwaitingPasswordVerifier,
    ChallengeAnswer, ChallengeKind, PendingChallenge, SignInInput, SignInOutcome, SignInStart,
};
use crate::error::{Error, Result};
use crate::json::Json;
use crate::protocol::{ClientConfig, HttpRequest, HttpResponse, StringMap};
use crate::text::quoted;

/// Where a SELECT_CHALLENGE keeps AvailableChallenges among its params (a
/// JSON list).
pub(super) const AVAILABLE_CHALLENGES: &str = "AvailableChallenges";

/// The first factors this client can complete.
const FIRST_FACTORS: &str = "'PASSWORD_SRP', 'PASSWORD', 'EMAIL_OTP' or 'SMS_OTP'";

/// The error for passkeys, which are out of scope.
pub(super) fn web_authn_unsupported() -> Error {
    Error::Unsupported(
        [
            "passkeys (WEB_AUTHN) are not supported by cognito-wasm; sign in with another first factor: ",
            FIRST_FACTORS,
        ].concat()
        .into(),
    )
}

/// Refuses a first factor this client cannot use, before anything is sent.
fn check_factor(name: &str, field: &str) -> Result<()> {
    match name {
        "PASSWORD" | "PASSWORD_SRP" | "EMAIL_OTP" | "SMS_OTP" => Ok(()),
        "WEB_AUTHN" => Err(web_authn_unsupported()),
        other => Err(Error::Validation(
            [field, " ", &quoted(other), " is not ", FIRST_FACTORS]
                .concat()
                .into(),
        )),
    }
}

/// Tells the person what to do when a code or the sign-in session expired:
/// the service's ExpiredCodeException and its NotAuthorizedException
/// "Invalid session for the user, session is expired.". There is no way to
/// have a sign-in code sent again but to sign in again.
pub(crate) fn explain_expiry(error: Error) -> Error {
    let Error::Service(mut service) = error else {
        return error;
    };
    let hint = match service.name.as_str() {
        "ExpiredCodeException" => " The code has expired: call signIn again to get a new one.",
        "NotAuthorizedException" if service.message.ends_with("session is expired.") => {
            " This sign-in step timed out: call signIn again."
        }
        _ => "",
    };
    service.message.push_str(hint);
    Error::Service(service)
}

/// InitiateAuth USER_AUTH. PREFERRED_CHALLENGE PASSWORD sends the password,
/// PASSWORD_SRP sends SRP_A (from `random_a`).
pub(super) fn start(
    config: &ClientConfig,
    input: SignInInput,
    random_a: &[u8],
) -> Result<(SignInStart, HttpRequest)> {
    let preferred = input.preferred_challenge.as_deref();
    if let Some(name) = preferred {
        check_factor(name, "preferredChallenge")?;
    }
    let with_password = matches!(preferred, Some("PASSWORD" | "PASSWORD_SRP"));
    if with_password && input.password.is_empty() {
        return Err(Error::Validation(
            "password is required with preferredChallenge 'PASSWORD' or 'PASSWORD_SRP'".into(),
        ));
    }
    let srp = match preferred {
        Some("PASSWORD_SRP") => Some(srp_client(random_a)?),
        _ => None,
    };
    let public_a = srp.as_ref().map(|srp| srp.public_a_hex());
    let secret_hash = config.secret_hash(&input.username);
    let mut parameters = vec![("USERNAME", input.username.as_str())];
    if let Some(hash) = &secret_hash {
        parameters.push(("SECRET_HASH", hash));
    }
    if let Some(name) = preferred {
        parameters.push(("PREFERRED_CHALLENGE", name));
    }
    if preferred == Some("PASSWORD") {
        parameters.push(("PASSWORD", &input.password));
    }
    if let Some(public_a) = &public_a {
        parameters.push(("SRP_A", public_a));
    }
    let (request, without_device) = initiate_naming_device(config, parameters, &input);
    // With SRP the service checks the device with the password claim.
    let without_device = without_device.filter(|_| srp.is_none());
    let device = input.device.map(Box::new);
    let (verifier, next_device) = match srp {
        Some(srp) => {
            let verifier = AwaitingPasswordVerifier {
                password: input.password,
                srp,
                client_metadata: input.client_metadata.clone(),
                device,
            };
            (Some(verifier), None)
        }
        None => (None, device),
    };
    let next = AwaitingAuthResult {
        without_device,
        device: next_device,
        ..AwaitingAuthResult::new(input.username, input.client_metadata)
    };
    Ok((
        SignInStart::UserAuth(Box::new(AwaitingFirstFactor { verifier, next })),
        request,
    ))
}

/// A USER_AUTH request was sent: PASSWORD_VERIFIER is answered if the
/// password is proven with SRP; anything else ends as in
/// [`AwaitingAuthResult::receive`].
pub struct AwaitingFirstFactor {
    verifier: Option<AwaitingPasswordVerifier>,
    next: AwaitingAuthResult,
}

/// What follows a USER_AUTH answer.
pub enum FirstFactorOutcome {
    /// PASSWORD_VERIFIER was answered with this request.
    Verifying(AwaitingAuthResult, HttpRequest),
    Done(SignInOutcome),
}

impl AwaitingFirstFactor {
    /// The InitiateAuth just sent again without its DEVICE_KEY, once (see
    /// [`AwaitingAuthResult::take_device_retry`]).
    pub fn take_device_retry(&mut self) -> Option<(AwaitingAuthResult, HttpRequest)> {
        self.next.take_device_retry()
    }

    /// Reads the answer received at `now_ms`.
    pub fn receive(
        self,
        config: &ClientConfig,
        response: &HttpResponse,
        now_ms: f64,
    ) -> Result<FirstFactorOutcome> {
        let asks_verifier = response.json().ok().is_some_and(|json| {
            json.get("ChallengeName").and_then(Json::as_str) == Some("PASSWORD_VERIFIER")
        });
        match self.verifier {
            Some(verifier) if asks_verifier => {
                let (next, request) = verifier.receive(config, response, now_ms)?;
                Ok(FirstFactorOutcome::Verifying(next, request))
            }
            _ => self.next.receive(response).map(FirstFactorOutcome::Done),
        }
    }
}

impl PendingChallenge {
    /// AvailableChallenges of a SELECT_CHALLENGE.
    pub(super) fn available_challenges(&self) -> Vec<String> {
        self.list_param(AVAILABLE_CHALLENGES)
    }

    /// SELECT_CHALLENGE: the choice must be offered, and one this client can complete.
    pub(super) fn check_first_factor(&self, choice: &str) -> Result<()> {
        let available = self.available_challenges();
        if !available.iter().any(|offered| offered == choice) {
            return Err(Error::Validation(
                [
                    "challengeResponse ",
                    &quoted(choice),
                    " is not a first factor this sign-in offers; pass one of '",
                    &available.join("', '"),
                    "'",
                ]
                .concat()
                .into(),
            ));
        }
        check_factor(choice, "challengeResponse")
    }

    /// PASSWORD or PASSWORD_SRP chosen in SELECT_CHALLENGE: the password
    /// step (CONFIRM_SIGN_IN_WITH_PASSWORD), which needs no request. Call
    /// after [`PendingChallenge::check`].
    pub fn password_step(&self, answer: &ChallengeAnswer) -> Option<PendingChallenge> {
        if self.kind != ChallengeKind::SelectChallenge {
            return None;
        }
        let srp = match answer.response.as_str() {
            "PASSWORD" => false,
            "PASSWORD_SRP" => true,
            _ => return None,
        };
        let mut step = self.clone();
        step.kind = ChallengeKind::Password { srp };
        if answer.client_metadata.is_some() {
            step.client_metadata.clone_from(&answer.client_metadata);
        }
        Some(step)
    }

    /// Whether the answer is the password for PASSWORD_SRP, which
    /// [`answer_with_srp`] sends.
    pub fn proves_password_with_srp(&self) -> bool {
        self.kind == ChallengeKind::Password { srp: true }
    }

    /// The ChallengeResponses of SELECT_CHALLENGE beside USERNAME: ANSWER,
    /// and PASSWORD for the PASSWORD first factor.
    pub(super) fn select_challenge_responses(
        &self,
        responses: &mut StringMap,
        answer: &ChallengeAnswer,
    ) -> Result<()> {
        let choice = match self.kind {
            ChallengeKind::Password { srp: false } => {
                responses.insert("PASSWORD", answer.response.as_str().to_owned());
                "PASSWORD"
            }
            ChallengeKind::Password { srp: true } => {
                return Err(Error::InvalidState(
                    "PASSWORD_SRP is answered with SRP_A: use user_auth::answer_with_srp".into(),
                ))
            }
            _ => answer.response.as_str(),
        };
        responses.insert("ANSWER", choice.to_owned());
        Ok(())
    }
}

/// Answers the password step of PASSWORD_SRP: SELECT_CHALLENGE with
/// ANSWER=PASSWORD_SRP and SRP_A (from `random_a`); the PASSWORD_VERIFIER
/// that follows is answered with `answer`'s password (and names the
/// remembered device, as after USER_SRP_AUTH).
pub fn answer_with_srp(
    pending: PendingChallenge,
    config: &ClientConfig,
    answer: ChallengeAnswer,
    random_a: &[u8],
) -> Result<(Box<AwaitingFirstFactor>, HttpRequest)> {
    pending.check(&answer)?;
    let srp = srp_client(random_a)?;
    let client_metadata = answer.client_metadata.or(pending.client_metadata);
    let responses = StringMap::from([
        ("USERNAME", pending.username.clone()),
        ("ANSWER", "PASSWORD_SRP".to_owned()),
        ("SRP_A", srp.public_a_hex()),
    ]);
    let request = respond(
        config,
        "SELECT_CHALLENGE",
        responses,
        Some(&pending.session),
        client_metadata.as_ref(),
        &pending.username,
    );
    let verifier = AwaitingPasswordVerifier {
        password: answer.response,
        srp,
        client_metadata: client_metadata.clone(),
        device: pending.device,
    };
    let next = AwaitingAuthResult::new(pending.username, client_metadata);
    let awaiting = AwaitingFirstFactor {
        verifier: Some(verifier),
        next,
    };
    Ok((Box::new(awaiting), request))
}
