//! The sign-in state machine. Each state is a type, and each step consumes
//! the state before it, so a stale SRP secret or session cannot be reused.
//!
//! ```text
//! start ─ USER_SRP_AUTH ──► AwaitingPasswordVerifier ─► AwaitingAuthResult ─► SignedIn
//!       └ USER_PASSWORD_AUTH ─────────────────────────►        ▲  │ │  └──► PendingChallenge
//!                                                              └──┼─┼─ answer ◄──┘
//!   DEVICE_SRP_AUTH: DeviceSrpRequired ─► AwaitingDevicePasswordVerifier ─┘ │
//!   NewDeviceMetadata: DeviceToConfirm ─► AwaitingDeviceConfirmation ─► signed in
//! ```
//!
//! A remembered device (its [`DeviceSecrets`]) rides along: its DEVICE_KEY
//! goes with the password proof, and the service may then ask the device to
//! prove its own secret with a second SRP exchange (DEVICE_SRP_AUTH).
//!
//! Steps build [`HttpRequest`]s and read [`HttpResponse`]s; randomness and the
//! clock come in as arguments. USER_AUTH (choice-based sign-in) is in
//! [`user_auth`].

use alloc::borrow::ToOwned;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use zeroize::Zeroizing;

use crate::device::{self, DeviceSecrets, VerifierConfig};
use crate::error::{Error, Result};
use crate::json::Json;
use crate::protocol::{
    initiate_auth, respond_to_auth_challenge, AuthResponse, ClientConfig, ClientMetadata,
    HttpRequest, HttpResponse, NewDeviceMetadata, StringMap,
};
use crate::text::quoted;
use crate::timestamp::{format_timestamp, unix_seconds};
use crate::tokens::Tokens;
use cognito_srp::srp::{SrpClient, SrpIdentity, VerifierChallenge};

pub mod user_auth;

use user_auth::{AwaitingFirstFactor, AVAILABLE_CHALLENGES};

/// How the password is proven.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthFlow {
    /// SRP-6a: the password never leaves the client.
    UserSrp,
    /// The password is sent over TLS; the client must allow USER_PASSWORD_AUTH.
    UserPassword,
    /// CUSTOM_AUTH with the SRP password proof first (SRP_A, CHALLENGE_NAME=SRP_A).
    CustomWithSrp,
    /// CUSTOM_AUTH without a password: the custom challenges alone.
    CustomWithoutSrp,
    /// USER_AUTH: the user pool offers first factors to choose from.
    UserAuth,
}

impl AuthFlow {
    /// `USER_SRP_AUTH` (the default when absent) or `USER_PASSWORD_AUTH`.
    pub fn parse(name: Option<&str>) -> Result<Self> {
        match name {
            None | Some("USER_SRP_AUTH") => Ok(AuthFlow::UserSrp),
            Some("USER_PASSWORD_AUTH") => Ok(AuthFlow::UserPassword),
            Some("CUSTOM_WITH_SRP") => Ok(AuthFlow::CustomWithSrp),
            Some("CUSTOM_WITHOUT_SRP") => Ok(AuthFlow::CustomWithoutSrp),
            Some("USER_AUTH") => Ok(AuthFlow::UserAuth),
            Some(other) => Err(Error::Validation(
                [
                    "authFlowType ",
                    &quoted(other),
                    " is not supported by signIn; use 'USER_SRP_AUTH' (the default), 'USER_PASSWORD_AUTH', 'CUSTOM_WITH_SRP', 'CUSTOM_WITHOUT_SRP' or 'USER_AUTH'",
                ].concat()
                .into(),
            )),
        }
    }

    fn name(self) -> &'static str {
        match self {
            AuthFlow::UserSrp => "USER_SRP_AUTH",
            AuthFlow::UserPassword => "USER_PASSWORD_AUTH",
            AuthFlow::CustomWithSrp | AuthFlow::CustomWithoutSrp => "CUSTOM_AUTH",
            AuthFlow::UserAuth => "USER_AUTH",
        }
    }
}

/// What `signIn` is given.
pub struct SignInInput {
    pub username: String,
    pub password: Zeroizing<String>,
    pub auth_flow: AuthFlow,
    /// USER_AUTH: the first factor to try first (`PASSWORD`, `PASSWORD_SRP`,
    /// `EMAIL_OTP`, `SMS_OTP`); absent, the service lets the user choose.
    pub preferred_challenge: Option<String>,
    pub client_metadata: Option<ClientMetadata>,
    /// The device remembered for this user, if any: its DEVICE_KEY is sent.
    pub device: Option<DeviceSecrets>,
}

/// Amplify v6's `nextStep`, with what the app needs to render the step.
#[derive(Debug, PartialEq)]
pub enum NextStep {
    /// `DONE`: signed in, with these tokens.
    Done(Tokens),
    /// `CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED`.
    NewPasswordRequired {
        /// Attributes the pool requires that the user does not have yet.
        missing_attributes: Vec<String>,
        /// The user's current attributes, as the service reports them.
        user_attributes: StringMap,
    },
    /// `CONFIRM_SIGN_IN_WITH_SMS_CODE` (SMS_MFA).
    ConfirmWithSmsCode(CodeDelivery),
    /// `CONFIRM_SIGN_IN_WITH_EMAIL_CODE` (EMAIL_OTP).
    ConfirmWithEmailCode(CodeDelivery),
    /// `CONFIRM_SIGN_IN_WITH_TOTP_CODE` (SOFTWARE_TOKEN_MFA).
    ConfirmWithTotpCode,
    /// `CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE` (CUSTOM_CHALLENGE): the
    /// challenge parameters the pool's triggers set, as `additionalInfo`.
    ConfirmWithCustomChallenge { additional_info: StringMap },
    /// `CONTINUE_SIGN_IN_WITH_TOTP_SETUP` (MFA_SETUP): the secret for the
    /// authenticator app (AssociateSoftwareToken's), answered with a code.
    ContinueWithTotpSetup {
        shared_secret: String,
        /// The user, for the otpauth:// URI's account name.
        username: String,
    },
    /// `CONTINUE_SIGN_IN_WITH_MFA_SELECTION` (SELECT_MFA_TYPE): the app
    /// answers with one of these, Amplify's names: `SMS`, `TOTP`, `EMAIL`.
    ContinueWithMfaSelection { allowed_mfa_types: Vec<String> },
    /// `CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION` (USER_AUTH's
    /// SELECT_CHALLENGE): the app answers with one of these, the service's
    /// names: `PASSWORD`, `PASSWORD_SRP`, `EMAIL_OTP`, `SMS_OTP`, `WEB_AUTHN`.
    ContinueWithFirstFactorSelection { available_challenges: Vec<String> },
    /// `CONFIRM_SIGN_IN_WITH_PASSWORD`: PASSWORD or PASSWORD_SRP was chosen;
    /// the app answers with the password.
    ConfirmWithPassword,
}

/// Where a code was sent, as the service reports it (masked).
#[derive(Debug, PartialEq)]
pub struct CodeDelivery {
    /// `SMS` or `EMAIL`.
    pub delivery_medium: Option<String>,
    pub destination: Option<String>,
}

/// Amplify's MFA type names and the challenge names they stand for.
const MFA_TYPES: [(&str, &str); 3] = [
    ("SMS", "SMS_MFA"),
    ("TOTP", "SOFTWARE_TOKEN_MFA"),
    ("EMAIL", "EMAIL_OTP"),
];

/// The first state: the first request is built and sent.
pub enum SignInStart {
    Srp(AwaitingPasswordVerifier),
    Password(AwaitingAuthResult),
    /// USER_AUTH: the answer may be PASSWORD_VERIFIER, a challenge, or tokens.
    UserAuth(Box<AwaitingFirstFactor>),
}

/// Builds the InitiateAuth request. `random_a` seeds the SRP secret `a`
/// (128 random bytes, as the reference clients draw).
pub fn start(
    config: &ClientConfig,
    input: SignInInput,
    random_a: &[u8],
) -> Result<(SignInStart, HttpRequest)> {
    if input.username.is_empty() {
        return Err(Error::Validation(
            "username is empty; pass the user's name or alias".into(),
        ));
    }
    let flow = input.auth_flow;
    if flow == AuthFlow::UserAuth {
        return user_auth::start(config, input, random_a);
    }
    if input.password.is_empty() && flow != AuthFlow::CustomWithoutSrp {
        return Err(Error::Validation(
            "password is required and must not be empty (CUSTOM_WITHOUT_SRP signs in without one)"
                .into(),
        ));
    }
    let secret_hash = config.secret_hash(&input.username);
    let srp = match flow {
        AuthFlow::UserSrp | AuthFlow::CustomWithSrp => Some(srp_client(random_a)?),
        AuthFlow::UserPassword | AuthFlow::CustomWithoutSrp | AuthFlow::UserAuth => None,
    };
    let public_a = srp.as_ref().map(|srp| srp.public_a_hex());
    let mut auth_parameters = vec![("USERNAME", input.username.as_str())];
    if let Some(hash) = &secret_hash {
        auth_parameters.push(("SECRET_HASH", hash));
    }
    if let Some(public_a) = &public_a {
        auth_parameters.push(("SRP_A", public_a));
    }
    match flow {
        AuthFlow::UserPassword => auth_parameters.push(("PASSWORD", &input.password)),
        AuthFlow::CustomWithSrp => auth_parameters.push(("CHALLENGE_NAME", "SRP_A")),
        _ => {}
    }
    let (request, without_device) = initiate_naming_device(config, auth_parameters, &input);
    let device = input.device.map(Box::new);
    let state = match srp {
        Some(srp) => SignInStart::Srp(AwaitingPasswordVerifier {
            password: input.password,
            srp,
            client_metadata: input.client_metadata,
            device,
        }),
        None => SignInStart::Password(AwaitingAuthResult {
            without_device,
            device,
            ..AwaitingAuthResult::new(input.username, input.client_metadata)
        }),
    };
    Ok((state, request))
}

/// The client's half of an SRP exchange, from `random_a`; boxed (see
/// [`AwaitingPasswordVerifier::srp`]).
fn srp_client(random_a: &[u8]) -> Result<Box<SrpClient>> {
    Ok(Box::new(SrpClient::new(random_a)?))
}

/// InitiateAuth with `parameters` naming the remembered device (DEVICE_KEY),
/// and the same without it, for a retry (see
/// [`AwaitingAuthResult::take_device_retry`]). The body holds the password
/// for USER_PASSWORD_AUTH; it is wiped on drop.
fn initiate_naming_device<'a>(
    config: &ClientConfig,
    mut parameters: Vec<(&'a str, &'a str)>,
    input: &'a SignInInput,
) -> (HttpRequest, Option<Box<HttpRequest>>) {
    let initiate = |parameters: &[(&str, &str)]| {
        config.user_request(
            "InitiateAuth",
            initiate_auth(
                input.auth_flow.name(),
                config.client_id(),
                parameters,
                input.client_metadata.as_ref(),
            ),
            &input.username,
        )
    };
    let without_device = input
        .device
        .as_ref()
        .map(|_| Box::new(initiate(&parameters)));
    if let Some(device) = &input.device {
        parameters.push(("DEVICE_KEY", &device.device_key));
    }
    (initiate(&parameters), without_device)
}

/// PASSWORD_CLAIM_SECRET_BLOCK, TIMESTAMP and PASSWORD_CLAIM_SIGNATURE (and
/// USERNAME) answering a PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER
/// challenge with `params`, for `identity`, signed at `now_ms`.
fn password_claim(
    srp: Box<SrpClient>,
    identity: &SrpIdentity<'_>,
    challenge: &str,
    params: &StringMap,
    username: &str,
    now_ms: f64,
) -> Result<StringMap> {
    let param = |name: &str| {
        params.get(name).ok_or_else(|| {
            Error::bad_response(["the ", challenge, " challenge has no ", name].concat())
        })
    };
    let secret_block = param("SECRET_BLOCK")?;
    let timestamp = format_timestamp(unix_seconds(now_ms));
    let signature = srp.password_claim(
        identity,
        &VerifierChallenge {
            salt_hex: param("SALT")?,
            srp_b_hex: param("SRP_B")?,
            secret_block_b64: secret_block,
        },
        &timestamp,
    )?;
    Ok(StringMap::from([
        ("USERNAME", username.to_owned()),
        ("PASSWORD_CLAIM_SECRET_BLOCK", secret_block.to_owned()),
        ("TIMESTAMP", timestamp),
        ("PASSWORD_CLAIM_SIGNATURE", signature),
    ]))
}

/// The answer to `sent`, which must be the `expected` challenge.
fn expect_challenge(response: &HttpResponse, sent: &str, expected: &str) -> Result<AuthResponse> {
    let answer = AuthResponse::from_response(response)?;
    if answer.challenge_name.as_deref() == Some(expected) {
        return Ok(answer);
    }
    Err(Error::bad_response(
        [
            sent,
            " was answered with ",
            &quoted(answer.challenge_name.as_deref().unwrap_or("no challenge")),
            " instead of the ",
            expected,
            " challenge",
        ]
        .concat(),
    ))
}

/// The RespondToAuthChallenge request answering `challenge` for `username`
/// with `responses`, which gain the SECRET_HASH here: every step sends it
/// (for the username the step answers as) when the client has a secret.
fn respond(
    config: &ClientConfig,
    challenge: &str,
    mut responses: StringMap,
    session: Option<&str>,
    client_metadata: Option<&ClientMetadata>,
    username: &str,
) -> HttpRequest {
    if let Some(hash) = config.secret_hash(username) {
        responses.insert("SECRET_HASH", hash);
    }
    config.user_request(
        "RespondToAuthChallenge",
        respond_to_auth_challenge(
            challenge,
            config.client_id(),
            &responses,
            session,
            client_metadata,
        ),
        username,
    )
}

/// USER_SRP_AUTH was sent; the PASSWORD_VERIFIER challenge is awaited.
pub struct AwaitingPasswordVerifier {
    password: Zeroizing<String>,
    /// Boxed: the 3072-bit values would make every state as large as this one.
    srp: Box<SrpClient>,
    client_metadata: Option<ClientMetadata>,
    device: Option<Box<DeviceSecrets>>,
}

impl AwaitingPasswordVerifier {
    /// Answers PASSWORD_VERIFIER with the password claim, signed at `now_ms`.
    pub fn receive(
        self,
        config: &ClientConfig,
        response: &HttpResponse,
        now_ms: f64,
    ) -> Result<(AwaitingAuthResult, HttpRequest)> {
        let answer = expect_challenge(response, "USER_SRP_AUTH", "PASSWORD_VERIFIER")?;
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
        let mut responses = password_claim(
            self.srp,
            &identity,
            "PASSWORD_VERIFIER",
            params,
            user_id,
            now_ms,
        )?;
        let verify = |responses: StringMap| {
            respond(
                config,
                "PASSWORD_VERIFIER",
                responses,
                answer.session.as_deref(),
                self.client_metadata.as_ref(),
                user_id,
            )
        };
        let without_device = self
            .device
            .as_ref()
            .map(|_| Box::new(verify(responses.clone())));
        if let Some(device) = &self.device {
            responses.insert("DEVICE_KEY", device.device_key.clone());
        }
        let request = verify(responses);
        let next = AwaitingAuthResult {
            without_device,
            device: self.device,
            ..AwaitingAuthResult::new(user_id.to_owned(), self.client_metadata)
        };
        Ok((next, request))
    }
}

/// A request was sent that ends in tokens or in a further challenge.
pub struct AwaitingAuthResult {
    username: String,
    client_metadata: Option<ClientMetadata>,
    /// The code challenge answered, to answer again after CodeMismatchException.
    retry: Option<Box<PendingChallenge>>,
    /// VerifySoftwareToken was sent for MFA_SETUP: its answer leads to
    /// RespondToAuthChallenge (see [`Self::after_verify`]).
    verifying_setup: bool,
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
    /// Signed in on a device new to the pool, which can be confirmed
    /// (ConfirmDevice) to be remembered.
    NewDevice(Box<DeviceToConfirm>),
}

impl AwaitingAuthResult {
    /// Awaiting the answer to a plain request: no code to retry, no device.
    fn new(username: String, client_metadata: Option<ClientMetadata>) -> Self {
        AwaitingAuthResult {
            username,
            client_metadata,
            retry: None,
            verifying_setup: false,
            without_device: None,
            device: None,
        }
    }

    /// The challenge to keep waiting if the service refuses the code
    /// (CodeMismatchException): the same Session can be answered again.
    pub fn take_retry(&mut self) -> Option<PendingChallenge> {
        self.retry.take().map(|pending| *pending)
    }

    /// The request just sent again without its DEVICE_KEY, once: for when
    /// the service answered that it does not know the device
    /// ([`device::is_stale_device_error`]). The device is then dropped.
    pub fn take_device_retry(&mut self) -> Option<(AwaitingAuthResult, HttpRequest)> {
        let request = self.without_device.take()?;
        let next = AwaitingAuthResult::new(self.username.clone(), self.client_metadata.clone());
        Some((next, *request))
    }

    /// Whether the answer awaited is VerifySoftwareToken's (MFA_SETUP).
    pub fn verifying_setup(&self) -> bool {
        self.verifying_setup
    }

    /// MFA_SETUP: VerifySoftwareToken accepted the code; answers MFA_SETUP
    /// with the Session it returned.
    pub fn after_verify(
        self,
        config: &ClientConfig,
        response: &HttpResponse,
    ) -> Result<(AwaitingAuthResult, HttpRequest)> {
        let json = response.json().map_err(user_auth::explain_expiry)?;
        if json.get("Status").and_then(Json::as_str) != Some("SUCCESS") {
            return Err(Error::bad_response(
                "VerifySoftwareToken did not answer Status SUCCESS",
            ));
        }
        let session = json.get("Session").and_then(Json::as_str);
        let responses = StringMap::from([("USERNAME", self.username.clone())]);
        let request = respond(
            config,
            "MFA_SETUP",
            responses,
            session,
            self.client_metadata.as_ref(),
            &self.username,
        );
        let next = AwaitingAuthResult {
            verifying_setup: false,
            retry: None,
            without_device: None,
            ..self
        };
        Ok((next, request))
    }

    /// Reads the answer.
    pub fn receive(self, response: &HttpResponse) -> Result<SignInOutcome> {
        let answer = AuthResponse::from_response(response).map_err(user_auth::explain_expiry)?;
        if let Some(mut result) = answer.authentication_result {
            let new_device = result.new_device_metadata.take();
            let tokens = Tokens::from_result(*result)?;
            return Ok(match new_device {
                Some(metadata) => {
                    SignInOutcome::NewDevice(Box::new(DeviceToConfirm { tokens, metadata }))
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
        let kind = match ChallengeKind::ALL.iter().find(|kind| kind.name() == name) {
            Some(kind) => *kind,
            None if name == "WEB_AUTHN" => return Err(user_auth::web_authn_unsupported()),
            None => {
                return Err(Error::Unsupported(
                    [
                        "the user pool asked for the ",
                        &name,
                        " sign-in step, which this version of cognito-wasm cannot answer yet",
                    ]
                    .concat()
                    .into(),
                ))
            }
        };
        let session = answer.session.ok_or_else(|| {
            Error::bad_response(["the ", &name, " challenge has no Session"].concat())
        })?;
        let mut params = answer.challenge_parameters;
        if kind == ChallengeKind::SelectChallenge {
            let mut list = Vec::with_capacity(answer.available_challenges.len());
            for name in answer.available_challenges {
                list.push(Json::String(name));
            }
            params.insert(AVAILABLE_CHALLENGES, Json::Array(list).to_text());
        }
        let username = match params
            .get("USER_ID_FOR_SRP")
            .or_else(|| params.get("USERNAME"))
        {
            Some(name) => name.to_owned(),
            None => self.username,
        };
        Ok(SignInOutcome::Challenge(PendingChallenge {
            kind,
            session,
            params,
            username,
            client_metadata: self.client_metadata,
            device: self.device,
        }))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ChallengeKind {
    NewPasswordRequired,
    SmsMfa,
    EmailOtp,
    SoftwareTokenMfa,
    SelectMfaType,
    CustomChallenge,
    MfaSetup,
    /// USER_AUTH's SELECT_CHALLENGE: a first factor is chosen.
    SelectChallenge,
    /// PASSWORD or PASSWORD_SRP was chosen: SELECT_CHALLENGE is answered
    /// with the password (see [`user_auth`]).
    Password {
        srp: bool,
    },
    /// USER_AUTH's SMS_OTP first factor.
    SmsOtp,
}

impl ChallengeKind {
    /// The challenges the service names, each by its name (a loop over
    /// these is smaller in the wasm module than a `match` on the names).
    const ALL: [ChallengeKind; 9] = [
        ChallengeKind::NewPasswordRequired,
        ChallengeKind::SmsMfa,
        ChallengeKind::EmailOtp,
        ChallengeKind::SoftwareTokenMfa,
        ChallengeKind::SelectMfaType,
        ChallengeKind::CustomChallenge,
        ChallengeKind::MfaSetup,
        ChallengeKind::SelectChallenge,
        ChallengeKind::SmsOtp,
    ];

    fn name(self) -> &'static str {
        match self {
            ChallengeKind::NewPasswordRequired => "NEW_PASSWORD_REQUIRED",
            ChallengeKind::SmsMfa => "SMS_MFA",
            ChallengeKind::EmailOtp => "EMAIL_OTP",
            ChallengeKind::SoftwareTokenMfa => "SOFTWARE_TOKEN_MFA",
            ChallengeKind::SelectMfaType => "SELECT_MFA_TYPE",
            ChallengeKind::CustomChallenge => "CUSTOM_CHALLENGE",
            ChallengeKind::MfaSetup => "MFA_SETUP",
            ChallengeKind::SelectChallenge | ChallengeKind::Password { .. } => "SELECT_CHALLENGE",
            ChallengeKind::SmsOtp => "SMS_OTP",
        }
    }

    /// USER_AUTH's first factors (EMAIL_OTP is also an MFA), whose answers
    /// name the remembered device.
    fn is_first_factor(self) -> bool {
        matches!(
            self,
            ChallengeKind::SelectChallenge
                | ChallengeKind::Password { .. }
                | ChallengeKind::EmailOtp
                | ChallengeKind::SmsOtp
        )
    }

    /// The ChallengeResponses field of a code, for the code challenges.
    fn code_field(self) -> Option<&'static str> {
        match self {
            ChallengeKind::SmsMfa => Some("SMS_MFA_CODE"),
            ChallengeKind::EmailOtp => Some("EMAIL_OTP_CODE"),
            ChallengeKind::SoftwareTokenMfa => Some("SOFTWARE_TOKEN_MFA_CODE"),
            ChallengeKind::SmsOtp => Some("SMS_OTP_CODE"),
            _ => None,
        }
    }
}

/// What `confirmSignIn` is given.
pub struct ChallengeAnswer {
    /// The new password, for NEW_PASSWORD_REQUIRED.
    pub response: Zeroizing<String>,
    /// Attributes to set, without the `userAttributes.` prefix.
    pub user_attributes: StringMap,
    /// For the pool's triggers; absent: the `clientMetadata` of `signIn`.
    pub client_metadata: Option<ClientMetadata>,
}

/// A challenge the user must answer through `confirmSignIn`.
#[derive(Clone)]
pub struct PendingChallenge {
    kind: ChallengeKind,
    session: String,
    params: StringMap,
    username: String,
    client_metadata: Option<ClientMetadata>,
    /// The remembered device, named with a first factor's answer (USER_AUTH).
    device: Option<Box<DeviceSecrets>>,
}

const ATTRIBUTE_PREFIX: &str = "userAttributes.";
/// Where MFA_SETUP keeps AssociateSoftwareToken's secret among the params.
const SECRET_CODE: &str = "SecretCode";

impl PendingChallenge {
    /// The step to show the user.
    pub fn next_step(&self) -> NextStep {
        match self.kind {
            ChallengeKind::NewPasswordRequired => NextStep::NewPasswordRequired {
                missing_attributes: self.missing_attributes(),
                user_attributes: self
                    .params
                    .get("userAttributes")
                    .and_then(|text| StringMap::from_json(&Json::parse(text)?))
                    .unwrap_or_default(),
            },
            ChallengeKind::SmsMfa | ChallengeKind::SmsOtp => {
                NextStep::ConfirmWithSmsCode(self.code_delivery())
            }
            ChallengeKind::EmailOtp => NextStep::ConfirmWithEmailCode(self.code_delivery()),
            ChallengeKind::SoftwareTokenMfa => NextStep::ConfirmWithTotpCode,
            ChallengeKind::MfaSetup => NextStep::ContinueWithTotpSetup {
                shared_secret: self.params.get(SECRET_CODE).unwrap_or_default().to_owned(),
                username: self.username.clone(),
            },
            ChallengeKind::CustomChallenge => NextStep::ConfirmWithCustomChallenge {
                additional_info: self.params.clone(),
            },
            ChallengeKind::SelectMfaType => {
                let mut allowed_mfa_types = self.mfas_can_choose();
                for name in &mut allowed_mfa_types {
                    if let Some((amplify, _)) = MFA_TYPES.iter().find(|(_, c)| c == name) {
                        *name = (*amplify).to_owned();
                    }
                }
                NextStep::ContinueWithMfaSelection { allowed_mfa_types }
            }
            ChallengeKind::SelectChallenge => NextStep::ContinueWithFirstFactorSelection {
                available_challenges: self.available_challenges(),
            },
            ChallengeKind::Password { .. } => NextStep::ConfirmWithPassword,
        }
    }

    /// MFA_SETUP before AssociateSoftwareToken: that request, which must be
    /// answered (see [`Self::receive_secret`]) before the step is shown.
    pub fn associate_request(&self, config: &ClientConfig) -> Option<HttpRequest> {
        (self.kind == ChallengeKind::MfaSetup && self.params.get(SECRET_CODE).is_none()).then(
            || {
                config.request(
                    "AssociateSoftwareToken",
                    &Json::string_map(&[("Session", self.session.as_str())]),
                )
            },
        )
    }

    /// Keeps AssociateSoftwareToken's secret and new Session.
    pub fn receive_secret(mut self, response: &HttpResponse) -> Result<Self> {
        let json = response.json()?;
        let secret = json
            .get("SecretCode")
            .and_then(Json::as_str)
            .ok_or_else(|| Error::bad_response("AssociateSoftwareToken gave no SecretCode"))?;
        self.params.insert(SECRET_CODE, secret.to_owned());
        if let Some(session) = json.get("Session").and_then(Json::as_str) {
            self.session = session.to_owned();
        }
        Ok(self)
    }

    fn code_delivery(&self) -> CodeDelivery {
        let param = |name: &str| self.params.get(name).map(|v| v.to_owned());
        CodeDelivery {
            delivery_medium: param("CODE_DELIVERY_DELIVERY_MEDIUM"),
            destination: param("CODE_DELIVERY_DESTINATION"),
        }
    }

    /// The parameter `name`, a JSON list of strings; empty when absent.
    fn list_param(&self, name: &str) -> Vec<String> {
        self.params
            .get(name)
            .and_then(|text| Json::parse(text)?.as_string_list())
            .unwrap_or_default()
    }

    /// MFAS_CAN_CHOOSE, a JSON list of challenge names.
    fn mfas_can_choose(&self) -> Vec<String> {
        self.list_param("MFAS_CAN_CHOOSE")
    }

    /// The SELECT_MFA_TYPE answer for `choice` (`TOTP` or `SOFTWARE_TOKEN_MFA`, ...),
    /// if the service offered it.
    fn mfa_choice(&self, choice: &str) -> Option<String> {
        let name = MFA_TYPES
            .iter()
            .find(|(amplify, _)| *amplify == choice)
            .map_or(choice, |(_, challenge)| challenge);
        self.mfas_can_choose()
            .into_iter()
            .find(|offered| offered == name)
    }

    /// requiredAttributes, a JSON list such as `["userAttributes.name"]`.
    fn missing_attributes(&self) -> Vec<String> {
        let mut names = self.list_param("requiredAttributes");
        for name in &mut names {
            if let Some(bare) = name.strip_prefix(ATTRIBUTE_PREFIX) {
                *name = bare.to_owned();
            }
        }
        names
    }

    /// Builds the RespondToAuthChallenge request, after [`Self::check`].
    pub fn answer(
        mut self,
        config: &ClientConfig,
        mut answer: ChallengeAnswer,
    ) -> Result<(AwaitingAuthResult, HttpRequest)> {
        self.check(&answer)?;
        if answer.client_metadata.is_some() {
            self.client_metadata = answer.client_metadata.take();
        }
        let mut responses = StringMap::from([("USERNAME", self.username.clone())]);
        // A wrong code can be tried again with the same Session.
        let retry = (self.kind.code_field().is_some() || self.kind == ChallengeKind::MfaSetup)
            .then(|| Box::new(self.clone()));
        if self.kind == ChallengeKind::MfaSetup {
            let body = Json::string_map(&[
                ("Session", self.session.as_str()),
                ("UserCode", answer.response.trim()),
            ]);
            let awaiting = AwaitingAuthResult {
                retry,
                verifying_setup: true,
                ..AwaitingAuthResult::new(self.username, self.client_metadata)
            };
            return Ok((awaiting, config.request("VerifySoftwareToken", &body)));
        }
        match self.kind {
            ChallengeKind::SmsMfa
            | ChallengeKind::EmailOtp
            | ChallengeKind::SoftwareTokenMfa
            | ChallengeKind::SmsOtp => {
                let field = self.kind.code_field().unwrap_or_default();
                responses.insert(field, answer.response.trim().to_owned());
            }
            ChallengeKind::SelectMfaType => {
                let choice = self.mfa_choice(&answer.response).unwrap_or_default();
                responses.insert("ANSWER", choice);
            }
            ChallengeKind::CustomChallenge => {
                responses.insert("ANSWER", answer.response.as_str().to_owned());
            }
            ChallengeKind::MfaSetup => {}
            ChallengeKind::SelectChallenge | ChallengeKind::Password { .. } => {
                self.select_challenge_responses(&mut responses, &answer)?;
            }
            ChallengeKind::NewPasswordRequired => {
                responses.insert("NEW_PASSWORD", answer.response.as_str().to_owned());
                for (name, value) in answer.user_attributes {
                    let name = name.strip_prefix(ATTRIBUTE_PREFIX).unwrap_or(&name);
                    responses.insert(&[ATTRIBUTE_PREFIX, name].concat(), value);
                }
            }
        }
        // A first factor's answer names the remembered device, which the
        // service may then ask to prove itself (DEVICE_SRP_AUTH).
        let device = self.device.take().filter(|_| self.kind.is_first_factor());
        let send = |responses| {
            respond(
                config,
                self.kind.name(),
                responses,
                Some(&self.session),
                self.client_metadata.as_ref(),
                &self.username,
            )
        };
        let without_device = device.as_ref().map(|_| Box::new(send(responses.clone())));
        if let Some(device) = &device {
            responses.insert("DEVICE_KEY", device.device_key.clone());
        }
        let request = send(responses);
        Ok((
            AwaitingAuthResult {
                retry,
                without_device,
                device,
                ..AwaitingAuthResult::new(self.username, self.client_metadata)
            },
            request,
        ))
    }

    /// Refuses an answer the service would refuse: an empty response or a
    /// missing required attribute. Callers check first to keep the step
    /// for a retry, since [`Self::answer`] consumes it.
    pub fn check(&self, answer: &ChallengeAnswer) -> Result<()> {
        let what = match self.kind {
            ChallengeKind::NewPasswordRequired => "the new password",
            ChallengeKind::Password { .. } => "the password",
            ChallengeKind::SelectMfaType => "the MFA type chosen",
            ChallengeKind::CustomChallenge => "the answer to the challenge",
            _ => "the code",
        };
        if answer.response.trim().is_empty() {
            return Err(Error::Validation(
                ["challengeResponse is empty; pass ", what].concat().into(),
            ));
        }
        if self.kind == ChallengeKind::SelectChallenge {
            return self.check_first_factor(&answer.response);
        }
        if self.kind == ChallengeKind::SelectMfaType && self.mfa_choice(&answer.response).is_none()
        {
            let allowed = match self.next_step() {
                NextStep::ContinueWithMfaSelection { allowed_mfa_types } => {
                    allowed_mfa_types.join("', '")
                }
                _ => String::new(),
            };
            return Err(Error::Validation(
                [
                    "challengeResponse ",
                    &quoted(&answer.response),
                    " is not an MFA type this sign-in allows; pass one of '",
                    &allowed,
                    "'",
                ]
                .concat()
                .into(),
            ));
        }
        if self.kind != ChallengeKind::NewPasswordRequired {
            return Ok(());
        }
        let given = |name: &String| {
            answer.user_attributes.iter().any(|(k, v)| {
                k.strip_prefix(ATTRIBUTE_PREFIX).unwrap_or(k) == name && !v.is_empty()
            })
        };
        let mut missing = Vec::new();
        for name in self.missing_attributes() {
            if !given(&name) {
                missing.push(name);
            }
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(
                [
                    "the user pool requires the attribute(s) ",
                    &missing.join(", "),
                    "; pass them as confirmSignIn({ challengeResponse, userAttributes: { ",
                    &missing[0],
                    ": '...' } })",
                ]
                .concat()
                .into(),
            ))
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
        let answer = expect_challenge(response, "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER")?;
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
    tokens: Tokens,
    metadata: NewDeviceMetadata,
}

impl DeviceToConfirm {
    /// The new device's keys.
    pub fn metadata(&self) -> &NewDeviceMetadata {
        &self.metadata
    }

    /// The tokens, without confirming the device.
    pub fn into_tokens(self) -> Tokens {
        self.tokens
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
            &self.tokens.access_token,
            &secrets.device_key,
            &verifier,
            device_name,
        );
        let next = AwaitingDeviceConfirmation {
            tokens: self.tokens,
            device: secrets,
        };
        (next, request)
    }
}

/// ConfirmDevice was sent.
pub struct AwaitingDeviceConfirmation {
    tokens: Tokens,
    device: DeviceSecrets,
}

/// The end of a sign-in on a new device.
pub struct DeviceConfirmed {
    pub tokens: Tokens,
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
            tokens: self.tokens,
            user_confirmation_necessary: answer.as_ref().is_ok_and(|necessary| *necessary),
            device: answer.map(|_| self.device),
        }
    }
}
