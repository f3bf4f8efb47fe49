//! What the bindings of both wasm modules share: the JS built-ins they call
//! (`js`), the step protocol with the JS driver (`drive`, [`Step`]), errors
//! as JS `Error`s, requests as `fetch` arguments, the reading of the app's
//! options objects, and the client settings.
//!
//! Nothing here panics: every failure becomes an [`Error`], which
//! [`to_js_error`] turns into a JS `Error` whose `name` is [`Error::name`].

use alloc::rc::Rc;
use alloc::string::String;

use js::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;

use cognito_core::error::{Error, Result};
use cognito_core::protocol::{
    ClientConfig, ClientMetadata, HttpRequest, HttpResponse, UserContextData,
};
use cognito_core::tokens::Tokens;

pub(crate) mod js;

#[wasm_bindgen]
extern "C" {
    /// js/transport.js's `{ drive }`, which index.js hands to each module's
    /// constructor. Handed in, not imported: a glue that imported
    /// transport.js would share it with the other module's glue, and
    /// bundlers would make it a chunk of its own, requested only once the
    /// glue's chunk has arrived (one round trip more before a sign-in).
    pub(crate) type Driver;

    /// Runs `operation` (an `Operation` or `AccountOperation`) to its end
    /// with `input.signal` (the app's options object) and the transport
    /// settings: a promise of its result. `ceremony(options)` runs the
    /// WebAuthn ceremonies it asks for (a passkey sign-in or registration).
    #[wasm_bindgen(method)]
    fn drive(
        this: &Driver,
        operation: JsValue,
        input: &JsValue,
        timeout_ms: f64,
        max_attempts: f64,
        ceremony: &JsValue,
    ) -> Promise;
}

/// The transport settings of `new CognitoAuth` (js/transport.js):
/// `requestTimeout`, the milliseconds a request may take, its retries
/// included (0: no limit; default 30,000), and `maxAttempts`, the tries of
/// a throttled or failed request (default 3).
pub(crate) struct Transport {
    driver: Driver,
    timeout_ms: f64,
    max_attempts: f64,
}

impl Transport {
    /// Runs `operation` to its end (js/transport.js's `drive`), stopped by
    /// `input.signal`, with `ceremony` for its WebAuthn steps (undefined
    /// when it has none): a promise of its result.
    pub(crate) fn drive(&self, operation: JsValue, input: &JsValue, ceremony: &JsValue) -> Promise {
        self.driver.drive(
            operation,
            input,
            self.timeout_ms,
            self.max_attempts,
            ceremony,
        )
    }
}

/// What an operation's `next` hands the JS driver (`drive`).
pub(crate) enum Step {
    /// Send this request with `fetch`, then call `next` with the answer.
    Fetch(HttpRequest),
    /// Run the WebAuthn ceremony of these options (a JSON string), then
    /// call `next` with the credential's JSON (status 0), or with nothing
    /// when the ceremony failed.
    Ceremony(JsValue),
    /// The operation's result.
    Done(JsValue),
    /// The operation's result, with more to do after it (a new device's
    /// confirmation): the driver hands the result back, then calls `next`
    /// again without an answer, and goes on as with any step.
    #[cfg(feature = "sign-in")]
    DoneThenMore(JsValue),
}

impl Step {
    /// `{ fetch: [url, init] }`, `{ ceremony: options }`, `{ done: value }`
    /// or `{ done: value, more: true }`.
    pub(crate) fn into_js(self) -> JsValue {
        let step = Object::new();
        match self {
            Step::Fetch(request) => set(&step, "fetch", &request_to_js(request)),
            Step::Ceremony(options) => set(&step, "ceremony", &options),
            Step::Done(value) => set(&step, "done", &value),
            #[cfg(feature = "sign-in")]
            Step::DoneThenMore(value) => {
                set(&step, "done", &value);
                set(&step, "more", &JsValue::TRUE);
            }
        }
        step.into()
    }
}

/// The answer `drive` hands to an operation's `next`: none on the first call.
/// The header and the body come as JS values (a string, or null for a
/// missing header), read with `as_string`: wasm-bindgen's glue for optional
/// strings is longer.
pub(crate) fn received(
    status: Option<u16>,
    error_type: JsValue,
    body: JsValue,
) -> Option<HttpResponse> {
    status.map(|status| HttpResponse {
        status,
        error_type: error_type.as_string(),
        body: body.as_string().unwrap_or_default(),
    })
}

/// The one mapping from [`Error`] to a JS `Error`.
pub(crate) fn to_js_error(error: Error) -> JsValue {
    let js = js::Error::new(error.message());
    js.set_name(error.name());
    js.into()
}

/// A request as the arguments of `fetch`: `[url, init]`.
fn request_to_js(request: HttpRequest) -> JsValue {
    let headers = Object::new();
    for &(name, value) in &request.headers() {
        set(&headers, name, &JsValue::from_str(value));
    }
    let init = Object::new();
    set(&init, "method", &JsValue::from_str("POST"));
    set(&init, "headers", &headers);
    set(&init, "body", &JsValue::from_str(&request.body));
    let fetch_arguments = Array::new();
    fetch_arguments.push(&JsValue::from_str(&request.url));
    fetch_arguments.push(&init);
    fetch_arguments.into()
}

pub(crate) fn set(target: &Object, key: &str, value: &JsValue) {
    // Reflect.set on a plain fresh Object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// Reads the fields of an options object passed by the app, with messages
/// that name the call and the field.
pub(crate) struct Options<'a> {
    call: &'a str,
    object: JsValue,
}

impl<'a> Options<'a> {
    pub(crate) fn new(call: &'a str, object: JsValue) -> Result<Self> {
        if object.is_object() {
            Ok(Options { call, object })
        } else {
            Err(Error::Validation(
                [call, " takes an options object"].concat().into(),
            ))
        }
    }

    /// `<call>: <name><problem>`, a ValidationError.
    pub(crate) fn invalid(&self, name: &str, problem: &str) -> Error {
        Error::Validation([self.call, ": ", name, problem].concat().into())
    }

    /// `name`, or else `options.name`: Amplify v6 nests the optional
    /// fields (clientMetadata, authFlowType, userAttributes, ...) in `options`.
    pub(crate) fn field(&self, name: &str) -> JsValue {
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

    pub(crate) fn optional_string(&self, name: &str) -> Result<Option<String>> {
        let value = self.field(name);
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        value
            .as_string()
            .map(Some)
            .ok_or_else(|| self.invalid(name, " must be a string"))
    }

    pub(crate) fn string(&self, name: &str) -> Result<String> {
        self.optional_string(name)?
            .ok_or_else(|| self.invalid(name, " is required"))
    }

    /// A number, or `default` when it is not one (index.js has checked
    /// the options that are numbers).
    pub(crate) fn number(&self, name: &str, default: f64) -> f64 {
        self.field(name).as_f64().unwrap_or(default)
    }

    /// A `{ key: 'value' }` object.
    pub(crate) fn optional_map(&self, name: &str) -> Result<Option<ClientMetadata>> {
        let value = self.field(name);
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        let not_map = || self.invalid(name, " must be an object of strings");
        let object = value.dyn_into::<Object>().map_err(|_| not_map())?;
        // Object.keys and a get per key: what Object.entries does, with
        // one import fewer in the JS glue.
        let read = || {
            let mut map = ClientMetadata::new();
            for key in Object::keys(&object).iter() {
                let value = Reflect::get(&object, &key).ok()?.as_string()?;
                map.insert(&key.as_string()?, value);
            }
            Some(map)
        };
        read().map(Some).ok_or_else(not_map)
    }
}

/// The client settings of `new CognitoAuth(options)`: `{ userPoolId,
/// clientId, clientSecret?, region?, endpoint?, analyticsEndpointId?,
/// userContextData?, requestTimeout?, maxAttempts? }`. The account module
/// reads the same options object. `driver` is js/transport.js's `{ drive }`.
pub(crate) fn client_config(
    options: JsValue,
    driver: JsValue,
) -> Result<(ClientConfig, Transport)> {
    let options = Options::new("new CognitoAuth", options)?;
    let transport = Transport {
        driver: driver.unchecked_into(),
        timeout_ms: options.number("requestTimeout", 30_000.0),
        max_attempts: options.number("maxAttempts", 3.0),
    };

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
    let config = config.with_context(options.optional_string("analyticsEndpointId")?, provider);
    Ok((config, transport))
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

/// `{ idToken, accessToken, refreshToken, expiresIn }`, as the service gave
/// them; js/session.js makes the session of them.
pub(crate) fn tokens_to_js(tokens: &Tokens) -> JsValue {
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
        "expiresIn",
        &JsValue::from_f64(tokens.expires_in as f64),
    );
    object.into()
}

/// A string, or null.
pub(crate) fn optional_str(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::NULL, JsValue::from_str)
}
