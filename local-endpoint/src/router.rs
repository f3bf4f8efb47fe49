//! HTTP-level handling, independent of the server library: routing, CORS,
//! the request id and the error format.

use serde_json::{json, Value};

use crate::error::ApiError;
use crate::iam;
use crate::identity;
use crate::jwt::{Signer, KEY_BITS};
use crate::ops;
use crate::state::State;
use crate::storage;

const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";
const JWKS_SUFFIX: &str = "/.well-known/jwks.json";
const ALLOWED_HEADERS: &str = "content-type, x-amz-target, x-amz-user-agent, cache-control, \
authorization, x-amz-date, x-amz-security-token, x-amz-content-sha256, amz-sdk-invocation-id, \
amz-sdk-request";
const EXPOSED_HEADERS: &str = "x-amzn-errortype, x-amzn-requestid";

pub struct HttpRequest {
    pub method: String,
    /// The request target, possibly with a query string.
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// A header's value; names match case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        HttpResponse {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body,
        }
    }

    pub fn json(status: u16, content_type: &str, body: &Value) -> Self {
        HttpResponse::new(status, content_type, body.to_string().into_bytes())
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Answers one request. Every answer carries `x-amzn-RequestId` and the CORS
/// headers a browser needs to read it.
pub fn handle(state: &mut State, request: &HttpRequest) -> HttpResponse {
    let path = request.url.split('?').next().unwrap_or_default();
    let response = match (request.method.as_str(), path) {
        (_, path) if storage::is_storage_path(path) => storage::handle(state, request),
        ("OPTIONS", _) => preflight(),
        (_, path) if crate::oauth::serves(path) => crate::oauth::handle(state, request),
        ("POST", "/") => api_call(state, request),
        ("GET", "/inbox") => inbox(state, &request.url),
        ("GET", "/requests") => {
            HttpResponse::json(200, "application/json", &state.requests.to_json())
        }
        ("POST", "/keys/rotate") => rotate_keys(state),
        ("GET", "/faults") => crate::faults::listing(state),
        ("POST", "/faults/reset") => crate::faults::reset(state),
        ("GET", _) => jwks(state, path),
        _ => not_found(),
    };
    finish(state, response)
}

/// Adds what every answer carries: `x-amzn-RequestId` and the CORS headers.
pub fn finish(state: &mut State, response: HttpResponse) -> HttpResponse {
    let response = response
        .with_header("x-amzn-RequestId", &state.env.uuid())
        .with_header("Access-Control-Allow-Origin", "*");
    // The storage service names the headers it exposes.
    if response.header("Access-Control-Expose-Headers").is_some() {
        response
    } else {
        response.with_header("Access-Control-Expose-Headers", EXPOSED_HEADERS)
    }
}

fn preflight() -> HttpResponse {
    HttpResponse::new(200, "text/plain", Vec::new())
        .with_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        .with_header("Access-Control-Allow-Headers", ALLOWED_HEADERS)
        .with_header("Access-Control-Max-Age", "600")
}

/// `POST /` with `X-Amz-Target: AWSCognitoIdentityProviderService.<Op>`,
/// or `AWSCognitoIdentityService.<Op>` for the identity-pool API.
fn api_call(state: &mut State, request: &HttpRequest) -> HttpResponse {
    let target = request.header("x-amz-target").unwrap_or_default();
    if let Some(operation) = target.strip_prefix(identity::TARGET_PREFIX) {
        return match identity::call(state, operation, &request.body) {
            Ok(body) => HttpResponse::new(200, "application/x-amz-json-1.1", body.into_bytes()),
            Err(error) => error_response(&error),
        };
    }
    if let (Some(operation), Ok(body)) = (
        target.strip_prefix(TARGET_PREFIX),
        serde_json::from_slice::<Value>(&request.body),
    ) {
        state.requests.record(operation, &body);
    }
    let result = match target.strip_prefix(TARGET_PREFIX) {
        Some(operation) if ops::needs_iam(operation) => iam::verify(state, request)
            .and_then(|()| ops::dispatch(state, operation, &request.body)),
        Some(operation) => ops::dispatch(state, operation, &request.body),
        None => Err(ApiError::unknown_operation(target)),
    };
    match result {
        Ok(body) => HttpResponse::json(200, "application/x-amz-json-1.1", &body),
        Err(error) => error_response(&error),
    }
}

/// HTTP 400, `{"__type", "message"}` and `x-amzn-ErrorType: <Name>:`.
pub fn error_response(error: &ApiError) -> HttpResponse {
    let body = json!({ "__type": error.name, "message": error.message });
    HttpResponse::json(400, "application/x-amz-json-1.1", &body)
        .with_header("x-amzn-ErrorType", &format!("{}:", error.name))
}

/// `GET /<userPoolId>/.well-known/jwks.json`.
fn jwks(state: &State, path: &str) -> HttpResponse {
    let pool_id = path
        .strip_prefix('/')
        .and_then(|p| p.strip_suffix(JWKS_SUFFIX));
    match pool_id.and_then(|id| state.jwks(id)) {
        Some(document) => HttpResponse::json(200, "application/json", &document),
        None => not_found(),
    }
}

/// `POST /keys/rotate` (the endpoint's own, for tests of JWKS caching): a
/// new signing key with a new `kid`; the old key stays in the JWKS. Answers
/// `{"kid": <new kid>}`.
fn rotate_keys(state: &mut State) -> HttpResponse {
    match Signer::generate(&mut state.env, KEY_BITS) {
        Ok(signer) => {
            let kid = signer.kid().to_owned();
            state.rotate_signer(signer);
            HttpResponse::json(200, "application/json", &json!({ "kid": kid }))
        }
        Err(error) => HttpResponse::json(
            500,
            "application/json",
            &json!({ "message": error.to_string() }),
        ),
    }
}

/// `GET /inbox?pool=<userPoolId>&username=<username>` (both optional): the
/// codes the endpoint sent instead of email and SMS.
fn inbox(state: &State, url: &str) -> HttpResponse {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let param = |name: &str| {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| percent_decode(value))
    };
    let document = state
        .inbox
        .query(param("pool").as_deref(), param("username").as_deref());
    HttpResponse::json(200, "application/json", &document)
}

/// `%40` and friends, and `+` as a space, as in a query string.
fn percent_decode(text: &str) -> String {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        let hex = tail
            .get(..2)
            .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match (first, hex) {
            (b'%', Some(byte)) => {
                bytes.push(byte);
                rest = &tail[2..];
            }
            (b'+', _) => {
                bytes.push(b' ');
                rest = tail;
            }
            _ => {
                bytes.push(first);
                rest = tail;
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn not_found() -> HttpResponse {
    HttpResponse::json(404, "application/json", &json!({ "message": "Not Found" }))
}
