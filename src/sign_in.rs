//! The JS surface of the sign-in module: `Client`, the signing in of one
//! `CognitoAuth`. js/index.js holds the session (the tokens, their claims
//! and expiry, storage, events), and the account module what comes after a
//! sign-in (refresh, revocation, the account calls); a `Client` holds what a
//! sign-in needs: the app client's settings and the sign-in step waiting
//! for `confirmSignIn`. Remembered devices come in with `signIn` and go out
//! through index.js's writer (`device`).
//!
//! Each call (`signIn`, `confirmSignIn`) is an [`Operation`]: a state
//! machine of `cognito-core`'s steps that the JS driver (js/transport.js's `drive`)
//! runs, fetching each request it asks for. Rust futures (and the executor,
//! wakers and closures they need) would be a fifth of the module.
//!
//! Results are shaped for JS in one place each: [`sign_in_result_to_js`],
//! [`tokens_to_js`]. Nothing here panics: every failure becomes a rejected
//! promise holding a JS `Error` whose `name` is [`Error::name`].
//!
//! The exported items have plain `//` comments, not doc comments: wasm-bindgen
//! would copy doc comments into the JS glue that apps ship, and
//! js/index.d.ts documents the API.

use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::string::String;
use core::cell::RefCell;

use cognito_core::device::{
    self as device_core, DeviceSecrets, PASSWORD_RANDOM_BYTES, SALT_RANDOM_BYTES,
};
use cognito_core::error::{Error, Result};
use cognito_core::protocol::{ClientConfig, HttpRequest, HttpResponse};
use cognito_core::sign_in::{
    self, Answered, AuthFlow, AwaitingAuthResult, AwaitingDeviceConfirmation,
    AwaitingDevicePasswordVerifier, AwaitingFirstFactor, AwaitingPasswordVerifier,
    AwaitingSetupVerification, ChallengeAnswer, DeviceToConfirm, FirstFactorOutcome, NextStep,
    PasskeyChallenge, PendingChallenge, SignInInput, SignInOutcome, SignInStart,
};
use cognito_srp::srp::SECRET_BYTES;
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

use crate::glue::js::{Array, Function, Object, Promise};
use crate::glue::{
    optional_str, received, set, to_js_error, tokens_to_js, Options, Step, Transport,
};

mod device;

/// Fills `buffer` with `getrandom` (`crypto.getRandomValues` in JS): the
/// randomness the core takes as arguments.
fn fill_random(buffer: &mut [u8]) -> Result<()> {
    getrandom::fill(buffer).map_err(|_| {
        Error::Validation(
            "crypto.getRandomValues is not available; use a browser, a worker or Node >= 20".into(),
        )
    })
}

/// `N` random bytes, wiped when dropped.
fn random<const N: usize>() -> Result<Zeroizing<[u8; N]>> {
    let mut bytes = Zeroizing::new([0; N]);
    fill_random(&mut bytes[..])?;
    Ok(bytes)
}

fn string_map_to_js<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> Object {
    let object = Object::new();
    for (key, value) in entries {
        set(&object, key, &JsValue::from_str(value));
    }
    object
}

fn strings_to_js(strings: &[String]) -> Array {
    strings.iter().map(|s| JsValue::from_str(s)).collect()
}

/// Amplify v6's name of each step.
fn step_name(next_step: &NextStep) -> &'static str {
    match next_step {
        NextStep::Done(_) => "DONE",
        NextStep::NewPasswordRequired { .. } => "CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED",
        NextStep::ConfirmWithSmsCode(_) => "CONFIRM_SIGN_IN_WITH_SMS_CODE",
        NextStep::ConfirmWithEmailCode(_) => "CONFIRM_SIGN_IN_WITH_EMAIL_CODE",
        NextStep::ConfirmWithTotpCode => "CONFIRM_SIGN_IN_WITH_TOTP_CODE",
        NextStep::ConfirmWithCustomChallenge { .. } => "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE",
        NextStep::ContinueWithTotpSetup { .. } => "CONTINUE_SIGN_IN_WITH_TOTP_SETUP",
        NextStep::ContinueWithMfaSelection { .. } => "CONTINUE_SIGN_IN_WITH_MFA_SELECTION",
        NextStep::ContinueWithFirstFactorSelection { .. } => {
            "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION"
        }
        NextStep::ConfirmWithPassword => "CONFIRM_SIGN_IN_WITH_PASSWORD",
        NextStep::ContinueWithMfaSetupSelection { .. } => {
            "CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION"
        }
        NextStep::ContinueWithEmailSetup => "CONTINUE_SIGN_IN_WITH_EMAIL_SETUP",
        NextStep::ConfirmSignUp => "CONFIRM_SIGN_UP",
        NextStep::ResetPassword => "RESET_PASSWORD",
    }
}

/// `{ isSignedIn, nextStep: { signInStep, ... }, tokens? }`, as Amplify v6
/// shapes the first two; `tokens` (signed in) is for js/index.js.
fn sign_in_result_to_js(next_step: &NextStep) -> JsValue {
    let step = Object::new();
    set(
        &step,
        "signInStep",
        &JsValue::from_str(step_name(next_step)),
    );
    match next_step {
        NextStep::Done(_)
        | NextStep::ConfirmWithTotpCode
        | NextStep::ConfirmWithPassword
        | NextStep::ContinueWithEmailSetup
        | NextStep::ConfirmSignUp
        | NextStep::ResetPassword => {}
        NextStep::NewPasswordRequired {
            missing_attributes,
            user_attributes,
        } => {
            set(
                &step,
                "missingAttributes",
                &strings_to_js(missing_attributes),
            );
            set(
                &step,
                "userAttributes",
                &string_map_to_js(user_attributes.iter()),
            );
        }
        NextStep::ConfirmWithSmsCode(delivery) | NextStep::ConfirmWithEmailCode(delivery) => {
            let details = Object::new();
            set(
                &details,
                "deliveryMedium",
                &optional_str(delivery.delivery_medium.as_deref()),
            );
            set(
                &details,
                "destination",
                &optional_str(delivery.destination.as_deref()),
            );
            set(&step, "codeDeliveryDetails", &details);
        }
        NextStep::ConfirmWithCustomChallenge { additional_info } => {
            set(
                &step,
                "additionalInfo",
                &string_map_to_js(additional_info.iter()),
            );
        }
        NextStep::ContinueWithTotpSetup {
            shared_secret,
            username,
        } => {
            let details = Object::new();
            set(&details, "sharedSecret", &JsValue::from_str(shared_secret));
            // `drive` adds getSetupUri(appName, accountName = this).
            set(&details, "accountName", &JsValue::from_str(username));
            set(&step, "totpSetupDetails", &details);
        }
        NextStep::ContinueWithMfaSelection { allowed_mfa_types }
        | NextStep::ContinueWithMfaSetupSelection { allowed_mfa_types } => {
            set(&step, "allowedMFATypes", &strings_to_js(allowed_mfa_types));
        }
        NextStep::ContinueWithFirstFactorSelection {
            available_challenges,
        } => {
            set(
                &step,
                "availableChallenges",
                &strings_to_js(available_challenges),
            );
        }
    }
    let result = Object::new();
    let signed_in = matches!(next_step, NextStep::Done(_));
    set(&result, "isSignedIn", &JsValue::from_bool(signed_in));
    set(&result, "nextStep", &step);
    if let NextStep::Done(tokens) = next_step {
        set(&result, "tokens", &tokens_to_js(tokens));
    }
    result.into()
}

// Step `step` of preparing a first sign-in (`cognito_srp::srp::prepare_step`:
// a table of powers of g); whether one remains. js/sign-in.js runs one step
// per task once the module has loaded.
#[wasm_bindgen(js_name = prepareStep, skip_jsdoc)]
pub fn prepare_step(step: u32) -> bool {
    cognito_srp::srp::prepare_step(step as usize)
}

#[derive(Default)]
struct ClientState {
    pending: Option<PendingChallenge>,
    /// The WEB_AUTHN challenge whose ceremony failed (a cancelled prompt),
    /// for `confirmSignIn({ challengeResponse: 'WEB_AUTHN' })` to run again.
    passkey: Option<Box<PasskeyChallenge>>,
    /// The user name of the sign-in in progress, as typed: a device that
    /// sign-in confirms is stored under it.
    login: String,
    /// Bumped by `reset` (signOut), so that an operation still in flight
    /// then cannot hand back its tokens or leave a step waiting afterwards.
    sign_outs: u64,
    /// The operations begun (signIn, confirmSignIn): an operation that ends
    /// without its answer puts its step back only if it is the last one.
    operations: u64,
}

// The signing in of one `CognitoAuth` (js/index.js makes one per instance).
#[wasm_bindgen]
pub struct Client {
    config: Rc<ClientConfig>,
    transport: Transport,
    state: Rc<RefCell<ClientState>>,
    devices: Rc<device::Devices>,
}

#[wasm_bindgen]
impl Client {
    // `new Client(options, writer, deviceName, driver)`: the options of `new
    // CognitoAuth`, index.js's writer of remembered devices (`writer(login,
    // storedText | null)`), ConfirmDevice's DeviceName and js/transport.js's
    // `{ drive }`. Throws a ValidationError on unusable settings.
    #[wasm_bindgen(constructor, skip_jsdoc)]
    pub fn new(
        options: JsValue,
        writer: Function,
        device_name: JsValue,
        driver: JsValue,
    ) -> core::result::Result<Client, JsValue> {
        let (config, transport) =
            crate::glue::client_config(options, driver).map_err(to_js_error)?;
        Ok(Client {
            config: Rc::new(config),
            transport,
            state: Rc::default(),
            devices: Rc::new(device::Devices::new(writer, device_name)),
        })
    }

    // `signIn({ username, password, authFlow?, clientMetadata?, session? },
    // device, ceremony)` resolves to `{ isSignedIn, nextStep, tokens? }`;
    // `device` is the device stored for the user (a string from `writer`,
    // else none), `ceremony` what runs a passkey's WebAuthn ceremony (see
    // js/transport.js's `drive`), `session` ConfirmSignUp's, from autoSignIn.
    #[wasm_bindgen(js_name = signIn, skip_jsdoc)]
    pub fn sign_in(&self, options: JsValue, device: JsValue, ceremony: JsValue) -> Promise {
        let operation = self.operation(Stage::SignIn(options.clone(), device));
        self.transport.drive(operation.into(), &options, &ceremony)
    }

    // `confirmSignIn({ challengeResponse, userAttributes? }, ceremony)`
    // answers the step that `signIn` reported.
    #[wasm_bindgen(js_name = confirmSignIn, skip_jsdoc)]
    pub fn confirm_sign_in(&self, options: JsValue, ceremony: JsValue) -> Promise {
        let operation = self.operation(Stage::ConfirmSignIn(options.clone()));
        self.transport.drive(operation.into(), &options, &ceremony)
    }

    // signOut: forgets any waiting step, so that no sign-in in flight
    // completes after this.
    #[wasm_bindgen(skip_jsdoc)]
    pub fn reset(&self) {
        let mut state = self.state.borrow_mut();
        state.sign_outs += 1;
        state.pending = None;
        state.passkey = None;
    }
}

impl Client {
    fn operation(&self, stage: Stage) -> Operation {
        let mut state = self.state.borrow_mut();
        state.operations += 1;
        Operation {
            config: Rc::clone(&self.config),
            sign_outs: state.sign_outs,
            number: state.operations,
            state: Rc::clone(&self.state),
            devices: Rc::clone(&self.devices),
            stage,
        }
    }
}

/// Where an [`Operation`] is.
enum Stage {
    /// `signIn` was called with these options and this stored device.
    SignIn(JsValue, JsValue),
    /// `confirmSignIn` was called with these options.
    ConfirmSignIn(JsValue),
    /// USER_SRP_AUTH was sent; PASSWORD_VERIFIER is awaited.
    VerifierAwaited(AwaitingPasswordVerifier),
    /// A request that ends in tokens or a challenge was sent.
    ResultAwaited(AwaitingAuthResult),
    /// A USER_AUTH request was sent (PASSWORD_VERIFIER may come).
    FirstFactorAwaited(Box<AwaitingFirstFactor>),
    /// MFA_SETUP's code was sent to VerifySoftwareToken.
    SetupVerificationAwaited(AwaitingSetupVerification),
    /// MFA_SETUP came: AssociateSoftwareToken was sent for its secret.
    SecretAwaited(PendingChallenge),
    /// DEVICE_SRP_AUTH was answered; DEVICE_PASSWORD_VERIFIER is awaited.
    DeviceVerifierAwaited(AwaitingDevicePasswordVerifier),
    /// Signed in on a device new to the pool, stored for this user name
    /// once confirmed: the operation's result is out, its confirmation next.
    DeviceToConfirm(Box<DeviceToConfirm>, String),
    /// ConfirmDevice was sent for the device new to the pool.
    DeviceConfirmAwaited(Box<AwaitingDeviceConfirmation>, String),
    /// WEB_AUTHN: the driver runs the passkey ceremony of these options.
    CeremonyAwaited(Box<PasskeyChallenge>),
    /// The result was returned (or an error thrown).
    Done,
}

// One call of `signIn` or `confirmSignIn`, run by `drive`.
#[wasm_bindgen]
pub struct Operation {
    config: Rc<ClientConfig>,
    state: Rc<RefCell<ClientState>>,
    devices: Rc<device::Devices>,
    stage: Stage,
    // The sign-out count when the operation began (see [`finish`]).
    sign_outs: u64,
    // Which operation of the client this is (`ClientState::operations`).
    number: u64,
}

#[wasm_bindgen]
impl Operation {
    // The next step, `{ fetch: [url, init] }`, `{ ceremony: options }`,
    // `{ done: result }` or `{ done: result, more: true }` (a new device's
    // confirmation follows the result). Called without arguments first, then with each
    // answer and the time it arrived (a ceremony's: status 0 and the
    // credential's JSON as the body; none when it failed).
    #[wasm_bindgen(skip_jsdoc)]
    pub fn next(
        &mut self,
        status: Option<u16>,
        error_type: JsValue,
        body: JsValue,
        now_ms: f64,
    ) -> core::result::Result<JsValue, JsValue> {
        match self.advance(received(status, error_type, body), now_ms) {
            Ok(step) => Ok(step.into_js()),
            Err(error) => {
                // The service no longer knows the stored device: forget it.
                if device_core::is_stale_device_error(&error) {
                    self.devices.forget(&self.state.borrow().login);
                }
                Err(to_js_error(error))
            }
        }
    }
}

impl Operation {
    fn advance(&mut self, response: Option<HttpResponse>, now_ms: f64) -> Result<Step> {
        let config = &*self.config;
        let (next, request) = match core::mem::replace(&mut self.stage, Stage::Done) {
            Stage::SignIn(options, device) => self.start_sign_in(options, device)?,
            Stage::ConfirmSignIn(options) => match self.start_confirm_sign_in(options)? {
                Confirmed::Request(stage, request) => (stage, request),
                Confirmed::Step(challenge) => {
                    return self.outcome(SignInOutcome::Challenge(challenge))
                }
                Confirmed::Passkey(passkey) => {
                    return self.outcome(SignInOutcome::Passkey(passkey))
                }
            },
            Stage::CeremonyAwaited(passkey) => match response {
                Some(credential) => {
                    let (awaiting, request) = passkey.answer(config, &credential.body)?;
                    (Stage::ResultAwaited(awaiting), request)
                }
                None => {
                    self.keep_passkey(passkey);
                    return Ok(Step::Done(JsValue::UNDEFINED));
                }
            },
            Stage::DeviceToConfirm(to_confirm, login) => {
                let password = random::<PASSWORD_RANDOM_BYTES>()?;
                let salt = random::<SALT_RANDOM_BYTES>()?;
                let (awaiting, request) =
                    to_confirm.confirm(config, &password, &salt, &self.devices.name);
                (
                    Stage::DeviceConfirmAwaited(Box::new(awaiting), login),
                    request,
                )
            }
            stage => {
                let response = response.ok_or_else(|| {
                    Error::InvalidState("the operation was given no answer".into())
                })?;
                match stage {
                    Stage::VerifierAwaited(verifier) => {
                        let (awaiting, request) = verifier.receive(config, &response, now_ms)?;
                        (Stage::ResultAwaited(awaiting), request)
                    }
                    Stage::DeviceVerifierAwaited(verifier) => {
                        let (awaiting, request) = verifier.receive(config, &response, now_ms)?;
                        (Stage::ResultAwaited(awaiting), request)
                    }
                    Stage::DeviceConfirmAwaited(awaiting, login) => {
                        if let Ok(secrets) = &awaiting.receive(&response).device {
                            if self.state.borrow().sign_outs == self.sign_outs {
                                self.devices.keep(&login, secrets);
                            }
                        }
                        return Ok(Step::Done(JsValue::UNDEFINED));
                    }
                    Stage::SetupVerificationAwaited(mut awaiting) => {
                        let retry = awaiting.take_retry();
                        let verified = awaiting.receive(config, &response);
                        let (next, request) = self.keep_on_wrong_code(verified, retry)?;
                        (Stage::ResultAwaited(next), request)
                    }
                    Stage::ResultAwaited(mut awaiting) => {
                        let retry = awaiting.take_retry();
                        let device_retry = awaiting.take_device_retry();
                        let outcome = awaiting.receive(&response);
                        if let Some((next, request)) =
                            self.stale_device_retry(&outcome, device_retry)
                        {
                            self.stage = Stage::ResultAwaited(next);
                            return Ok(Step::Fetch(request));
                        }
                        let outcome = self.keep_on_wrong_code(outcome, retry)?;
                        return self.outcome(outcome);
                    }
                    Stage::FirstFactorAwaited(mut awaiting) => {
                        let device_retry = awaiting.take_device_retry();
                        let outcome = awaiting.receive(config, &response, now_ms);
                        if let Some((next, request)) =
                            self.stale_device_retry(&outcome, device_retry)
                        {
                            self.stage = Stage::ResultAwaited(next);
                            return Ok(Step::Fetch(request));
                        }
                        match outcome? {
                            FirstFactorOutcome::Verifying(next, request) => {
                                (Stage::ResultAwaited(next), request)
                            }
                            FirstFactorOutcome::Done(outcome) => return self.outcome(outcome),
                        }
                    }
                    Stage::SecretAwaited(challenge) => {
                        let challenge = challenge.receive_secret(&response)?;
                        return self
                            .finish(SignInOutcome::Challenge(challenge))
                            .map(Step::Done);
                    }
                    _ => {
                        return Err(Error::InvalidState(
                            "the operation has already ended".into(),
                        ))
                    }
                }
            }
        };
        self.stage = next;
        Ok(Step::Fetch(request))
    }

    /// Tokens or a challenge: the result for the app; or the next request to
    /// send first: the device's proof (DEVICE_SRP_AUTH), the confirmation of
    /// a new device, or (MFA_SETUP without its secret yet) AssociateSoftwareToken.
    fn outcome(&mut self, outcome: SignInOutcome) -> Result<Step> {
        let config = &*self.config;
        let (next, request) = match outcome {
            SignInOutcome::DeviceSrp(required) => {
                let (verifier, request) =
                    required.answer(config, &random::<SECRET_BYTES>()?[..])?;
                (Stage::DeviceVerifierAwaited(verifier), request)
            }
            SignInOutcome::NewDevice(tokens, to_confirm) => {
                // Signed in now; the device's verifier and ConfirmDevice
                // come after the result, off the sign-in's time.
                let result = self.finish(SignInOutcome::SignedIn(tokens))?;
                let login = self.state.borrow().login.clone();
                self.stage = Stage::DeviceToConfirm(to_confirm, login);
                return Ok(Step::DoneThenMore(result));
            }
            SignInOutcome::Challenge(challenge) => match challenge.associate_request(config) {
                Some(request) => (Stage::SecretAwaited(challenge), request),
                None => {
                    return self
                        .finish(SignInOutcome::Challenge(challenge))
                        .map(Step::Done)
                }
            },
            SignInOutcome::Passkey(passkey) => {
                let options = JsValue::from_str(passkey.request_options());
                self.stage = Stage::CeremonyAwaited(passkey);
                return Ok(Step::Ceremony(options));
            }
            outcome => return self.finish(outcome).map(Step::Done),
        };
        self.stage = next;
        Ok(Step::Fetch(request))
    }

    /// The passkey ceremony failed (cancelled, aborted, refused): the
    /// WEB_AUTHN challenge waits for `confirmSignIn`, unless signOut or
    /// another step came meanwhile.
    fn keep_passkey(&self, passkey: Box<PasskeyChallenge>) {
        let mut state = self.state.borrow_mut();
        if state.sign_outs == self.sign_outs && state.pending.is_none() {
            state.passkey = Some(passkey);
        }
    }

    /// After a refused code (CodeMismatchException, or
    /// EnableSoftwareTokenMFAException for a TOTP setup) or email address,
    /// the step stays for another try (`PendingChallenge::stays_after`).
    fn keep_on_wrong_code<T>(
        &self,
        result: Result<T>,
        retry: Option<PendingChallenge>,
    ) -> Result<T> {
        if let Err(error) = &result {
            let mut state = self.state.borrow_mut();
            if state.sign_outs == self.sign_outs && state.pending.is_none() {
                state.pending = retry.filter(|step| step.stays_after(error));
            }
        }
        result
    }

    fn start_sign_in(&mut self, options: JsValue, device: JsValue) -> Result<(Stage, HttpRequest)> {
        let options = Options::new("signIn", options)?;
        let flow = match options.optional_string("authFlowType")? {
            Some(flow) => Some(flow),
            None => options.optional_string("authFlow")?,
        };
        let username = options.string("username")?;
        let input = SignInInput {
            session: options.optional_string("session")?,
            password: Zeroizing::new(options.optional_string("password")?.unwrap_or_default()),
            auth_flow: AuthFlow::parse(flow.as_deref())?,
            preferred_challenge: options.optional_string("preferredChallenge")?,
            client_metadata: options.optional_map("clientMetadata")?,
            // A stored value that is not a device is not used; a device the
            // sign-in confirms replaces it.
            device: device
                .as_string()
                .as_deref()
                .and_then(DeviceSecrets::from_stored),
            username,
        };
        {
            let mut state = self.state.borrow_mut();
            state.pending = None;
            state.passkey = None;
            state.login.clone_from(&input.username);
        }
        let random_a = random::<SECRET_BYTES>()?;
        let (start, request) = sign_in::start(&self.config, input, &random_a[..])?;
        let stage = match start {
            SignInStart::Srp(verifier) => Stage::VerifierAwaited(verifier),
            SignInStart::Password(awaiting) => Stage::ResultAwaited(awaiting),
            SignInStart::UserAuth(awaiting) => Stage::FirstFactorAwaited(awaiting),
        };
        Ok((stage, request))
    }

    fn start_confirm_sign_in(&mut self, options: JsValue) -> Result<Confirmed> {
        let options = Options::new("confirmSignIn", options)?;
        let answer = ChallengeAnswer {
            response: Zeroizing::new(options.string("challengeResponse")?),
            user_attributes: options.optional_map("userAttributes")?.unwrap_or_default(),
            client_metadata: options.optional_map("clientMetadata")?,
        };
        let passkey = self.state.borrow_mut().passkey.take();
        if let Some(passkey) = passkey {
            if answer.response.as_str() == "WEB_AUTHN" {
                return Ok(Confirmed::Passkey(passkey));
            }
            self.state.borrow_mut().passkey = Some(passkey);
            return Err(Error::Validation(
                "a passkey prompt failed: challengeResponse 'WEB_AUTHN' runs it again (signIn starts over)".into(),
            ));
        }
        let pending = self.state.borrow_mut().pending.take().ok_or_else(|| {
            Error::InvalidState(
                "no sign-in step is waiting; call signIn first and confirm the step it returns"
                    .into(),
            )
        })?;
        if let Err(error) = pending.check(&answer) {
            self.state.borrow_mut().pending = Some(pending);
            return Err(error);
        }
        let random_a = random::<SECRET_BYTES>()?;
        Ok(match pending.answer(&self.config, answer, &random_a[..])? {
            Answered::Step(step) => Confirmed::Step(step),
            Answered::Result(awaiting, request) => {
                Confirmed::Request(Stage::ResultAwaited(awaiting), request)
            }
            Answered::SetupVerification(awaiting, request) => {
                Confirmed::Request(Stage::SetupVerificationAwaited(awaiting), request)
            }
            Answered::FirstFactor(awaiting, request) => {
                Confirmed::Request(Stage::FirstFactorAwaited(awaiting), request)
            }
        })
    }

    /// A stale device: dropped, and the request just refused, to send once
    /// more without it.
    fn stale_device_retry<T>(
        &self,
        outcome: &Result<T>,
        retry: Option<(AwaitingAuthResult, HttpRequest)>,
    ) -> Option<(AwaitingAuthResult, HttpRequest)> {
        match outcome {
            Err(error) if device_core::is_stale_device_error(error) => {
                let retry = retry?;
                self.devices.forget(&self.state.borrow().login);
                Some(retry)
            }
            _ => None,
        }
    }

    /// Keeps a challenge for `confirmSignIn` and describes the outcome to
    /// the app, unless signOut was called since the operation began.
    fn finish(&self, outcome: SignInOutcome) -> Result<JsValue> {
        let mut state = self.state.borrow_mut();
        if state.sign_outs != self.sign_outs {
            return Err(Error::InvalidState(
                "signOut was called while this sign-in was in progress, so its result was discarded; sign in again"
                    .into(),
            ));
        }
        let next_step = match outcome {
            SignInOutcome::SignedIn(tokens) => NextStep::Done(tokens),
            SignInOutcome::Refused(next_step) => next_step,
            SignInOutcome::Challenge(challenge) => {
                let next_step = challenge.next_step();
                state.pending = Some(challenge);
                next_step
            }
            // Taken by `Operation::outcome` before a sign-in can finish.
            SignInOutcome::DeviceSrp(_)
            | SignInOutcome::NewDevice(..)
            | SignInOutcome::Passkey(_) => {
                return Err(Error::InvalidState(
                    "a device step of the sign-in was not taken".into(),
                ))
            }
        };
        Ok(sign_in_result_to_js(&next_step))
    }
}

/// An operation that ends without the answer to a step it answered (the
/// app's signal, the timeout, a network failure) puts the step back, so
/// that `confirmSignIn` can answer it again: unless a sign-out or another
/// operation came since.
impl Drop for Operation {
    fn drop(&mut self) {
        let step = match &mut self.stage {
            Stage::ResultAwaited(awaiting) => awaiting.take_unanswered(),
            Stage::SetupVerificationAwaited(awaiting) => awaiting.take_retry(),
            _ => None,
        };
        if let Some(step) = step {
            let mut state = self.state.borrow_mut();
            if state.sign_outs == self.sign_outs && state.operations == self.number {
                state.pending = Some(step);
            }
        }
    }
}

/// What `confirmSignIn` starts with: a request, a step shown at once
/// (the password step after choosing PASSWORD or PASSWORD_SRP, an MFA
/// setup chosen), or the passkey ceremony again.
enum Confirmed {
    Request(Stage, HttpRequest),
    Step(PendingChallenge),
    Passkey(Box<PasskeyChallenge>),
}
