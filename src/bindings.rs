//! The JS surface: `CognitoAuth`, promise-returning, camelCase. This is the
//! only module that touches wasm-bindgen, `fetch`, `crypto` and the clock.
//! It never panics: every failure becomes a rejected promise holding a JS
//! `Error` whose `name` is [`Error::name`].

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Date, Object, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::json::Json;
use crate::protocol::{revoke_token, ClientConfig, ClientMetadata, HttpRequest, HttpResponse};
use crate::sign_in::{
    self, AuthFlow, ChallengeAnswer, NextStep, PendingChallenge, SignInInput, SignInOutcome,
    SignInStart,
};
use crate::tokens::Tokens;

#[wasm_bindgen]
extern "C" {
    /// The global `fetch` of browsers, workers and Node >= 18.
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(url: &str, init: &Object) -> std::result::Result<Promise, JsValue>;

    #[wasm_bindgen(catch, js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(buffer: &mut [u8]) -> std::result::Result<JsValue, JsValue>;

    type FetchResponse;
    #[wasm_bindgen(method, getter)]
    fn status(this: &FetchResponse) -> u16;
    #[wasm_bindgen(method, getter)]
    fn headers(this: &FetchResponse) -> FetchHeaders;
    #[wasm_bindgen(method, catch)]
    fn text(this: &FetchResponse) -> std::result::Result<Promise, JsValue>;

    type FetchHeaders;
    #[wasm_bindgen(method, catch)]
    fn get(this: &FetchHeaders, name: &str) -> std::result::Result<Option<String>, JsValue>;
}

/// The one mapping from [`Error`] to a JS `Error`.
fn to_js_error(error: Error) -> JsValue {
    let js = js_sys::Error::new(error.message());
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

/// Sends one request with `fetch`. A failure to get any HTTP answer is a
/// NetworkError; the message says what to check.
async fn send(request: HttpRequest) -> Result<HttpResponse> {
    let network = |what: &str| {
        Error::Network(format!(
            "{what} {} (check the endpoint URL, the network, and that the server allows CORS)",
            request.url
        ))
    };
    let headers = Object::new();
    for (name, value) in request.headers() {
        set(&headers, name, &JsValue::from_str(value));
    }
    let init = Object::new();
    set(&init, "method", &JsValue::from_str("POST"));
    set(&init, "headers", &headers);
    set(&init, "body", &JsValue::from_str(&request.body));
    set(&init, "cache", &JsValue::from_str("no-store"));
    let promise =
        global_fetch(&request.url, &init).map_err(|_| network("could not call fetch for"))?;
    let response: FetchResponse = JsFuture::from(promise)
        .await
        .map_err(|_| network("no answer from"))?
        .unchecked_into();
    let error_type = response.headers().get("x-amzn-errortype").ok().flatten();
    let text = response
        .text()
        .map_err(|_| network("could not read the answer of"))?;
    let body = JsFuture::from(text)
        .await
        .map_err(|_| network("the answer was cut off from"))?
        .as_string()
        .unwrap_or_default();
    Ok(HttpResponse {
        status: response.status(),
        error_type,
        body,
    })
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Reflect.set on a plain fresh Object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// Runs `future` as a JS promise, mapping errors once.
fn promise<F>(future: F) -> Promise
where
    F: std::future::Future<Output = Result<JsValue>> + 'static,
{
    future_to_promise(async move { future.await.map_err(to_js_error) })
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
            Err(Error::Validation(format!("{call} takes an options object")))
        }
    }

    fn field(&self, name: &str) -> JsValue {
        Reflect::get(&self.object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    }

    fn optional_string(&self, name: &str) -> Result<Option<String>> {
        let value = self.field(name);
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        value
            .as_string()
            .map(Some)
            .ok_or_else(|| Error::Validation(format!("{}: {name} must be a string", self.call)))
    }

    fn string(&self, name: &str) -> Result<String> {
        self.optional_string(name)?
            .ok_or_else(|| Error::Validation(format!("{}: {name} is required", self.call)))
    }

    /// A `{ key: 'value' }` object.
    fn optional_map(&self, name: &str) -> Result<Option<ClientMetadata>> {
        let value = self.field(name);
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        let not_map = || {
            Error::Validation(format!(
                "{}: {name} must be an object of strings",
                self.call
            ))
        };
        let object = value.dyn_into::<Object>().map_err(|_| not_map())?;
        Object::entries(&object)
            .iter()
            .map(|entry| {
                let pair = Array::from(&entry);
                Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
            })
            .collect::<Option<ClientMetadata>>()
            .map(Some)
            .ok_or_else(not_map)
    }
}

fn string_map_to_js<'a>(entries: impl IntoIterator<Item = (&'a String, &'a String)>) -> Object {
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
    let mut text = String::new();
    json.write(&mut text);
    JSON::parse(&text).unwrap_or(JsValue::NULL)
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
            set(&step, "userAttributes", &string_map_to_js(user_attributes));
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
}

/// Signs users in to one user-pool app client.
#[wasm_bindgen]
pub struct CognitoAuth {
    config: Rc<ClientConfig>,
    state: Rc<RefCell<AuthState>>,
}

#[wasm_bindgen]
impl CognitoAuth {
    /// `new CognitoAuth({ userPoolId, clientId, clientSecret?, region?, endpoint? })`.
    /// Throws a ValidationError on unusable settings.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> std::result::Result<CognitoAuth, JsValue> {
        let config = Self::config(options).map_err(to_js_error)?;
        Ok(CognitoAuth {
            config: Rc::new(config),
            state: Rc::default(),
        })
    }

    /// `signIn({ username, password, authFlow?, clientMetadata? })` resolves to
    /// `{ isSignedIn, nextStep }`.
    #[wasm_bindgen(js_name = signIn)]
    pub fn sign_in(&self, options: JsValue) -> Promise {
        let config = Rc::clone(&self.config);
        let state = Rc::clone(&self.state);
        promise(async move {
            let options = Options::new("signIn", options)?;
            let input = SignInInput {
                username: options.string("username")?,
                password: Zeroizing::new(options.string("password")?),
                auth_flow: AuthFlow::parse(options.optional_string("authFlow")?.as_deref())?,
                client_metadata: options.optional_map("clientMetadata")?,
            };
            let sign_outs = {
                let mut state = state.borrow_mut();
                state.pending = None;
                state.sign_outs
            };
            let random_a = random_bytes::<{ crate::srp::SECRET_BYTES }>()?;
            let (start, request) = sign_in::start(&config, input, &random_a[..])?;
            let response = send(request).await?;
            let awaiting = match start {
                SignInStart::Password(awaiting) => awaiting,
                SignInStart::Srp(verifier) => {
                    let (awaiting, request) = verifier.receive(&config, &response, Date::now())?;
                    let response = send(request).await?;
                    return finish(&state, sign_outs, awaiting.receive(&response, Date::now())?);
                }
            };
            finish(&state, sign_outs, awaiting.receive(&response, Date::now())?)
        })
    }

    /// `confirmSignIn({ challengeResponse, userAttributes? })` answers the
    /// step that `signIn` reported.
    #[wasm_bindgen(js_name = confirmSignIn)]
    pub fn confirm_sign_in(&self, options: JsValue) -> Promise {
        let config = Rc::clone(&self.config);
        let state = Rc::clone(&self.state);
        promise(async move {
            let options = Options::new("confirmSignIn", options)?;
            let answer = ChallengeAnswer {
                response: Zeroizing::new(options.string("challengeResponse")?),
                user_attributes: options.optional_map("userAttributes")?.unwrap_or_default(),
            };
            let sign_outs = state.borrow().sign_outs;
            let pending = state.borrow_mut().pending.take().ok_or_else(|| {
                Error::InvalidState(
                    "no sign-in step is waiting; call signIn first and confirm the step it returns"
                        .into(),
                )
            })?;
            if let Err(error) = pending.check(&answer) {
                state.borrow_mut().pending = Some(pending);
                return Err(error);
            }
            let (awaiting, request) = pending.answer(&config, answer)?;
            let response = send(request).await?;
            finish(&state, sign_outs, awaiting.receive(&response, Date::now())?)
        })
    }

    /// `{ idToken, accessToken, refreshToken, expiresAt: Date, idTokenClaims }`
    /// after a sign-in, else `null`.
    #[wasm_bindgen(getter)]
    pub fn tokens(&self) -> JsValue {
        self.state
            .borrow()
            .tokens
            .as_ref()
            .map_or(JsValue::NULL, tokens_to_js)
    }

    /// Forgets the tokens and any waiting step, then revokes the refresh
    /// token. Local state is cleared even when the revocation fails.
    #[wasm_bindgen(js_name = signOut)]
    pub fn sign_out(&self) -> Promise {
        let config = Rc::clone(&self.config);
        let forgotten_tokens = {
            let mut state = self.state.borrow_mut();
            state.sign_outs += 1;
            state.pending = None;
            state.tokens.take()
        };
        promise(async move {
            let Some(refresh_token) = forgotten_tokens.and_then(|t| t.refresh_token) else {
                return Ok(JsValue::UNDEFINED);
            };
            let body = revoke_token(&refresh_token, config.client_id(), config.client_secret());
            send(config.request("RevokeToken", &body)).await?.json()?;
            Ok(JsValue::UNDEFINED)
        })
    }
}

impl CognitoAuth {
    fn config(options: JsValue) -> Result<ClientConfig> {
        let options = Options::new("new CognitoAuth", options)?;
        ClientConfig::new(
            &options.string("userPoolId")?,
            &options.string("clientId")?,
            options.optional_string("clientSecret")?,
            options.optional_string("region")?.as_deref(),
            options.optional_string("endpoint")?.as_deref(),
        )
    }
}

/// Stores the outcome and describes it to the app, unless signOut was
/// called since the step began (`sign_outs` then differs).
fn finish(state: &RefCell<AuthState>, sign_outs: u64, outcome: SignInOutcome) -> Result<JsValue> {
    let mut state = state.borrow_mut();
    if state.sign_outs != sign_outs {
        return Err(Error::InvalidState(
            "signOut was called while this sign-in was in progress, so its result was discarded; sign in again"
                .into(),
        ));
    }
    let next_step = match outcome {
        SignInOutcome::SignedIn(tokens) => {
            state.tokens = Some(tokens);
            NextStep::Done
        }
        SignInOutcome::Challenge(challenge) => {
            let next_step = challenge.next_step();
            state.pending = Some(challenge);
            next_step
        }
    };
    Ok(sign_in_result_to_js(&next_step))
}
