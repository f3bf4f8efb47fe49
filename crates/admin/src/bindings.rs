//! The wasm-bindgen surface: `new CognitoAdmin(options)` and one
//! promise-returning method per operation, taking and returning the AWS
//! shapes (PascalCase), with `CreationDate` / `LastModifiedDate` as `Date`.

use std::rc::Rc;

use crate::admin::{check_runtime, read_output, AdminConfig, Operation, DATE_FIELDS};
use crate::sigv4::Credentials;
use cognito_core::json::Json;
use cognito_core::protocol::HttpResponse;
use cognito_core::{Error, Result};
use js_sys::{Array, Date, Function, Object, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

fn to_js_error(error: Error) -> JsValue {
    let js = js_sys::Error::new(error.message());
    js.set_name(error.name());
    js.into()
}

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn set(target: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// An optional string option; `what` names it in the message.
fn string_option(object: &JsValue, key: &str, what: &str) -> Result<Option<String>> {
    let value = get(object, key);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value.as_string().map(Some).ok_or_else(|| {
        Error::Validation(format!("new CognitoAdmin: {what} must be a string").into())
    })
}

fn required_string(object: &JsValue, key: &str, what: &str) -> Result<String> {
    string_option(object, key, what)?
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Error::Validation(format!("new CognitoAdmin: {what} is required").into()))
}

/// The admin client: region, IAM credentials and endpoint, the transport
/// settings (`requestTimeout` in ms, 0: none; `maxAttempts`), and
/// js/transport.js's `send`, which js/admin.js hands over (as index.js hands
/// the other modules its `drive`), so that this module's glue imports
/// nothing.
#[wasm_bindgen]
pub struct CognitoAdmin {
    config: Rc<AdminConfig>,
    transport: (f64, f64),
    send: Function,
}

/// A whole number option from `least` to `most`, or `default` when absent.
fn whole_number(object: &JsValue, key: &str, default: f64, least: f64, most: f64) -> Result<f64> {
    let value = get(object, key);
    if value.is_undefined() {
        return Ok(default);
    }
    value
        .as_f64()
        .filter(|n| (least..=most).contains(n) && n.fract() == 0.0)
        .ok_or_else(|| {
            Error::Validation(
                format!("new CognitoAdmin: {key} must be a whole number from {least} to {most}")
                    .into(),
            )
        })
}

#[wasm_bindgen]
impl CognitoAdmin {
    /// `new CognitoAdmin(options, { send })`: `{ region, credentials: {
    /// accessKeyId, secretAccessKey, sessionToken? }, endpoint?,
    /// allowBrowser?, requestTimeout?, maxAttempts? }`, and js/transport.js's
    /// `send`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue, transport: JsValue) -> std::result::Result<CognitoAdmin, JsValue> {
        Self::from_options(&options, &transport).map_err(to_js_error)
    }

    fn from_options(options: &JsValue, transport: &JsValue) -> Result<CognitoAdmin> {
        let send = get(transport, "send").dyn_into::<Function>().map_err(|_| {
            Error::InvalidState(
                "new CognitoAdmin: js/admin.js hands over js/transport.js's send".into(),
            )
        })?;
        if !options.is_object() {
            return Err(Error::Validation(
                "new CognitoAdmin takes { region, credentials: { accessKeyId, secretAccessKey, \
                 sessionToken? }, endpoint? }"
                    .into(),
            ));
        }
        let has_window =
            Reflect::has(&js_sys::global(), &JsValue::from_str("window")).unwrap_or(false);
        check_runtime(has_window, get(options, "allowBrowser").is_truthy())?;
        let credentials = get(options, "credentials");
        if !credentials.is_object() {
            return Err(Error::Validation(
                "new CognitoAdmin: credentials { accessKeyId, secretAccessKey, sessionToken? } \
                 is required"
                    .into(),
            ));
        }
        let credentials = Credentials {
            access_key_id: required_string(&credentials, "accessKeyId", "credentials.accessKeyId")?,
            secret_access_key: required_string(
                &credentials,
                "secretAccessKey",
                "credentials.secretAccessKey",
            )?,
            session_token: string_option(&credentials, "sessionToken", "credentials.sessionToken")?,
        };
        let region = required_string(options, "region", "region")?;
        let endpoint = string_option(options, "endpoint", "endpoint")?;
        let config = AdminConfig::new(&region, credentials, endpoint.as_deref())?;
        // setTimeout takes at most 2^31 - 1 ms.
        let timeout = whole_number(options, "requestTimeout", 30_000.0, 0.0, 2_147_483_647.0)?;
        let attempts = whole_number(options, "maxAttempts", 3.0, 1.0, 10.0)?;
        Ok(CognitoAdmin {
            config: Rc::new(config),
            transport: (timeout, attempts),
            send,
        })
    }

    #[wasm_bindgen(js_name = adminInitiateAuth)]
    pub fn admin_initiate_auth(&self, input: JsValue, signal: JsValue) -> Promise {
        self.run(Operation::AdminInitiateAuth, input, signal)
    }

    #[wasm_bindgen(js_name = adminRespondToAuthChallenge)]
    pub fn admin_respond_to_auth_challenge(&self, input: JsValue, signal: JsValue) -> Promise {
        self.run(Operation::AdminRespondToAuthChallenge, input, signal)
    }

    #[wasm_bindgen(js_name = initiateAuth)]
    pub fn initiate_auth(&self, input: JsValue, signal: JsValue) -> Promise {
        self.run(Operation::InitiateAuth, input, signal)
    }

    #[wasm_bindgen(js_name = createUserPoolClient)]
    pub fn create_user_pool_client(&self, input: JsValue, signal: JsValue) -> Promise {
        self.run(Operation::CreateUserPoolClient, input, signal)
    }

    #[wasm_bindgen(js_name = describeUserPoolClient)]
    pub fn describe_user_pool_client(&self, input: JsValue, signal: JsValue) -> Promise {
        self.run(Operation::DescribeUserPoolClient, input, signal)
    }

    #[wasm_bindgen(js_name = updateUserPoolClient)]
    pub fn update_user_pool_client(&self, input: JsValue, signal: JsValue) -> Promise {
        self.run(Operation::UpdateUserPoolClient, input, signal)
    }

    /// `op` with `input`, stopped by `signal` (js/admin.js takes it out
    /// of the input object).
    fn run(&self, op: Operation, input: JsValue, signal: JsValue) -> Promise {
        let config = self.config.clone();
        let transport = self.transport;
        let send_request = self.send.clone();
        // Read the argument now: the caller may change the object after the call.
        let input = to_json(op, &input);
        future_to_promise(async move {
            // Signed at the current time.
            let now = (Date::now() / 1000.0) as u64;
            let request = input
                .and_then(|input| config.request(op, &input, now))
                .map_err(to_js_error)?;
            let response = send(&send_request, &request, &signal, transport).await?;
            let output = read_output(op, &response).map_err(to_js_error)?;
            Ok(to_js(&output, false))
        })
    }
}

/// The caller's input object as JSON (undefined members dropped, as
/// `JSON.stringify` does).
fn to_json(op: Operation, input: &JsValue) -> Result<Json> {
    let refuse = || {
        Error::Validation(
            format!(
                "{} takes the {} input object (AWS field names)",
                op.method(),
                op.name()
            )
            .into(),
        )
    };
    if !input.is_object() || Array::is_array(input) {
        return Err(refuse());
    }
    let text = JSON::stringify(input)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(refuse)?;
    Json::parse(&text).ok_or_else(refuse)
}

/// JSON to a JS value; numbers in [`DATE_FIELDS`] (epoch seconds) become `Date`.
fn to_js(value: &Json, is_date: bool) -> JsValue {
    match value {
        Json::Null => JsValue::NULL,
        Json::Bool(b) => JsValue::from_bool(*b),
        Json::Number(text) => {
            // JS parses the number: Rust's float parser would add kilobytes.
            let number = js_sys::Number::parse_float(text);
            if is_date {
                Date::new(&JsValue::from_f64(number * 1000.0)).into()
            } else {
                JsValue::from_f64(number)
            }
        }
        Json::String(s) => JsValue::from_str(s),
        Json::Array(items) => items
            .iter()
            .map(|item| to_js(item, false))
            .collect::<Array>()
            .into(),
        Json::Object(members) => {
            let object = Object::new();
            for (key, member) in members {
                set(
                    &object,
                    key,
                    &to_js(member, DATE_FIELDS.contains(&key.as_str())),
                );
            }
            object.into()
        }
    }
}

/// Sends `request` through js/transport.js's `send` (the signal,
/// requestTimeout, retries and the 1 MiB bound of every call of the
/// package): a promise of `[status, x-amzn-ErrorType or null, body]`. Its
/// failures (NetworkError, TimeoutError, InvalidServerResponse, the signal's
/// reason) pass through.
async fn send(
    send_request: &Function,
    request: &crate::admin::SignedRequest,
    signal: &JsValue,
    (timeout, attempts): (f64, f64),
) -> std::result::Result<HttpResponse, JsValue> {
    let headers = Object::new();
    for (name, value) in &request.headers {
        set(&headers, name, &JsValue::from_str(value));
    }
    let init = Object::new();
    set(&init, "method", &JsValue::from_str("POST"));
    set(&init, "headers", &headers);
    set(&init, "body", &JsValue::from_str(&request.body));
    let arguments = Array::of5(
        &JsValue::from_str(&request.url),
        &init,
        signal,
        &JsValue::from_f64(timeout),
        &JsValue::from_f64(attempts),
    );
    let answer = send_request.apply(&JsValue::NULL, &arguments)?;
    let answer = JsFuture::from(Promise::resolve(&answer)).await?;
    let part = |index| Reflect::get_u32(&answer, index).unwrap_or(JsValue::UNDEFINED);
    Ok(HttpResponse {
        status: part(0).as_f64().unwrap_or(0.0) as u16,
        error_type: part(1).as_string(),
        body: part(2).as_string().unwrap_or_default(),
    })
}
