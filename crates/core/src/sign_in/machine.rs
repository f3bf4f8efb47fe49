//! The states of a sign-in after its first request, and their transitions.
//! Each `receive` or `answer` consumes its state and gives the next one with
//! the request to send, or the outcome.

use alloc::borrow::ToOwned;
use alloc::boxed::Box;
use alloc::string::String;

use cognito_srp::srp::{SrpClient, SrpIdentity};
use zeroize::Zeroizing;

use super::challenge::{
    ChallengeAnswer, Kind, NextStep, PendingChallenge, Reply, ServiceChallenge,
};
use super::passkey::PasskeyChallenge;
use super::wire::{
    expect_challenge, explain_expiry, password_claim, respond, respond_naming_device, srp_client,
};
use crate::device::{self, DeviceSecrets, VerifierConfig};
use crate::error::{Error, Result};
use crate::json::Json;
use crate::protocol::{
    unsupported_challenge, AuthResponse, ClientConfig, ClientMetadata, HttpRequest, HttpResponse,
    NewDeviceMetadata, StringMap,
};
use crate::tokens::Tokens;

/// USER_SRP_AUTH was sent (or PASSWORD_SRP chosen); the PASSWORD_VERIFIER
/// challenge is awaited.
pub struct AwaitingPasswordVerifier {
    pub(super) password: Zeroizing<String>,
    /// Boxed: the 3072-bit values would make every state as large as this one.
    pub(super) srp: Box<SrpClient>,
    pub(super) client_metadata: Option<ClientMetadata>,
    pub(super) device: Option<Box<DeviceSecrets>>,
}

impl AwaitingPasswordVerifier {
    /// Answers PASSWORD_VERIFIER with the password claim, signed at `now_ms`.
    pub fn receive(
        self,
        config: &ClientConfig,
        response: &HttpResponse,
        now_ms: f64,
    ) -> Result<(AwaitingAuthResult, HttpRequest)> {
        let answer = expect_challenge(response, "USER_SRP_AUTH", "PASSWORD_VERIFIER", is_known)?;
        let params = &answer.challenge_parameters;
        // The user id the password was registered under, which differs from
        // the typed name for aliases and UUID usernames.
        let user_id = params.get("USER_ID_FOR_SRP").ok_or_else(|| {
            Error::bad_response("the PASSWORD_VERIFIER challenge has no USER_ID_FOR_SRP")
        })?;
        let identity = SrpIdentity {
            pool_name: config.pool_name(),
            user_id,
            password: &self.password,
        };
        let responses = password_claim(
            self.srp,
            &identity,
            "PASSWORD_VERIFIER",
            params,
            user_id,
            now_ms,
        )?;
        let (request, without_device) = respond_naming_device(
            config,
            "PASSWORD_VERIFIER",
            responses,
            answer.session.as_deref(),
            self.client_metadata.as_ref(),
            user_id,
            self.device.as_deref(),
        );
        let next = AwaitingAuthResult {
            without_device,
            device: self.device,
            ..AwaitingAuthResult::new(user_id.to_owned(), self.client_metadata)
        };
        Ok((next, request))
    }
}

/// Whether this client knows the challenge `name` (it may not answer it in
/// every state).
fn is_known(name: &str) -> bool {
    ServiceChallenge::from_name(name).is_some()
        || matches!(
            name,
            "PASSWORD_VERIFIER" | "DEVICE_SRP_AUTH" | "DEVICE_PASSWORD_VERIFIER" | "WEB_AUTHN"
        )
}

/// A request was sent that ends in tokens or in a further challenge.
pub struct AwaitingAuthResult {
    username: String,
    client_metadata: Option<ClientMetadata>,
    /// The step answered, to answer again after CodeMismatchException (a
    /// code step) or when the answer never came.
    answered: Option<Box<PendingChallenge>>,
    /// The request just sent, without its DEVICE_KEY: sent again when the
    /// service no longer knows the device (see [`Self::take_device_retry`]).
    without_device: Option<Box<HttpRequest>>,
    /// The remembered device, for DEVICE_SRP_AUTH.
    device: Option<Box<DeviceSecrets>>,
}

/// Tokens, or a step the user must complete, or a device step the client
/// takes by itself.
pub enum SignInOutcome {
    SignedIn(Tokens),
    Challenge(PendingChallenge),
    /// DEVICE_SRP_AUTH: the remembered device must prove its secret.
    DeviceSrp(DeviceSrpRequired),
    /// Signed in on a device new to the pool: the tokens, and the device,
    /// which can then be confirmed (ConfirmDevice) to be remembered. The
    /// sign-in does not wait for the confirmation, whose failure only leaves
    /// the device unremembered (as in Amplify).
    NewDevice(Tokens, Box<DeviceToConfirm>),
    /// WEB_AUTHN: the passkey ceremony runs (the JS driver's, not the app's
    /// step), and its credential answers the challenge.
    Passkey(Box<PasskeyChallenge>),
    /// The service refused the sign-in in a way Amplify v6 shows as a step
    /// ([`NextStep::of_refusal`]): `CONFIRM_SIGN_UP` or `RESET_PASSWORD`.
    Refused(NextStep),
}

impl AwaitingAuthResult {
    /// Awaiting the answer to a plain request: no code to retry, no device.
    pub(super) fn new(username: String, client_metadata: Option<ClientMetadata>) -> Self {
        AwaitingAuthResult {
            username,
            client_metadata,
            answered: None,
            without_device: None,
            device: None,
        }
    }

    /// Awaiting the answer to a request that named the remembered `device`
    /// (sent again as `without_device` if the service no longer knows it).
    pub(super) fn naming_device(
        username: String,
        client_metadata: Option<ClientMetadata>,
        without_device: Option<Box<HttpRequest>>,
        device: Option<Box<DeviceSecrets>>,
    ) -> Self {
        AwaitingAuthResult {
            without_device,
            device,
            ..AwaitingAuthResult::new(username, client_metadata)
        }
    }

    /// The code step to keep waiting if the service refuses the code
    /// (CodeMismatchException): the same Session can be answered again.
    pub fn take_retry(&mut self) -> Option<PendingChallenge> {
        let answered = self.answered.take_if(|step| step.kind.can_retry());
        answered.map(|pending| *pending)
    }

    /// The step answered, to keep waiting when its answer never came (the
    /// request was cancelled, timed out or cut off): its Session may still
    /// be good, and the service says so when it is not.
    pub fn take_unanswered(&mut self) -> Option<PendingChallenge> {
        self.answered.take().map(|pending| *pending)
    }

    /// The request just sent again without its DEVICE_KEY, once: for when
    /// the service answered that it does not know the device
    /// ([`device::is_stale_device_error`]). The device is then dropped.
    pub fn take_device_retry(&mut self) -> Option<(AwaitingAuthResult, HttpRequest)> {
        let request = self.without_device.take()?;
        let next = AwaitingAuthResult::new(self.username.clone(), self.client_metadata.clone());
        Some((next, *request))
    }

    /// Reads the answer.
    pub fn receive(self, response: &HttpResponse) -> Result<SignInOutcome> {
        let answer = match AuthResponse::from_response(response) {
            Ok(answer) => answer,
            Err(error) => {
                return NextStep::of_refusal(&error)
                    .map(SignInOutcome::Refused)
                    .ok_or_else(|| explain_expiry(error))
            }
        };
        if let Some(mut result) = answer.authentication_result {
            let new_device = result.new_device_metadata.take();
            let tokens = Tokens::from_result(*result)?;
            return Ok(match new_device {
                Some(metadata) => {
                    let device = DeviceToConfirm {
                        access_token: Zeroizing::new(tokens.access_token.clone()),
                        metadata,
                    };
                    SignInOutcome::NewDevice(tokens, Box::new(device))
                }
                None => SignInOutcome::SignedIn(tokens),
            });
        }
        let name = answer
            .challenge_name
            .ok_or_else(|| Error::bad_response("the answer has neither tokens nor a challenge"))?;
        if name == "DEVICE_SRP_AUTH" {
            let device = self.device.ok_or_else(|| {
                Error::bad_response("the service asked DEVICE_SRP_AUTH, but no device was named")
            })?;
            return Ok(SignInOutcome::DeviceSrp(DeviceSrpRequired {
                device,
                username: self.username,
                session: answer.session,
                client_metadata: self.client_metadata,
            }));
        }
        let challenge = ServiceChallenge::from_name(&name);
        if challenge.is_none() && name != "WEB_AUTHN" {
            return Err(unsupported_challenge(&name));
        }
        let session = answer.session.ok_or_else(|| {
            Error::bad_response(["the ", &name, " challenge has no Session"].concat())
        })?;
        let params = answer.challenge_parameters;
        let username = match params
            .get("USER_ID_FOR_SRP")
            .or_else(|| params.get("USERNAME"))
        {
            Some(name) => name.to_owned(),
            None => self.username,
        };
        let Some(challenge) = challenge else {
            let passkey = PasskeyChallenge::received(
                &params,
                session,
                username,
                self.client_metadata,
                self.device,
            )?;
            return Ok(SignInOutcome::Passkey(Box::new(passkey)));
        };
        Ok(SignInOutcome::Challenge(PendingChallenge {
            kind: Kind::received(challenge, &params),
            session,
            params,
            available_challenges: answer.available_challenges,
            secret_code: None,
            username,
            client_metadata: self.client_metadata,
            device: self.device,
        }))
    }
}

/// MFA_SETUP was answered with a TOTP code: VerifySoftwareToken was sent.
pub struct AwaitingSetupVerification {
    username: String,
    client_metadata: Option<ClientMetadata>,
    /// The MFA_SETUP step, to answer again after a wrong code.
    retry: Option<Box<PendingChallenge>>,
}

impl AwaitingSetupVerification {
    /// The MFA_SETUP step to keep waiting if the service refuses the code
    /// (EnableSoftwareTokenMFAException).
    pub fn take_retry(&mut self) -> Option<PendingChallenge> {
        self.retry.take().map(|pending| *pending)
    }

    /// VerifySoftwareToken accepted the code: answers MFA_SETUP with the
    /// Session it returned.
    pub fn receive(
        self,
        config: &ClientConfig,
        response: &HttpResponse,
    ) -> Result<(AwaitingAuthResult, HttpRequest)> {
        let json = response.json().map_err(explain_expiry)?;
        if json.get("Status").and_then(Json::as_str) != Some("SUCCESS") {
            return Err(Error::bad_response(
                "VerifySoftwareToken did not answer Status SUCCESS",
            ));
        }
        let session = json.get("Session").and_then(Json::as_str);
        let responses = StringMap::from([("USERNAME", self.username.clone())]);
        let request = respond(
            config,
            ServiceChallenge::MfaSetup.name(),
            responses,
            session,
            self.client_metadata.as_ref(),
            &self.username,
        );
        Ok((
            AwaitingAuthResult::new(self.username, self.client_metadata),
            request,
        ))
    }
}

/// What answering a step leads to.
pub enum Answered {
    /// A step shown at once, with no request: the password step after
    /// choosing PASSWORD or PASSWORD_SRP, the setup of the MFA type chosen
    /// (TOTP's after AssociateSoftwareToken, see
    /// [`PendingChallenge::associate_request`]).
    Step(PendingChallenge),
    /// RespondToAuthChallenge was built; its answer ends in tokens or a
    /// further challenge.
    Result(AwaitingAuthResult, HttpRequest),
    /// VerifySoftwareToken was built (MFA_SETUP).
    SetupVerification(AwaitingSetupVerification, HttpRequest),
    /// SELECT_CHALLENGE with SRP_A was built (PASSWORD_SRP's password).
    FirstFactor(Box<AwaitingFirstFactor>, HttpRequest),
}

impl PendingChallenge {
    /// Answers the step with `answer` (`random_a` seeds the SRP secret when
    /// the password is proven with SRP). Call [`Self::check`] first: this
    /// consumes the step.
    pub fn answer(
        mut self,
        config: &ClientConfig,
        mut answer: ChallengeAnswer,
        random_a: &[u8],
    ) -> Result<Answered> {
        self.check(&answer)?;
        if answer.client_metadata.is_some() {
            self.client_metadata = answer.client_metadata.take();
        }
        // A wrong code can be tried again with the same Session, and any
        // step whose answer never came.
        let answered = Some(Box::new(self.clone()));
        let mut responses = StringMap::from([("USERNAME", self.username.clone())]);
        match self.reply(&answer) {
            Reply::Respond(reply) => {
                for (key, value) in reply {
                    responses.insert(&key, value);
                }
            }
            Reply::Step(kind) => {
                self.kind = kind;
                return Ok(Answered::Step(self));
            }
            Reply::VerifySoftwareToken(code) => {
                let body =
                    Json::string_map(&[("Session", self.session.as_str()), ("UserCode", &code)]);
                let awaiting = AwaitingSetupVerification {
                    username: self.username,
                    client_metadata: self.client_metadata,
                    retry: answered,
                };
                let request = config.request("VerifySoftwareToken", &body);
                return Ok(Answered::SetupVerification(awaiting, request));
            }
            Reply::ProvePasswordWithSrp => {
                let (awaiting, request) = self.prove_password_with_srp(config, answer, random_a)?;
                return Ok(Answered::FirstFactor(awaiting, request));
            }
        }
        // A first factor's answer names the remembered device, which the
        // service may then ask to prove itself (DEVICE_SRP_AUTH).
        let device = self.device.take().filter(|_| self.kind.is_first_factor());
        let (request, without_device) = respond_naming_device(
            config,
            self.kind.name(),
            responses,
            Some(&self.session),
            self.client_metadata.as_ref(),
            &self.username,
            device.as_deref(),
        );
        let awaiting = AwaitingAuthResult {
            answered,
            without_device,
            device,
            ..AwaitingAuthResult::new(self.username, self.client_metadata)
        };
        Ok(Answered::Result(awaiting, request))
    }

    /// PASSWORD_SRP's password step: SELECT_CHALLENGE with ANSWER=PASSWORD_SRP
    /// and SRP_A (from `random_a`); the PASSWORD_VERIFIER that follows is
    /// answered with `answer`'s password (and names the remembered device,
    /// as after USER_SRP_AUTH).
    fn prove_password_with_srp(
        self,
        config: &ClientConfig,
        answer: ChallengeAnswer,
        random_a: &[u8],
    ) -> Result<(Box<AwaitingFirstFactor>, HttpRequest)> {
        let srp = srp_client(random_a)?;
        let responses = StringMap::from([
            ("USERNAME", self.username.clone()),
            ("ANSWER", "PASSWORD_SRP".to_owned()),
            ("SRP_A", srp.public_a_hex()),
        ]);
        let request = respond(
            config,
            ServiceChallenge::SelectChallenge.name(),
            responses,
            Some(&self.session),
            self.client_metadata.as_ref(),
            &self.username,
        );
        let verifier = AwaitingPasswordVerifier {
            password: answer.response,
            srp,
            client_metadata: self.client_metadata.clone(),
            device: self.device,
        };
        let awaiting = AwaitingFirstFactor {
            verifier: Some(verifier),
            next: AwaitingAuthResult::new(self.username, self.client_metadata),
        };
        Ok((Box::new(awaiting), request))
    }

    /// MFA_SETUP of an authenticator app before AssociateSoftwareToken: that request, which must be
    /// answered (see [`Self::receive_secret`]) before the step is shown.
    pub fn associate_request(&self, config: &ClientConfig) -> Option<HttpRequest> {
        (self.kind == Kind::TotpSetup && self.secret_code.is_none()).then(|| {
            config.request(
                "AssociateSoftwareToken",
                &Json::string_map(&[("Session", self.session.as_str())]),
            )
        })
    }

    /// Keeps AssociateSoftwareToken's secret and new Session.
    pub fn receive_secret(mut self, response: &HttpResponse) -> Result<Self> {
        let json = response.json()?;
        let secret = json
            .get("SecretCode")
            .and_then(Json::as_str)
            .ok_or_else(|| Error::bad_response("AssociateSoftwareToken gave no SecretCode"))?;
        self.secret_code = Some(secret.to_owned());
        if let Some(session) = json.get("Session").and_then(Json::as_str) {
            self.session = session.to_owned();
        }
        Ok(self)
    }
}

/// A USER_AUTH request was sent (InitiateAuth, or SELECT_CHALLENGE with
/// PASSWORD_SRP): PASSWORD_VERIFIER is answered if the password is proven
/// with SRP; anything else ends as in [`AwaitingAuthResult::receive`].
pub struct AwaitingFirstFactor {
    pub(super) verifier: Option<AwaitingPasswordVerifier>,
    pub(super) next: AwaitingAuthResult,
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

/// DEVICE_SRP_AUTH was asked: the remembered device starts its own SRP
/// exchange (a fresh secret `a`).
pub struct DeviceSrpRequired {
    device: Box<DeviceSecrets>,
    username: String,
    session: Option<String>,
    client_metadata: Option<ClientMetadata>,
}

impl DeviceSrpRequired {
    /// Answers DEVICE_SRP_AUTH with {USERNAME, DEVICE_KEY, SRP_A
    /// (+ SECRET_HASH)}; `random_a` seeds the device's SRP secret.
    pub fn answer(
        self,
        config: &ClientConfig,
        random_a: &[u8],
    ) -> Result<(AwaitingDevicePasswordVerifier, HttpRequest)> {
        let srp = srp_client(random_a)?;
        let responses = StringMap::from([
            ("USERNAME", self.username.clone()),
            ("DEVICE_KEY", self.device.device_key.clone()),
            ("SRP_A", srp.public_a_hex()),
        ]);
        let request = respond(
            config,
            "DEVICE_SRP_AUTH",
            responses,
            self.session.as_deref(),
            self.client_metadata.as_ref(),
            &self.username,
        );
        let next = AwaitingDevicePasswordVerifier {
            device: self.device,
            srp,
            username: self.username,
            client_metadata: self.client_metadata,
        };
        Ok((next, request))
    }
}

/// DEVICE_SRP_AUTH was answered; DEVICE_PASSWORD_VERIFIER is awaited.
pub struct AwaitingDevicePasswordVerifier {
    device: Box<DeviceSecrets>,
    srp: Box<SrpClient>,
    username: String,
    client_metadata: Option<ClientMetadata>,
}

impl AwaitingDevicePasswordVerifier {
    /// Answers DEVICE_PASSWORD_VERIFIER with the device's claim: the SRP
    /// maths with poolName := DeviceGroupKey, user := DeviceKey and
    /// password := the device password, signed at `now_ms`.
    pub fn receive(
        self,
        config: &ClientConfig,
        response: &HttpResponse,
        now_ms: f64,
    ) -> Result<(AwaitingAuthResult, HttpRequest)> {
        let answer = expect_challenge(
            response,
            "DEVICE_SRP_AUTH",
            "DEVICE_PASSWORD_VERIFIER",
            is_known,
        )?;
        let params = &answer.challenge_parameters;
        let username = params.get("USERNAME").unwrap_or(&self.username).to_owned();
        let mut responses = password_claim(
            self.srp,
            &self.device.identity(),
            "DEVICE_PASSWORD_VERIFIER",
            params,
            &username,
            now_ms,
        )?;
        responses.insert("DEVICE_KEY", self.device.device_key.clone());
        let request = respond(
            config,
            "DEVICE_PASSWORD_VERIFIER",
            responses,
            answer.session.as_deref(),
            self.client_metadata.as_ref(),
            &username,
        );
        let next = AwaitingAuthResult {
            device: Some(self.device),
            ..AwaitingAuthResult::new(username, self.client_metadata)
        };
        Ok((next, request))
    }
}

/// Signed in on a device new to the pool (NewDeviceMetadata came back).
pub struct DeviceToConfirm {
    /// The sign-in's access token, which ConfirmDevice authorizes with.
    access_token: Zeroizing<String>,
    metadata: NewDeviceMetadata,
}

impl DeviceToConfirm {
    /// The new device's keys.
    pub fn metadata(&self) -> &NewDeviceMetadata {
        &self.metadata
    }

    /// ConfirmDevice with a new device secret from 40 + 16 random bytes
    /// (see [`device::new_device`]), named `device_name`.
    pub fn confirm(
        self,
        config: &ClientConfig,
        random_password: &[u8; device::PASSWORD_RANDOM_BYTES],
        random_salt: &[u8; device::SALT_RANDOM_BYTES],
        device_name: &str,
    ) -> (AwaitingDeviceConfirmation, HttpRequest) {
        let (secrets, verifier): (DeviceSecrets, VerifierConfig) =
            device::new_device(self.metadata, random_password, random_salt);
        let request = device::confirm_device(
            config,
            &self.access_token,
            &secrets.device_key,
            &verifier,
            device_name,
        );
        (AwaitingDeviceConfirmation { device: secrets }, request)
    }
}

/// ConfirmDevice was sent.
pub struct AwaitingDeviceConfirmation {
    device: DeviceSecrets,
}

/// What ConfirmDevice's answer says of the device.
pub struct DeviceConfirmed {
    /// The confirmed device, or why it was not (the sign-in stands anyway,
    /// as in Amplify: the device is just not remembered).
    pub device: Result<DeviceSecrets>,
    /// UserConfirmationNecessary: the pool remembers the device only after
    /// `rememberDevice` (UpdateDeviceStatus).
    pub user_confirmation_necessary: bool,
}

impl AwaitingDeviceConfirmation {
    /// Reads ConfirmDevice's answer.
    pub fn receive(self, response: &HttpResponse) -> DeviceConfirmed {
        let answer = device::read_confirm_device(response);
        DeviceConfirmed {
            user_confirmation_necessary: answer.as_ref().is_ok_and(|necessary| *necessary),
            device: answer.map(|_| self.device),
        }
    }
}
