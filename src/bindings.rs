//! The JS surface: `CognitoAuth`, promise-returning, camelCase. This is the
//! only module that touches wasm-bindgen, `crypto` and the clock, and the
//! only one that knows about `fetch`, which a few lines of JS (`drive`,
//! below) call for it.
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

use alloc::rc::Rc;
use alloc::string::String;
use core::cell::RefCell;

use js::{Array, Date, Function, Object, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

use crate::device as device_core;
use crate::error::{Error, Result};
use crate::json::Json;
use crate::mfa::{self, MfaCall, MfaReader};
use crate::protocol::{
    revoke_token, ClientConfig, ClientMetadata, HttpRequest, HttpResponse, UserContextData,
};
use crate::sign_in::user_auth::{self, AwaitingFirstFactor, FirstFactorOutcome};
use crate::sign_in::{
    self, AuthFlow, AwaitingAuthResult, AwaitingDeviceConfirmation, AwaitingDevicePasswordVerifier,
    AwaitingPasswordVerifier, ChallengeAnswer, NextStep, PendingChallenge, SignInInput,
    SignInOutcome, SignInStart,
};
use crate::tokens::Tokens;

#[wasm_bindgen(inline_js = r#"
// Runs an Operation: fetches each request it returns and hands back the
// answer, until it returns its result. The work starts as a promise job,
// after the caller's synchronous code.
export async function drive(operation) {
  try {
    await undefined;
    let step = operation.next();
    while (Array.isArray(step)) {
      let stage = 0, response, body, errorType = null;
      try {
        const answer = fetch(...step);
        stage = 1;
        response = await answer;
        stage = 2;
        const text = response.text();
        stage = 3;
        body = await text;
      } catch {
        throw operation.networkError(stage);
      }
      try {
        errorType = response.headers.get('x-amzn-errortype');
      } catch {}
      step = operation.next(response.status, errorType, body, Date.now());
    }
    const setup = step?.nextStep?.totpSetupDetails ?? (step?.sharedSecret ? step : undefined);
    if (setup) {
      // The otpauth:// URI authenticator apps read (as a QR code).
      const part = encodeURIComponent;
      setup.getSetupUri = (appName, accountName = setup.accountName) =>
        new URL(`otpauth://totp/${part(appName)}:${part(accountName)}?secret=${setup.sharedSecret}&issuer=${part(appName)}`);
    }
    return step;
  } finally {
    operation.free();
  }
}
"#)]
extern "C" {
    /// Runs `operation` to its end: a promise of its result.
    fn drive(operation: Operation) -> Promise;

    /// The same `drive`, for the session and account calls.
    #[wasm_bindgen(js_name = drive)]
    fn drive_session(operation: session::SessionOperation) -> Promise;
}

mod device;
mod js;
mod session;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(buffer: &mut [u8]) -> core::result::Result<JsValue, JsValue>;
}

/// The one mapping from [`Error`] to a JS `Error`.
/// The answer `drive` hands to an operation's `next`: none on the first call.
pub(crate) fn received(
    status: Option<u16>,
    error_type: Option<String>,
    body: Option<String>,
) -> Option<HttpResponse> {
    status.map(|status| HttpResponse {
        status,
        error_type,
        body: body.unwrap_or_default(),
    })
}

fn to_js_error(error: Error) -> JsValue {
    let js = js::Error::new(error.message());
    js.set_name(error.name());
    js.into()
}

fn random_bytes<const LEN: usize>() -> Result<Zeroizing<[u8; LEN]>> {
    let mut bytes = Zeroizing::new([0u8; LEN]);
    get_random_values(&mut bytes[..]).map_err(|_| {
        Error::Validation(
            "crypto.getRandomValues is not available; use a browser, a worker or Node >= 20".into(),
        )
    })?;
    Ok(bytes)
}

/// A request as the arguments of `fetch`: `[url, init]`.
fn request_to_js(request: HttpRequest) -> JsValue {
    let headers = Object::new();
    for (name, value) in request.headers() {
        set(&headers, name, &JsValue::from_str(value));
    }
    let init = Object::new();
    set(&init, "method", &JsValue::from_str("POST"));
    set(&init, "headers", &headers);
    set(&init, "body", &JsValue::from_str(&request.body));
    set(&init, "cache", &JsValue::from_str("no-store"));
    let fetch_arguments = Array::new();
    fetch_arguments.push(&JsValue::from_str(&request.url));
    fetch_arguments.push(&init);
    fetch_arguments.into()
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Reflect.set on a plain fresh Object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// Reads the fields of an options object passed by the app, with messages
/// that name the call and the field.
struct Options<'a> {
    call: &'a str,
    object: JsValue,
}

impl<'a> Options<'a> {
    fn new(call: &'a str, object: JsValue) -> Result<Self> {
        if object.is_object() {
            Ok(Options { call, object })
        } else {
            Err(Error::Validation(
                [call, " takes an options object"].concat(),
            ))
        }
    }

    /// `<call>: <name><problem>`, a ValidationError.
    fn invalid(&self, name: &str, problem: &str) -> Error {
        Error::Validation([self.call, ": ", name, problem].concat())
    }

    /// `name`, or else `options.name`: Amplify v6 nests the optional
    /// fields (clientMetadata, authFlowType, userAttributes, ...) in `options`.
    fn field(&self, name: &str) -> JsValue {
        let get = |object: &JsValue, key: &str| {
            Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
        };
        let value = get(&self.object, name);
        let nested = get(&self.object, "options");
        if value.is_undefined() && nested.is_object() {
            get(&nested, name)
        } else {
            value
        }
    }

    fn optional_string(&self, name: &str) -> Result<Option<String>> {
        let value = self.field(name);
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        value
            .as_string()
            .map(Some)
            .ok_or_else(|| self.invalid(name, " must be a string"))
    }

    fn string(&self, name: &str) -> Result<String> {
        self.optional_string(name)?
            .ok_or_else(|| self.invalid(name, " is required"))
    }

    /// A `{ key: 'value' }` object.
    fn optional_map(&self, name: &str) -> Result<Option<ClientMetadata>> {
        let value = self.field(name);
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        let not_map = || self.invalid(name, " must be an object of strings");
        let object = value.dyn_into::<Object>().map_err(|_| not_map())?;
        // Object.keys and a get per key: what Object.entries does, with
        // one import fewer in the JS glue.
        Object::keys(&object)
            .iter()
            .map(|key| {
                let value = Reflect::get(&object, &key).ok()?;
                Some((key.as_string()?, value.as_string()?))
            })
            .collect::<Option<ClientMetadata>>()
            .map(Some)
            .ok_or_else(not_map)
    }
}

fn string_map_to_js<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> Object {
    let object = Object::new();
    for (key, value) in entries {
        set(&object, key, &JsValue::from_str(value));
    }
    object
}

fn optional_str(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::NULL, JsValue::from_str)
}

/// A JSON value as the equal JS value (via JSON.parse, which also reads numbers).
fn json_to_js(json: &Json) -> JsValue {
    JSON::parse(&json.to_text()).unwrap_or(JsValue::NULL)
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
    let claims = crate::tokens::decode_claims(&tokens.access_token)
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
    /// Refresh in flight, listeners, auto sign-in (`session`).
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
        let config = Self::config(options).map_err(to_js_error)?;
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

    // `setUpTOTP()` resolves to `{ sharedSecret, getSetupUri }` (AssociateSoftwareToken).
    #[wasm_bindgen(js_name = setUpTOTP, skip_jsdoc)]
    pub fn set_up_totp(&self) -> Promise {
        drive(self.operation(Step::Mfa(MfaMethod::SetUpTotp, JsValue::UNDEFINED)))
    }

    // `verifyTOTPSetup({ code, options?: { friendlyDeviceName } })` (VerifySoftwareToken).
    #[wasm_bindgen(js_name = verifyTOTPSetup, skip_jsdoc)]
    pub fn verify_totp_setup(&self, options: JsValue) -> Promise {
        drive(self.operation(Step::Mfa(MfaMethod::VerifyTotp, options)))
    }

    // `updateMFAPreference({ sms?, totp?, email? })` (SetUserMFAPreference).
    #[wasm_bindgen(js_name = updateMFAPreference, skip_jsdoc)]
    pub fn update_mfa_preference(&self, options: JsValue) -> Promise {
        drive(self.operation(Step::Mfa(MfaMethod::UpdatePreference, options)))
    }

    // `fetchMFAPreference()` resolves to `{ enabled?, preferred? }` (GetUser).
    #[wasm_bindgen(js_name = fetchMFAPreference, skip_jsdoc)]
    pub fn fetch_mfa_preference(&self) -> Promise {
        drive(self.operation(Step::Mfa(MfaMethod::FetchPreference, JsValue::UNDEFINED)))
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
        // `signOut({ global: true })`: GlobalSignOut ends every session of the user.
        let global = options.is_object()
            && Reflect::get(&options, &JsValue::from_str("global")).is_ok_and(|g| g.is_truthy());
        match forgotten_tokens {
            Some(tokens) if global => self.global_sign_out(&tokens.access_token),
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
        }
    }

    fn config(options: JsValue) -> Result<ClientConfig> {
        let options = Options::new("new CognitoAuth", options)?;
        let config = ClientConfig::new(
            &options.string("userPoolId")?,
            &options.string("clientId")?,
            options.optional_string("clientSecret")?,
            options.optional_string("region")?.as_deref(),
            options.optional_string("endpoint")?.as_deref(),
        )?;
        let provider = options.field("userContextData");
        let provider = match provider.dyn_into::<Function>() {
            Ok(function) => Some(user_context_data(function, &config)),
            Err(value) if value.is_undefined() || value.is_null() => None,
            Err(_) => return Err(options.invalid("userContextData", " must be a function")),
        };
        Ok(config.with_context(options.optional_string("analyticsEndpointId")?, provider))
    }
}

/// The `userContextData` option as the core calls it:
/// `userContextData({ username, userPoolId, userPoolClientId })`, whose
/// string result is the EncodedData; anything else (or a throw) sends none.
fn user_context_data(function: Function, config: &ClientConfig) -> UserContextData {
    let (pool, client) = (
        JsValue::from_str(config.user_pool_id()),
        JsValue::from_str(config.client_id()),
    );
    Rc::new(move |username: &str| {
        let input = Object::new();
        set(&input, "username", &JsValue::from_str(username));
        set(&input, "userPoolId", &pool);
        set(&input, "userPoolClientId", &client);
        function.call1(&JsValue::NULL, &input).ok()?.as_string()
    })
}

/// The signed-in MFA calls.
#[derive(Clone, Copy)]
enum MfaMethod {
    SetUpTotp,
    VerifyTotp,
    UpdatePreference,
    FetchPreference,
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
    VerifierAwaited(AwaitingPasswordVerifier, u64),
    /// A request that ends in tokens or a challenge was sent.
    ResultAwaited(AwaitingAuthResult, u64),
    /// A USER_AUTH request was sent (PASSWORD_VERIFIER may come).
    FirstFactorAwaited(AwaitingFirstFactor, u64),
    /// A signed-in MFA call was made with these options.
    Mfa(MfaMethod, JsValue),
    /// Its request was sent; the `String` is the user, for `getSetupUri`.
    MfaAwaited(MfaReader, String),
    /// MFA_SETUP came: AssociateSoftwareToken was sent for its secret.
    SecretAwaited(PendingChallenge, u64),
    /// DEVICE_SRP_AUTH was answered; DEVICE_PASSWORD_VERIFIER is awaited.
    DeviceVerifierAwaited(AwaitingDevicePasswordVerifier, u64),
    /// ConfirmDevice was sent for the device new to the pool.
    DeviceConfirmAwaited(AwaitingDeviceConfirmation, u64),
    /// RevokeToken was sent.
    RevokeAwaited,
    /// The result was returned (or an error thrown).
    Done,
}

// One call of `signIn`, `confirmSignIn` or `signOut`, run by `drive`. The
// `u64` in a step is the sign-out count when the sign-in began (see
// [`finish`]).
#[wasm_bindgen]
pub struct Operation {
    config: Rc<ClientConfig>,
    state: Rc<RefCell<AuthState>>,
    step: Step,
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
        error_type: Option<String>,
        body: Option<String>,
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
    pub fn network_error(&self, stage: u8) -> JsValue {
        let what = match stage {
            0 => "could not call fetch for",
            1 => "no answer from",
            2 => "could not read the answer of",
            _ => "the answer was cut off from",
        };
        to_js_error(Error::Network(
            [
                what,
                " ",
                self.config.endpoint(),
                " (check the endpoint URL, the network, and that the server allows CORS)",
            ]
            .concat(),
        ))
    }
}

impl Operation {
    fn advance(&mut self, response: Option<HttpResponse>, now_ms: f64) -> Result<JsValue> {
        let config = &*self.config;
        let (next, request) = match core::mem::replace(&mut self.step, Step::Done) {
            Step::SignIn(options) => self.start_sign_in(options)?,
            Step::ConfirmSignIn(options) => match self.start_confirm_sign_in(options)? {
                Confirmed::Request(step, request) => (step, request),
                Confirmed::Step(challenge, sign_outs) => {
                    return finish(&self.state, sign_outs, SignInOutcome::Challenge(challenge))
                }
            },
            Step::Mfa(method, options) => self.start_mfa_call(method, options)?,
            Step::SignOut(None) => return Ok(JsValue::UNDEFINED),
            Step::SignOut(Some(refresh_token)) => {
                let body = revoke_token(&refresh_token, config.client_id(), config.client_secret());
                (Step::RevokeAwaited, config.request("RevokeToken", &body))
            }
            step => {
                let response = response.ok_or_else(|| {
                    Error::InvalidState("the operation was given no answer".into())
                })?;
                match step {
                    Step::VerifierAwaited(verifier, sign_outs) => {
                        let (awaiting, request) = verifier.receive(config, &response, now_ms)?;
                        (Step::ResultAwaited(awaiting, sign_outs), request)
                    }
                    Step::DeviceVerifierAwaited(verifier, sign_outs) => {
                        let (awaiting, request) = verifier.receive(config, &response, now_ms)?;
                        (Step::ResultAwaited(awaiting, sign_outs), request)
                    }
                    Step::DeviceConfirmAwaited(awaiting, sign_outs) => {
                        let confirmed = awaiting.receive(&response);
                        if let Ok(secrets) = confirmed.device {
                            if self.state.borrow().sign_outs == sign_outs {
                                device::keep_device(&self.state, secrets);
                            }
                        }
                        let outcome = SignInOutcome::SignedIn(confirmed.tokens);
                        return finish(&self.state, sign_outs, outcome);
                    }
                    Step::ResultAwaited(mut awaiting, sign_outs) => {
                        let retry = awaiting.take_retry();
                        let device_retry = awaiting.take_device_retry();
                        if awaiting.verifying_setup() {
                            let verified = awaiting.after_verify(config, &response);
                            let (next, request) =
                                self.keep_on_wrong_code(verified, retry, sign_outs)?;
                            (Step::ResultAwaited(next, sign_outs), request)
                        } else {
                            let outcome = awaiting.receive(&response, now_ms);
                            if let Some((next, request)) =
                                stale_device_retry(&self.state, &outcome, device_retry)
                            {
                                self.step = Step::ResultAwaited(next, sign_outs);
                                return Ok(request_to_js(request));
                            }
                            let outcome = self.keep_on_wrong_code(outcome, retry, sign_outs)?;
                            match self.outcome(outcome, sign_outs)? {
                                Ok(sent) => sent,
                                Err(result) => return Ok(result),
                            }
                        }
                    }
                    Step::FirstFactorAwaited(mut awaiting, sign_outs) => {
                        let device_retry = awaiting.take_device_retry();
                        let outcome = awaiting.receive(config, &response, now_ms);
                        if let Some((next, request)) =
                            stale_device_retry(&self.state, &outcome, device_retry)
                        {
                            self.step = Step::ResultAwaited(next, sign_outs);
                            return Ok(request_to_js(request));
                        }
                        match outcome? {
                            FirstFactorOutcome::Verifying(next, request) => {
                                (Step::ResultAwaited(next, sign_outs), request)
                            }
                            FirstFactorOutcome::Done(outcome) => {
                                match self.outcome(outcome, sign_outs)? {
                                    Ok(sent) => sent,
                                    Err(result) => return Ok(result),
                                }
                            }
                        }
                    }
                    Step::MfaAwaited(reader, username) => {
                        let answer = mfa::read(reader, &response)?;
                        if reader == MfaReader::Nothing {
                            return Ok(JsValue::UNDEFINED);
                        }
                        let answer = json_to_js(&answer);
                        if reader == MfaReader::TotpSetup {
                            set(
                                answer.unchecked_ref(),
                                "accountName",
                                &JsValue::from_str(&username),
                            );
                        }
                        return Ok(answer);
                    }
                    Step::SecretAwaited(challenge, sign_outs) => {
                        let challenge = challenge.receive_secret(&response)?;
                        return finish(&self.state, sign_outs, SignInOutcome::Challenge(challenge));
                    }
                    Step::RevokeAwaited => {
                        response.json()?;
                        return Ok(JsValue::UNDEFINED);
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
    fn outcome(
        &self,
        outcome: SignInOutcome,
        sign_outs: u64,
    ) -> Result<core::result::Result<(Step, HttpRequest), JsValue>> {
        let config = &*self.config;
        Ok(Ok(match outcome {
            SignInOutcome::DeviceSrp(required) => {
                let random_a = random_bytes::<{ crate::srp::SECRET_BYTES }>()?;
                let (verifier, request) = required.answer(config, &random_a[..])?;
                (Step::DeviceVerifierAwaited(verifier, sign_outs), request)
            }
            SignInOutcome::NewDevice(to_confirm) => {
                let password = random_bytes::<{ device_core::PASSWORD_RANDOM_BYTES }>()?;
                let salt = random_bytes::<{ device_core::SALT_RANDOM_BYTES }>()?;
                let (awaiting, request) =
                    to_confirm.confirm(config, &password, &salt, &device::device_name(&self.state));
                (Step::DeviceConfirmAwaited(awaiting, sign_outs), request)
            }
            SignInOutcome::Challenge(challenge) => match challenge.associate_request(config) {
                Some(request) => (Step::SecretAwaited(challenge, sign_outs), request),
                None => {
                    let outcome = SignInOutcome::Challenge(challenge);
                    return finish(&self.state, sign_outs, outcome).map(Err);
                }
            },
            outcome => return finish(&self.state, sign_outs, outcome).map(Err),
        }))
    }

    /// After a refused code (CodeMismatchException, or
    /// EnableSoftwareTokenMFAException for a TOTP setup), the step stays
    /// for another try.
    fn keep_on_wrong_code<T>(
        &self,
        result: Result<T>,
        retry: Option<PendingChallenge>,
        sign_outs: u64,
    ) -> Result<T> {
        if let (Err(error), Some(retry)) = (&result, retry) {
            let mut state = self.state.borrow_mut();
            if matches!(
                error.name(),
                "CodeMismatchException" | "EnableSoftwareTokenMFAException"
            ) && state.sign_outs == sign_outs
                && state.pending.is_none()
            {
                state.pending = Some(retry);
            }
        }
        result
    }

    fn start_mfa_call(&self, method: MfaMethod, options: JsValue) -> Result<(Step, HttpRequest)> {
        let (access_token, username) = {
            let state = self.state.borrow();
            let tokens = state.tokens.as_ref().ok_or_else(|| {
                Error::InvalidState("no user is signed in; call signIn first".into())
            })?;
            let username = tokens
                .id_token_claims
                .as_ref()
                .and_then(|claims| claims.get("cognito:username")?.as_str())
                .map(String::from)
                .unwrap_or_default();
            (tokens.access_token.clone(), username)
        };
        let (code, friendly_name, choices);
        let call = match method {
            MfaMethod::SetUpTotp => MfaCall::SetUpTotp,
            MfaMethod::FetchPreference => MfaCall::FetchPreference,
            MfaMethod::VerifyTotp => {
                let options = Options::new("verifyTOTPSetup", options)?;
                code = options.string("code")?;
                let nested = options.field("options");
                friendly_name = if nested.is_object() {
                    Options::new("verifyTOTPSetup", nested)?
                        .optional_string("friendlyDeviceName")?
                } else {
                    None
                };
                MfaCall::VerifyTotp {
                    code: &code,
                    friendly_device_name: friendly_name.as_deref(),
                }
            }
            MfaMethod::UpdatePreference => {
                let options = Options::new("updateMFAPreference", options)?;
                choices = [
                    options.optional_string("sms")?,
                    options.optional_string("totp")?,
                    options.optional_string("email")?,
                ];
                MfaCall::UpdatePreference(choices.each_ref().map(|c| c.as_deref()))
            }
        };
        let (request, reader) = mfa::request(&self.config, &access_token, call)?;
        Ok((Step::MfaAwaited(reader, username), request))
    }

    fn start_sign_in(&self, options: JsValue) -> Result<(Step, HttpRequest)> {
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
        let sign_outs = {
            let mut state = self.state.borrow_mut();
            state.pending = None;
            state.sign_outs
        };
        let input = SignInInput {
            device: device::device_for(&self.state, &input.username),
            ..input
        };
        let random_a = random_bytes::<{ crate::srp::SECRET_BYTES }>()?;
        let (start, request) = sign_in::start(&self.config, input, &random_a[..])?;
        let step = match start {
            SignInStart::Srp(verifier) => Step::VerifierAwaited(verifier, sign_outs),
            SignInStart::Password(awaiting) => Step::ResultAwaited(awaiting, sign_outs),
            SignInStart::UserAuth(awaiting) => Step::FirstFactorAwaited(awaiting, sign_outs),
        };
        Ok((step, request))
    }

    fn start_confirm_sign_in(&self, options: JsValue) -> Result<Confirmed> {
        let options = Options::new("confirmSignIn", options)?;
        let answer = ChallengeAnswer {
            response: Zeroizing::new(options.string("challengeResponse")?),
            user_attributes: options.optional_map("userAttributes")?.unwrap_or_default(),
            client_metadata: options.optional_map("clientMetadata")?,
        };
        let sign_outs = self.state.borrow().sign_outs;
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
            return Ok(Confirmed::Step(step, sign_outs));
        }
        if pending.proves_password_with_srp() {
            let random_a = random_bytes::<{ crate::srp::SECRET_BYTES }>()?;
            let (awaiting, request) =
                user_auth::answer_with_srp(pending, &self.config, answer, &random_a[..])?;
            return Ok(Confirmed::Request(
                Step::FirstFactorAwaited(awaiting, sign_outs),
                request,
            ));
        }
        let (awaiting, request) = pending.answer(&self.config, answer)?;
        Ok(Confirmed::Request(
            Step::ResultAwaited(awaiting, sign_outs),
            request,
        ))
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
    Step(PendingChallenge, u64),
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
