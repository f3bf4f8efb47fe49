//! The JS surface of the sign-in module: `CognitoAuth`, promise-returning,
//! camelCase. With `crate::glue` (what it shares with the account module's
//! `crate::account_bindings`) this is the only module that touches
//! wasm-bindgen, `crypto` and the clock, and the only one that knows about
//! `fetch`, which a few lines of JS (`drive`, in `glue`) call for it. The
//! account calls (sign-up, password reset, attributes, MFA and device
//! management, GlobalSignOut) are in the account module, which index.js
//! loads on first use.
//!
//! Each call (`signIn`, `confirmSignIn`, `signOut`) is an [`Operation`]: a
//! state machine that `drive` runs. `Operation::next` returns the next
//! request as `[url, init]`, `drive` fetches it and hands the answer back,
//! until `next` returns the call's result. Rust futures (and the executor,
//! wakers and closures they need) would be a fifth of the wasm module.
//!
//! Nothing here panics: every failure becomes a rejected promise holding a JS
//! `Error` whose `name` is [`Error::name`].
//!
//! The exported items have plain `//` comments, not doc comments: wasm-bindgen
//! would copy doc comments into the JS glue that apps ship, and `index.d.ts`
//! documents the API.

use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::string::String;
use core::cell::RefCell;

use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

use cognito_core::device as device_core;
use cognito_core::error::{Error, Result};
use crate::glue::js::{Array, Date, Object, Promise, Reflect};
use crate::glue::{json_to_js, received, request_to_js, set, to_js_error, Options};
use cognito_core::protocol::{revoke_token, ClientConfig, HttpRequest, HttpResponse};
use cognito_core::sign_in::user_auth::{self, AwaitingFirstFactor, FirstFactorOutcome};
use cognito_core::sign_in::{
    self, AuthFlow, AwaitingAuthResult, AwaitingDeviceConfirmation, AwaitingDevicePasswordVerifier,
    AwaitingPasswordVerifier, ChallengeAnswer, NextStep, PendingChallenge, SignInInput,
    SignInOutcome, SignInStart,
};
use cognito_core::tokens::Tokens;

mod device;
mod session;

/// Runs a sign-in `operation` to its end (`glue::drive`).
fn drive(operation: Operation) -> Promise {
    crate::glue::drive(operation.into())
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(buffer: &mut [u8]) -> core::result::Result<JsValue, JsValue>;
}

/// Fills `buffer` from `crypto.getRandomValues`.
fn fill_random(buffer: &mut [u8]) -> Result<()> {
    get_random_values(buffer).map_err(|_| {
        Error::Validation(
            "crypto.getRandomValues is not available; use a browser, a worker or Node >= 20".into(),
        )
    })?;
    Ok(())
}

fn string_map_to_js<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> Object {
    let object = Object::new();
    for (key, value) in entries {
        set(&object, key, &JsValue::from_str(value));
    }
    object
}

/// Whether `options` is an object whose `name` is truthy (`{ global: true }`).
fn flag(options: &JsValue, name: &str) -> bool {
    options.is_object()
        && Reflect::get(options, &JsValue::from_str(name)).is_ok_and(|value| value.is_truthy())
}

fn optional_str(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::NULL, JsValue::from_str)
}

fn tokens_to_js(tokens: &Tokens) -> JsValue {
    let object = Object::new();
    set(
        &object,
        "idToken",
        &optional_str(tokens.id_token.as_deref()),
    );
    set(
        &object,
        "accessToken",
        &JsValue::from_str(&tokens.access_token),
    );
    set(
        &object,
        "refreshToken",
        &optional_str(tokens.refresh_token.as_deref()),
    );
    set(
        &object,
        "expiresAt",
        &Date::new(&JsValue::from_f64(tokens.expires_at)),
    );
    let claims = tokens
        .id_token_claims
        .as_ref()
        .map_or(JsValue::NULL, json_to_js);
    set(&object, "idTokenClaims", &claims);
    let claims = cognito_core::tokens::decode_claims(&tokens.access_token)
        .map_or(JsValue::NULL, |claims| json_to_js(&claims));
    set(&object, "accessTokenClaims", &claims);
    object.into()
}

/// `{ isSignedIn, nextStep: { signInStep, ... } }`, as Amplify v6 shapes it.
fn sign_in_result_to_js(next_step: &NextStep) -> JsValue {
    let step = Object::new();
    let signed_in = match next_step {
        NextStep::Done => {
            set(&step, "signInStep", &JsValue::from_str("DONE"));
            true
        }
        NextStep::NewPasswordRequired {
            missing_attributes,
            user_attributes,
        } => {
            let name = "CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED";
            set(&step, "signInStep", &JsValue::from_str(name));
            let missing: Array = missing_attributes
                .iter()
                .map(|a| JsValue::from_str(a))
                .collect();
            set(&step, "missingAttributes", &missing);
            set(
                &step,
                "userAttributes",
                &string_map_to_js(user_attributes.iter()),
            );
            false
        }
        NextStep::ConfirmWithSmsCode(delivery) | NextStep::ConfirmWithEmailCode(delivery) => {
            let name = match next_step {
                NextStep::ConfirmWithSmsCode(_) => "CONFIRM_SIGN_IN_WITH_SMS_CODE",
                _ => "CONFIRM_SIGN_IN_WITH_EMAIL_CODE",
            };
            set(&step, "signInStep", &JsValue::from_str(name));
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
            false
        }
        NextStep::ConfirmWithCustomChallenge { additional_info } => {
            let name = "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE";
            set(&step, "signInStep", &JsValue::from_str(name));
            set(
                &step,
                "additionalInfo",
                &string_map_to_js(additional_info.iter()),
            );
            false
        }
        NextStep::ContinueWithTotpSetup {
            shared_secret,
            username,
        } => {
            let name = "CONTINUE_SIGN_IN_WITH_TOTP_SETUP";
            set(&step, "signInStep", &JsValue::from_str(name));
            let details = Object::new();
            set(&details, "sharedSecret", &JsValue::from_str(shared_secret));
            // `drive` adds getSetupUri(appName, accountName = this).
            set(&details, "accountName", &JsValue::from_str(username));
            set(&step, "totpSetupDetails", &details);
            false
        }
        NextStep::ConfirmWithTotpCode => {
            let name = "CONFIRM_SIGN_IN_WITH_TOTP_CODE";
            set(&step, "signInStep", &JsValue::from_str(name));
            false
        }
        NextStep::ContinueWithMfaSelection { allowed_mfa_types } => {
            let name = "CONTINUE_SIGN_IN_WITH_MFA_SELECTION";
            set(&step, "signInStep", &JsValue::from_str(name));
            let allowed: Array = allowed_mfa_types
                .iter()
                .map(|a| JsValue::from_str(a))
                .collect();
            set(&step, "allowedMFATypes", &allowed);
            false
        }
        NextStep::ContinueWithFirstFactorSelection {
            available_challenges,
        } => {
            let name = "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION";
            set(&step, "signInStep", &JsValue::from_str(name));
            let available: Array = available_challenges
                .iter()
                .map(|a| JsValue::from_str(a))
                .collect();
            set(&step, "availableChallenges", &available);
            false
        }
        NextStep::ConfirmWithPassword => {
            let name = "CONFIRM_SIGN_IN_WITH_PASSWORD";
            set(&step, "signInStep", &JsValue::from_str(name));
            false
        }
    };
    let result = Object::new();
    set(&result, "isSignedIn", &JsValue::from_bool(signed_in));
    set(&result, "nextStep", &step);
    result.into()
}

#[derive(Default)]
struct AuthState {
    tokens: Option<Tokens>,
    pending: Option<PendingChallenge>,
    /// Bumped by signOut, so that a sign-in still in flight then cannot
    /// store its tokens afterwards.
    sign_outs: u64,
    /// Refresh in flight, listeners (`session`).
    session: session::SessionState,
    /// The remembered device and the stored-device listener (`device`).
    device: device::DeviceState,
}

// Signs users in to one user-pool app client.
#[wasm_bindgen]
pub struct CognitoAuth {
    config: Rc<ClientConfig>,
    state: Rc<RefCell<AuthState>>,
}

#[wasm_bindgen]
impl CognitoAuth {
    // `new CognitoAuth({ userPoolId, clientId, clientSecret?, region?, endpoint?,
    // analyticsEndpointId?, userContextData? })`.
    // Throws a ValidationError on unusable settings.
    #[wasm_bindgen(constructor, skip_jsdoc)]
    pub fn new(options: JsValue) -> core::result::Result<CognitoAuth, JsValue> {
        let config = crate::glue::client_config(options).map_err(to_js_error)?;
        Ok(CognitoAuth {
            config: Rc::new(config),
            state: Rc::default(),
        })
    }

    // `signIn({ username, password, authFlow?, clientMetadata? })` resolves to
    // `{ isSignedIn, nextStep }`.
    #[wasm_bindgen(js_name = signIn, skip_jsdoc)]
    pub fn sign_in(&self, options: JsValue) -> Promise {
        drive(self.operation(Step::SignIn(options)))
    }

    // `confirmSignIn({ challengeResponse, userAttributes? })` answers the
    // step that `signIn` reported.
    #[wasm_bindgen(js_name = confirmSignIn, skip_jsdoc)]
    pub fn confirm_sign_in(&self, options: JsValue) -> Promise {
        drive(self.operation(Step::ConfirmSignIn(options)))
    }

    // `{ idToken, accessToken, refreshToken, expiresAt: Date, idTokenClaims,
    // accessTokenClaims }` after a sign-in, else `null`.
    #[wasm_bindgen(getter, skip_jsdoc)]
    pub fn tokens(&self) -> JsValue {
        self.state
            .borrow()
            .tokens
            .as_ref()
            .map_or(JsValue::NULL, tokens_to_js)
    }

    // Forgets the tokens and any waiting step, then revokes the refresh
    // token. Local state is cleared even when the revocation fails.
    #[wasm_bindgen(js_name = signOut, skip_jsdoc)]
    pub fn sign_out(&self, options: JsValue) -> Promise {
        let forgotten_tokens = {
            let mut state = self.state.borrow_mut();
            state.sign_outs += 1;
            state.pending = None;
            state.tokens.take()
        };
        if forgotten_tokens.is_some() {
            session::emit(&self.state, "signedOut");
        }
        // `signOut({ global: true })`: index.js sends GlobalSignOut (with the
        // access token it read before) from the account module, and nothing
        // is revoked here: GlobalSignOut ends every session of the user.
        let global = flag(&options, "global");
        match forgotten_tokens {
            Some(_) if global => Promise::resolve(&JsValue::UNDEFINED),
            tokens => drive(self.operation(Step::SignOut(tokens.and_then(|t| t.refresh_token)))),
        }
    }
}

impl CognitoAuth {
    fn operation(&self, step: Step) -> Operation {
        Operation {
            config: Rc::clone(&self.config),
            state: Rc::clone(&self.state),
            step,
            sign_outs: 0,
            refreshing: false,
        }
    }
}

/// Where an [`Operation`] is.
enum Step {
    /// `signIn` was called with these options.
    SignIn(JsValue),
    /// `confirmSignIn` was called with these options.
    ConfirmSignIn(JsValue),
    /// `signOut` was called, and this refresh token is to be revoked.
    SignOut(Option<String>),
    /// USER_SRP_AUTH was sent; PASSWORD_VERIFIER is awaited.
    VerifierAwaited(AwaitingPasswordVerifier),
    /// A request that ends in tokens or a challenge was sent.
    ResultAwaited(AwaitingAuthResult),
    /// A USER_AUTH request was sent (PASSWORD_VERIFIER may come).
    FirstFactorAwaited(Box<AwaitingFirstFactor>),
    /// MFA_SETUP came: AssociateSoftwareToken was sent for its secret.
    SecretAwaited(PendingChallenge),
    /// DEVICE_SRP_AUTH was answered; DEVICE_PASSWORD_VERIFIER is awaited.
    DeviceVerifierAwaited(AwaitingDevicePasswordVerifier),
    /// ConfirmDevice was sent for the device new to the pool.
    DeviceConfirmAwaited(Box<AwaitingDeviceConfirmation>),
    /// RevokeToken was sent.
    RevokeAwaited,
    /// `fetchSession`: this refresh is to be sent.
    Refresh(session::Refresh),
    /// This refresh was sent.
    RefreshAwaited(session::Refresh),
    /// The result was returned (or an error thrown).
    Done,
}

// One call of `signIn`, `confirmSignIn` or `signOut`, or one refresh of
// `fetchSession`, run by `drive`.
#[wasm_bindgen]
pub struct Operation {
    config: Rc<ClientConfig>,
    state: Rc<RefCell<AuthState>>,
    step: Step,
    // The sign-out count when the sign-in (or the step confirmed, or the
    // refresh) began (see [`finish`]).
    sign_outs: u64,
    // A refresh that concurrent `fetchSession` calls wait for; cleared when
    // it ends or the operation is dropped (`session`).
    refreshing: bool,
}

#[wasm_bindgen]
impl Operation {
    // The next request, as `[url, init]` for `fetch`, or else the result.
    // Called without arguments first, then with each answer and the time
    // it arrived.
    #[wasm_bindgen(skip_jsdoc)]
    pub fn next(
        &mut self,
        status: Option<u16>,
        error_type: JsValue,
        body: JsValue,
        now_ms: f64,
    ) -> core::result::Result<JsValue, JsValue> {
        self.advance(received(status, error_type, body), now_ms)
            .map_err(|error| {
                // The service no longer knows the stored device: forget it.
                if device_core::is_stale_device_error(&error) {
                    device::drop_device(&self.state);
                }
                to_js_error(error)
            })
    }

    // The NetworkError for a request that got no complete answer at `stage`:
    // 0 calling fetch, 1 awaiting the answer, 2 and 3 reading its body.
    #[wasm_bindgen(js_name = networkError, skip_jsdoc)]
    pub fn network_error(&mut self, stage: u8) -> JsValue {
        if matches!(self.step, Step::RefreshAwaited(_)) {
            return self.refresh_unreachable();
        }
        to_js_error(crate::glue::fetch_failed(self.config.endpoint(), stage))
    }
}

impl Operation {
    fn advance(&mut self, response: Option<HttpResponse>, now_ms: f64) -> Result<JsValue> {
        let config = &*self.config;
        let (next, request) = match core::mem::replace(&mut self.step, Step::Done) {
            Step::SignIn(options) => self.start_sign_in(options)?,
            Step::ConfirmSignIn(options) => match self.start_confirm_sign_in(options)? {
                Confirmed::Request(step, request) => (step, request),
                Confirmed::Step(challenge) => {
                    return finish(
                        &self.state,
                        self.sign_outs,
                        SignInOutcome::Challenge(challenge),
                    )
                }
            },
            Step::SignOut(None) => return Ok(JsValue::UNDEFINED),
            Step::SignOut(Some(refresh_token)) => {
                let body = revoke_token(&refresh_token, config.client_id(), config.client_secret());
                (Step::RevokeAwaited, config.request("RevokeToken", &body))
            }
            Step::Refresh(refresh) => {
                let request = refresh.request(config);
                (Step::RefreshAwaited(refresh), request)
            }
            step => {
                let response = response.ok_or_else(|| {
                    Error::InvalidState("the operation was given no answer".into())
                })?;
                match step {
                    Step::VerifierAwaited(verifier) => {
                        let (awaiting, request) = verifier.receive(config, &response, now_ms)?;
                        (Step::ResultAwaited(awaiting), request)
                    }
                    Step::DeviceVerifierAwaited(verifier) => {
                        let (awaiting, request) = verifier.receive(config, &response, now_ms)?;
                        (Step::ResultAwaited(awaiting), request)
                    }
                    Step::DeviceConfirmAwaited(awaiting) => {
                        let confirmed = awaiting.receive(&response);
                        if let Ok(secrets) = confirmed.device {
                            if self.state.borrow().sign_outs == self.sign_outs {
                                device::keep_device(&self.state, secrets);
                            }
                        }
                        return finish(
                            &self.state,
                            self.sign_outs,
                            SignInOutcome::SignedIn(confirmed.tokens),
                        );
                    }
                    Step::ResultAwaited(mut awaiting) => {
                        let retry = awaiting.take_retry();
                        let device_retry = awaiting.take_device_retry();
                        if awaiting.verifying_setup() {
                            let verified = awaiting.after_verify(config, &response);
                            let (next, request) = self.keep_on_wrong_code(verified, retry)?;
                            (Step::ResultAwaited(next), request)
                        } else {
                            let outcome = awaiting.receive(&response, now_ms);
                            if let Some((next, request)) =
                                stale_device_retry(&self.state, &outcome, device_retry)
                            {
                                self.step = Step::ResultAwaited(next);
                                return Ok(request_to_js(request));
                            }
                            let outcome = self.keep_on_wrong_code(outcome, retry)?;
                            return self.outcome(outcome);
                        }
                    }
                    Step::FirstFactorAwaited(mut awaiting) => {
                        let device_retry = awaiting.take_device_retry();
                        let outcome = awaiting.receive(config, &response, now_ms);
                        if let Some((next, request)) =
                            stale_device_retry(&self.state, &outcome, device_retry)
                        {
                            self.step = Step::ResultAwaited(next);
                            return Ok(request_to_js(request));
                        }
                        match outcome? {
                            FirstFactorOutcome::Verifying(next, request) => {
                                (Step::ResultAwaited(next), request)
                            }
                            FirstFactorOutcome::Done(outcome) => return self.outcome(outcome),
                        }
                    }
                    Step::SecretAwaited(challenge) => {
                        let challenge = challenge.receive_secret(&response)?;
                        return finish(
                            &self.state,
                            self.sign_outs,
                            SignInOutcome::Challenge(challenge),
                        );
                    }
                    Step::RevokeAwaited => {
                        response.json()?;
                        return Ok(JsValue::UNDEFINED);
                    }
                    Step::RefreshAwaited(refresh) => {
                        return self.refreshed(refresh, &response, now_ms)
                    }
                    _ => {
                        return Err(Error::InvalidState(
                            "the operation has already ended".into(),
                        ))
                    }
                }
            }
        };
        self.step = next;
        Ok(request_to_js(request))
    }

    /// Tokens or a challenge: the result for the app; or the next request to
    /// send first: the device's proof (DEVICE_SRP_AUTH), the confirmation of
    /// a new device, or (MFA_SETUP without its secret yet) AssociateSoftwareToken.
    fn outcome(&mut self, outcome: SignInOutcome) -> Result<JsValue> {
        let config = &*self.config;
        let (next, request) = match outcome {
            SignInOutcome::DeviceSrp(required) => {
                let mut random_a = Zeroizing::new([0; cognito_srp::srp::SECRET_BYTES]);
                fill_random(&mut random_a[..])?;
                let (verifier, request) = required.answer(config, &random_a[..])?;
                (Step::DeviceVerifierAwaited(verifier), request)
            }
            SignInOutcome::NewDevice(to_confirm) => {
                let mut password = Zeroizing::new([0; device_core::PASSWORD_RANDOM_BYTES]);
                fill_random(&mut password[..])?;
                let mut salt = Zeroizing::new([0; device_core::SALT_RANDOM_BYTES]);
                fill_random(&mut salt[..])?;
                let (awaiting, request) =
                    to_confirm.confirm(config, &password, &salt, &device::device_name(&self.state));
                (Step::DeviceConfirmAwaited(Box::new(awaiting)), request)
            }
            SignInOutcome::Challenge(challenge) => match challenge.associate_request(config) {
                Some(request) => (Step::SecretAwaited(challenge), request),
                None => {
                    let outcome = SignInOutcome::Challenge(challenge);
                    return finish(&self.state, self.sign_outs, outcome);
                }
            },
            outcome => return finish(&self.state, self.sign_outs, outcome),
        };
        self.step = next;
        Ok(request_to_js(request))
    }

    /// After a refused code (CodeMismatchException, or
    /// EnableSoftwareTokenMFAException for a TOTP setup), the step stays
    /// for another try.
    fn keep_on_wrong_code<T>(
        &self,
        result: Result<T>,
        retry: Option<PendingChallenge>,
    ) -> Result<T> {
        if let Err(error) = &result {
            self.keep_after(error, retry);
        }
        result
    }

    /// [`Self::keep_on_wrong_code`]'s body: one copy in the wasm module.
    fn keep_after(&self, error: &Error, retry: Option<PendingChallenge>) {
        let mut state = self.state.borrow_mut();
        if matches!(
            error.name(),
            "CodeMismatchException" | "EnableSoftwareTokenMFAException"
        ) && state.sign_outs == self.sign_outs
            && state.pending.is_none()
        {
            state.pending = retry;
        }
    }

    fn start_sign_in(&mut self, options: JsValue) -> Result<(Step, HttpRequest)> {
        let options = Options::new("signIn", options)?;
        let flow = match options.optional_string("authFlowType")? {
            Some(flow) => Some(flow),
            None => options.optional_string("authFlow")?,
        };
        let input = SignInInput {
            username: options.string("username")?,
            password: Zeroizing::new(options.optional_string("password")?.unwrap_or_default()),
            auth_flow: AuthFlow::parse(flow.as_deref())?,
            preferred_challenge: options.optional_string("preferredChallenge")?,
            client_metadata: options.optional_map("clientMetadata")?,
            device: None,
        };
        self.sign_outs = {
            let mut state = self.state.borrow_mut();
            state.pending = None;
            state.sign_outs
        };
        let input = SignInInput {
            device: device::device_for(&self.state, &input.username),
            ..input
        };
        let mut random_a = Zeroizing::new([0; cognito_srp::srp::SECRET_BYTES]);
        fill_random(&mut random_a[..])?;
        let (start, request) = sign_in::start(&self.config, input, &random_a[..])?;
        let step = match start {
            SignInStart::Srp(verifier) => Step::VerifierAwaited(verifier),
            SignInStart::Password(awaiting) => Step::ResultAwaited(awaiting),
            SignInStart::UserAuth(awaiting) => Step::FirstFactorAwaited(awaiting),
        };
        Ok((step, request))
    }

    fn start_confirm_sign_in(&mut self, options: JsValue) -> Result<Confirmed> {
        let options = Options::new("confirmSignIn", options)?;
        let answer = ChallengeAnswer {
            response: Zeroizing::new(options.string("challengeResponse")?),
            user_attributes: options.optional_map("userAttributes")?.unwrap_or_default(),
            client_metadata: options.optional_map("clientMetadata")?,
        };
        self.sign_outs = self.state.borrow().sign_outs;
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
        if let Some(step) = pending.password_step(&answer) {
            return Ok(Confirmed::Step(step));
        }
        if pending.proves_password_with_srp() {
            let mut random_a = Zeroizing::new([0; cognito_srp::srp::SECRET_BYTES]);
            fill_random(&mut random_a[..])?;
            let (awaiting, request) =
                user_auth::answer_with_srp(pending, &self.config, answer, &random_a[..])?;
            return Ok(Confirmed::Request(
                Step::FirstFactorAwaited(awaiting),
                request,
            ));
        }
        let (awaiting, request) = pending.answer(&self.config, answer)?;
        Ok(Confirmed::Request(Step::ResultAwaited(awaiting), request))
    }
}

/// A stale device: dropped, and the request just refused, to send once more
/// without it.
fn stale_device_retry<T>(
    state: &RefCell<AuthState>,
    outcome: &Result<T>,
    retry: Option<(AwaitingAuthResult, HttpRequest)>,
) -> Option<(AwaitingAuthResult, HttpRequest)> {
    match outcome {
        Err(error) if device_core::is_stale_device_error(error) => {
            let retry = retry?;
            device::drop_device(state);
            Some(retry)
        }
        _ => None,
    }
}

/// What `confirmSignIn` starts with: a request, or a step shown at once
/// (the password step after choosing PASSWORD or PASSWORD_SRP).
enum Confirmed {
    Request(Step, HttpRequest),
    Step(PendingChallenge),
}

/// Stores the outcome and describes it to the app, unless signOut was
/// called since the step began (`sign_outs` then differs).
fn finish(cell: &RefCell<AuthState>, sign_outs: u64, outcome: SignInOutcome) -> Result<JsValue> {
    let mut state = cell.borrow_mut();
    if state.sign_outs != sign_outs {
        return Err(Error::InvalidState(
            "signOut was called while this sign-in was in progress, so its result was discarded; sign in again"
                .into(),
        ));
    }
    let mut signed_in = false;
    let next_step = match outcome {
        SignInOutcome::SignedIn(tokens) => {
            state.tokens = Some(tokens);
            signed_in = true;
            NextStep::Done
        }
        SignInOutcome::Challenge(challenge) => {
            let next_step = challenge.next_step();
            state.pending = Some(challenge);
            next_step
        }
        // Taken by `Operation::advance` before a sign-in can finish.
        SignInOutcome::DeviceSrp(_) | SignInOutcome::NewDevice(_) => {
            return Err(Error::InvalidState(
                "a device step of the sign-in was not taken".into(),
            ))
        }
    };
    drop(state);
    if signed_in {
        session::emit(cell, "signedIn");
    }
    Ok(sign_in_result_to_js(&next_step))
}
