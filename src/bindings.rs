//! The JS surface: `CognitoAuth`, promise-returning, camelCase. This is the
//! only module that touches wasm-bindgen, `fetch`, `crypto` and the clock.
//! It never panics: every failure becomes a rejected promise holding a JS
//! `Error` whose `name` is [`Error::name`].

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use js_sys::{Date, Object, Promise, Reflect};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::protocol::{
    ClientConfig, ClientMetadata, HttpRequest, HttpResponse, RevokeTokenRequest,
};
use crate::sign_in::{
    self, AuthFlow, ChallengeAnswer, NextStep, PendingChallenge, SignInInput, SignInOutcome,
    SignInResult, SignInStart,
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

fn from_js<T: for<'de> Deserialize<'de>>(call: &str, value: JsValue) -> Result<T> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| Error::Validation(format!("{call}: the argument is not valid: {e}")))
}

fn to_js(value: &impl Serialize) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    // Our own Serialize types of strings, numbers and maps always convert.
    value.serialize(&serializer).unwrap_or(JsValue::NULL)
}

/// Runs `future` as a JS promise, mapping errors once.
fn promise<T, F>(future: F) -> Promise
where
    T: Into<JsValue>,
    F: std::future::Future<Output = Result<T>> + 'static,
{
    future_to_promise(async move { future.await.map(Into::into).map_err(to_js_error) })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AuthOptions {
    user_pool_id: String,
    client_id: String,
    client_secret: Option<String>,
    region: Option<String>,
    endpoint: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SignInOptions {
    username: String,
    password: String,
    auth_flow: Option<String>,
    client_metadata: Option<ClientMetadata>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConfirmSignInOptions {
    challenge_response: String,
    #[serde(default)]
    user_attributes: BTreeMap<String, String>,
}

#[derive(Default)]
struct AuthState {
    tokens: Option<Tokens>,
    pending: Option<PendingChallenge>,
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
        let options: AuthOptions = from_js("new CognitoAuth", options).map_err(to_js_error)?;
        let config = ClientConfig::new(
            &options.user_pool_id,
            &options.client_id,
            options.client_secret,
            options.region.as_deref(),
            options.endpoint.as_deref(),
        )
        .map_err(to_js_error)?;
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
            let options: SignInOptions = from_js("signIn", options)?;
            let input = SignInInput {
                username: options.username,
                password: Zeroizing::new(options.password),
                auth_flow: AuthFlow::parse(options.auth_flow.as_deref())?,
                client_metadata: options.client_metadata,
            };
            state.borrow_mut().pending = None;
            let random_a = random_bytes::<128>()?;
            let (start, request) = sign_in::start(&config, input, &random_a[..])?;
            let response = send(request).await?;
            let awaiting = match start {
                SignInStart::Password(awaiting) => awaiting,
                SignInStart::Srp(verifier) => {
                    let (awaiting, request) = verifier.receive(&config, &response, Date::now())?;
                    let response = send(request).await?;
                    return finish(&state, awaiting.receive(&response, Date::now())?);
                }
            };
            finish(&state, awaiting.receive(&response, Date::now())?)
        })
    }

    /// `confirmSignIn({ challengeResponse, userAttributes? })` answers the
    /// step that `signIn` reported.
    #[wasm_bindgen(js_name = confirmSignIn)]
    pub fn confirm_sign_in(&self, options: JsValue) -> Promise {
        let config = Rc::clone(&self.config);
        let state = Rc::clone(&self.state);
        promise(async move {
            let options: ConfirmSignInOptions = from_js("confirmSignIn", options)?;
            let pending = state.borrow_mut().pending.take().ok_or_else(|| {
                Error::InvalidState(
                    "no sign-in step is waiting; call signIn first and confirm the step it returns"
                        .into(),
                )
            })?;
            let answer = ChallengeAnswer {
                response: Zeroizing::new(options.challenge_response),
                user_attributes: options.user_attributes,
            };
            if let Err(error) = pending.check(&answer) {
                state.borrow_mut().pending = Some(pending);
                return Err(error);
            }
            let (awaiting, request) = pending.answer(&config, answer)?;
            let response = send(request).await?;
            finish(&state, awaiting.receive(&response, Date::now())?)
        })
    }

    /// `{ idToken, accessToken, refreshToken, expiresAt: Date, idTokenClaims }`
    /// after a sign-in, else `null`.
    #[wasm_bindgen(getter)]
    pub fn tokens(&self) -> JsValue {
        match &self.state.borrow().tokens {
            None => JsValue::NULL,
            Some(tokens) => {
                let value = to_js(tokens);
                let expires_at = Date::new(&JsValue::from_f64(tokens.expires_at));
                let _ = Reflect::set(&value, &JsValue::from_str("expiresAt"), &expires_at);
                value
            }
        }
    }

    /// Forgets the tokens and any waiting step, then revokes the refresh
    /// token. Local state is cleared even when the revocation fails.
    #[wasm_bindgen(js_name = signOut)]
    pub fn sign_out(&self) -> Promise {
        let config = Rc::clone(&self.config);
        let forgotten = std::mem::take(&mut *self.state.borrow_mut());
        promise(async move {
            let Some(refresh_token) = forgotten.tokens.and_then(|t| t.refresh_token) else {
                return Ok(JsValue::UNDEFINED);
            };
            let request = config.request(
                "RevokeToken",
                &RevokeTokenRequest {
                    token: &refresh_token,
                    client_id: config.client_id(),
                    client_secret: config.client_secret(),
                },
            );
            send(request).await?.parse::<serde_json::Value>()?;
            Ok(JsValue::UNDEFINED)
        })
    }
}

/// Stores the outcome and describes it to the app.
fn finish(state: &RefCell<AuthState>, outcome: SignInOutcome) -> Result<JsValue> {
    let mut state = state.borrow_mut();
    let result = match outcome {
        SignInOutcome::SignedIn(tokens) => {
            state.tokens = Some(tokens);
            SignInResult {
                is_signed_in: true,
                next_step: NextStep::Done,
            }
        }
        SignInOutcome::Challenge(challenge) => {
            let next_step = challenge.next_step();
            state.pending = Some(challenge);
            SignInResult {
                is_signed_in: false,
                next_step,
            }
        }
    };
    Ok(to_js(&result))
}
