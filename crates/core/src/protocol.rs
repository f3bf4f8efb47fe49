//! The user-pool JSON API as data: where requests go, what they carry, and how
//! answers and errors are read. Nothing here performs I/O; the bindings send
//! an [`HttpRequest`] with `fetch` and hand back an [`HttpResponse`].

use alloc::borrow::ToOwned;
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::{self, Vec};

use zeroize::Zeroizing;

use crate::error::{Error, Result, MAX_NAME};
use crate::json::Json;
use crate::text::{push_decimal, quoted};
use cognito_srp::srp::compute_secret_hash;

/// String keys and values, each key at most once, in the order they were
/// first set: ChallengeParameters and ChallengeResponses, ClientMetadata, user
/// attributes. These hold a handful of entries, so a vector searched in
/// order is as quick as a map, and much smaller in the wasm module.
///
/// Two maps are equal when they hold the same pairs in the same order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StringMap(Vec<(String, String)>);

impl StringMap {
    pub fn new() -> Self {
        StringMap(Vec::new())
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Sets `key` to `value`; a key already present keeps its place. The
    /// key is copied here, not by each caller (most keys are literals).
    pub fn insert(&mut self, key: &str, value: String) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some((_, old)) => *old = value,
            None => self.0.push((key.to_owned(), value)),
        }
    }

    /// A JSON object of the pairs, in order.
    pub fn to_json(&self) -> Json {
        let mut object = Vec::with_capacity(self.0.len());
        for (key, value) in &self.0 {
            object.push((key.clone(), Json::String(value.clone())));
        }
        Json::Object(object)
    }

    /// The pairs, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A JSON object whose members are all strings, such as
    /// ChallengeParameters; a later member replaces an earlier one with the
    /// same key, as in a map.
    pub fn from_json(json: &Json) -> Option<Self> {
        json.as_string_map().map(StringMap)
    }

    /// What `from` does: one copy in the wasm module, not one per array
    /// length.
    fn from_pairs(pairs: &mut [(&str, String)]) -> Self {
        let mut map = StringMap::new();
        for (key, value) in pairs {
            map.insert(key, core::mem::take(value));
        }
        map
    }
}

impl<const N: usize> From<[(&str, String); N]> for StringMap {
    fn from(mut pairs: [(&str, String); N]) -> Self {
        StringMap::from_pairs(&mut pairs)
    }
}

impl IntoIterator for StringMap {
    type Item = (String, String);
    type IntoIter = vec::IntoIter<(String, String)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Amplify's MFA type names and the service's names of the same factors
/// (the challenges, and the user's MFA settings).
pub const MFA_TYPES: [(&str, &str); 3] = [
    ("SMS", "SMS_MFA"),
    ("TOTP", "SOFTWARE_TOKEN_MFA"),
    ("EMAIL", "EMAIL_OTP"),
];

/// Amplify's name of the service's MFA type `service` (`SMS_MFA` is `SMS`).
pub fn amplify_mfa_type(service: &str) -> Option<&'static str> {
    MFA_TYPES
        .iter()
        .find(|(_, s)| *s == service)
        .map(|(a, _)| *a)
}

/// The service's name of Amplify's MFA type `amplify` (`TOTP` is `SOFTWARE_TOKEN_MFA`).
pub fn service_mfa_type(amplify: &str) -> Option<&'static str> {
    MFA_TYPES
        .iter()
        .find(|(a, _)| *a == amplify)
        .map(|(_, s)| *s)
}

/// Free-form key-value pairs passed to Lambda triggers.
pub type ClientMetadata = StringMap;

/// The `EncodedData` of Cognito's advanced security (threat protection) for
/// a call on behalf of a user: given the username, the string the
/// `AmazonCognitoAdvancedSecurityData` script computes, or `None`.
pub type UserContextData = Rc<dyn Fn(&str) -> Option<String>>;

/// One user-pool app client, and where its API is.
#[derive(Clone)]
pub struct ClientConfig {
    user_pool_id: String,
    client_id: String,
    client_secret: Option<Zeroizing<String>>,
    endpoint: String,
    /// Amazon Pinpoint's endpoint id, sent as `AnalyticsMetadata`.
    analytics_endpoint_id: Option<String>,
    user_context_data: Option<UserContextData>,
}

/// The calls that take `AnalyticsMetadata` and `UserContextData` (the
/// unauthenticated ones that act for a user).
const CONTEXT_OPERATIONS: [&str; 7] = [
    "InitiateAuth",
    "RespondToAuthChallenge",
    "SignUp",
    "ConfirmSignUp",
    "ResendConfirmationCode",
    "ForgotPassword",
    "ConfirmForgotPassword",
];

impl ClientConfig {
    /// Checks the ids and works out the endpoint: `endpoint` when given (a
    /// local server), else `https://cognito-idp.<region>.amazonaws.com/`, the
    /// region defaulting to the part of the user pool id before `_`.
    pub fn new(
        user_pool_id: &str,
        client_id: &str,
        client_secret: Option<String>,
        region: Option<&str>,
        endpoint: Option<&str>,
    ) -> Result<Self> {
        let (pool_region, pool_name) = user_pool_id.split_once('_').unwrap_or(("", ""));
        if pool_region.is_empty() || pool_name.is_empty() {
            return Err(Error::Validation(
                [
                    "userPoolId ",
                    &quoted(user_pool_id),
                    " is not of the form <region>_<id>, e.g. us-east-1_AbC123; copy it from the user pool's overview in the Cognito console",
                ].concat()
                .into(),
            ));
        }
        if client_id.is_empty() {
            return Err(Error::Validation(
                "clientId is empty; copy the app client id from the user pool's App clients page"
                    .into(),
            ));
        }
        let region = region.unwrap_or(pool_region);
        let endpoint = match endpoint {
            Some(url) => http_url("endpoint", url)?,
            None if is_region_name(region) => {
                ["https://cognito-idp.", region, ".amazonaws.com/"].concat()
            }
            None => {
                return Err(Error::Validation(
                    [
                        "region ",
                        &quoted(region),
                        " is not an AWS region name such as us-east-1",
                    ]
                    .concat()
                    .into(),
                ))
            }
        };
        Ok(ClientConfig {
            user_pool_id: user_pool_id.to_owned(),
            client_id: client_id.to_owned(),
            client_secret: client_secret.filter(|s| !s.is_empty()).map(Zeroizing::new),
            endpoint,
            analytics_endpoint_id: None,
            user_context_data: None,
        })
    }

    /// Sends `AnalyticsMetadata: { AnalyticsEndpointId }` and
    /// `UserContextData: { EncodedData }` (from `user_context_data`) with
    /// every call that takes them.
    pub fn with_context(
        mut self,
        analytics_endpoint_id: Option<String>,
        user_context_data: Option<UserContextData>,
    ) -> Self {
        self.analytics_endpoint_id = analytics_endpoint_id.filter(|id| !id.is_empty());
        self.user_context_data = user_context_data;
        self
    }

    pub fn user_pool_id(&self) -> &str {
        &self.user_pool_id
    }

    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The part of the user pool id after `_`: the SRP "pool name".
    pub fn pool_name(&self) -> &str {
        self.user_pool_id
            .split_once('_')
            .map_or("", |(_, name)| name)
    }

    /// SECRET_HASH for `username` when the app client has a secret.
    pub fn secret_hash(&self, username: &str) -> Option<String> {
        self.client_secret
            .as_ref()
            .map(|secret| compute_secret_hash(username, &self.client_id, secret))
    }

    /// The client secret itself, for the one call that sends it (RevokeToken).
    pub fn client_secret(&self) -> Option<&str> {
        self.client_secret.as_deref().map(String::as_str)
    }

    /// A POST of `body` (an object) to `operation`, made for `username`:
    /// with AnalyticsMetadata and UserContextData where the operation takes
    /// them.
    pub fn user_request(&self, operation: &str, mut body: Json, username: &str) -> HttpRequest {
        if let Json::Object(members) = &mut body {
            if CONTEXT_OPERATIONS.contains(&operation) {
                if let Some(id) = &self.analytics_endpoint_id {
                    let analytics = Json::string_map(&[("AnalyticsEndpointId", id.as_str())]);
                    members.push(("AnalyticsMetadata".to_owned(), analytics));
                }
                let encoded = self.user_context_data.as_ref().and_then(|f| f(username));
                if let Some(encoded) = encoded {
                    let context = Json::string_map(&[("EncodedData", encoded.as_str())]);
                    members.push(("UserContextData".to_owned(), context));
                }
            }
        }
        self.request(operation, &body)
    }

    /// A POST of `body` to the operation `operation`.
    pub fn request(&self, operation: &str, body: &Json) -> HttpRequest {
        let mut text = Zeroizing::new(String::new());
        body.write(&mut text);
        HttpRequest {
            url: self.endpoint.clone(),
            kind: RequestKind::Api(["AWSCognitoIdentityProviderService.", operation].concat()),
            body: text,
        }
    }
}

/// `url` itself when it is an http:// or https:// URL (an endpoint the app
/// gives for a local server); else a ValidationError naming `option`.
pub(crate) fn http_url(option: &str, url: &str) -> Result<String> {
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(url.to_owned())
    } else {
        Err(Error::Validation(
            [
                option,
                " ",
                &quoted(url),
                " must be an http:// or https:// URL",
            ]
            .concat()
            .into(),
        ))
    }
}

pub(crate) fn is_region_name(region: &str) -> bool {
    !region.is_empty()
        && region
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
}

/// A request to send: POST `body` to `url` with the headers of [`HttpRequest::headers`].
/// The body may hold a password, so it is wiped when dropped.
pub struct HttpRequest {
    pub url: String,
    pub kind: RequestKind,
    pub body: Zeroizing<String>,
}

/// What a request's body is, which sets its headers.
pub enum RequestKind {
    /// JSON for the user-pool API operation named here (`X-Amz-Target`).
    Api(String),
    /// An OAuth 2.0 form for the user pool domain's token endpoint
    /// (`crate::oauth`), with the `Authorization: Basic ...` value of a
    /// client with a secret.
    #[cfg(feature = "oauth")]
    Form(Option<Zeroizing<String>>),
}

impl HttpRequest {
    /// The headers the service and the reference JS client use. A form
    /// sends only its Content-Type (and Authorization): a request the
    /// browser sends without a CORS preflight.
    pub fn headers(&self) -> Vec<(&'static str, &str)> {
        match &self.kind {
            RequestKind::Api(target) => alloc::vec![
                ("Content-Type", "application/x-amz-json-1.1"),
                ("X-Amz-Target", target),
                (
                    "X-Amz-User-Agent",
                    concat!("cognito-wasm/", env!("CARGO_PKG_VERSION")),
                ),
                ("Cache-Control", "no-store"),
            ],
            #[cfg(feature = "oauth")]
            RequestKind::Form(authorization) => {
                let mut headers =
                    alloc::vec![("Content-Type", "application/x-www-form-urlencoded")];
                if let Some(value) = authorization {
                    headers.push(("Authorization", value.as_str()));
                }
                headers
            }
        }
    }

    /// The user-pool API operation the request calls (`X-Amz-Target`), if it is one.
    pub fn target(&self) -> Option<&str> {
        match &self.kind {
            RequestKind::Api(target) => Some(target),
            #[cfg(feature = "oauth")]
            RequestKind::Form(_) => None,
        }
    }
}

/// What came back: the status, the `x-amzn-ErrorType` header if any, the body.
pub struct HttpResponse {
    pub status: u16,
    pub error_type: Option<String>,
    pub body: String,
}

impl HttpResponse {
    /// The answer's JSON on 2xx, else the service error it names.
    pub fn json(&self) -> Result<Json> {
        if !(200..300).contains(&self.status) {
            return Err(self.service_error());
        }
        Json::parse(&self.body).ok_or_else(|| {
            Error::bad_response(
                "the endpoint's answer is not JSON; check that the endpoint is a Cognito user-pool API",
            )
        })
    }

    fn service_error(&self) -> Error {
        let body = Json::parse(&self.body);
        let field = |key: &str| body.as_ref()?.get(key)?.as_str();
        // An empty message is none: every error says something.
        let message = field("message")
            .or_else(|| field("Message"))
            .filter(|message| !message.trim().is_empty());
        let name = field("__type")
            .or(self.error_type.as_deref())
            .map(error_name)
            .filter(|name| is_exception_name(name));
        match name {
            Some(name) => Error::service(
                name.to_owned(),
                match message {
                    Some(message) => message.to_owned(),
                    None => ["the service answered ", name].concat(),
                },
            ),
            None => {
                let mut message = String::from("the endpoint answered HTTP ");
                push_decimal(&mut message, self.status.into(), 0);
                message.push_str(
                    " without a Cognito error; check the endpoint URL and that the service is up",
                );
                Error::bad_response(message)
            }
        }
    }
}

/// `com.amazonaws...#NotAuthorizedException` and `NotAuthorizedException:http://...`
/// both name `NotAuthorizedException`.
fn error_name(raw: &str) -> &str {
    let after_hash = raw.rsplit_once('#').map_or(raw, |(_, name)| name);
    after_hash
        .split_once(':')
        .map_or(after_hash, |(name, _)| name)
        .trim()
}

/// A challenge this client does not know (a step the service added after
/// this version): an UnsupportedChallengeError naming it.
pub fn unsupported_challenge(name: &str) -> Error {
    Error::Unsupported(
        [
            "the user pool asked for the ",
            &quoted(name),
            " sign-in step, which this version of cognito-wasm cannot answer yet",
        ]
        .concat()
        .into(),
    )
}

/// Whether `name` can be an exception's name: 1 to [`MAX_NAME`] ASCII
/// letters, digits and `_` (an app compares names; anything else is a
/// malformed answer).
fn is_exception_name(name: &str) -> bool {
    (1..=MAX_NAME).contains(&name.len())
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_')
}

/// An object of the members that are present. The helpers here take slices
/// and `dyn` iterators rather than generic ones: one copy of their code in
/// the wasm module instead of one per caller.
fn object(members: &mut [(&'static str, Option<Json>)]) -> Json {
    let mut object = Vec::with_capacity(members.len());
    for (key, value) in members {
        if let Some(value) = value.take() {
            object.push(((*key).to_owned(), value));
        }
    }
    Json::Object(object)
}

fn text(value: &str) -> Option<Json> {
    Some(Json::String(value.to_owned()))
}

fn metadata(client_metadata: Option<&ClientMetadata>) -> Option<Json> {
    client_metadata.map(StringMap::to_json)
}

/// The InitiateAuth body; `session` is ConfirmSignUp's, which signs the
/// new user in with USER_AUTH.
pub fn initiate_auth(
    auth_flow: &str,
    client_id: &str,
    auth_parameters: &[(&str, &str)],
    session: Option<&str>,
    client_metadata: Option<&ClientMetadata>,
) -> Json {
    object(&mut [
        ("AuthFlow", text(auth_flow)),
        ("ClientId", text(client_id)),
        ("AuthParameters", Some(Json::string_map(auth_parameters))),
        ("Session", session.and_then(text)),
        ("ClientMetadata", metadata(client_metadata)),
    ])
}

/// The RespondToAuthChallenge body.
pub fn respond_to_auth_challenge(
    challenge_name: &str,
    client_id: &str,
    challenge_responses: &StringMap,
    session: Option<&str>,
    client_metadata: Option<&ClientMetadata>,
) -> Json {
    object(&mut [
        ("ChallengeName", text(challenge_name)),
        ("ClientId", text(client_id)),
        ("ChallengeResponses", Some(challenge_responses.to_json())),
        ("Session", session.and_then(text)),
        ("ClientMetadata", metadata(client_metadata)),
    ])
}

/// The RevokeToken body.
pub fn revoke_token(token: &str, client_id: &str, client_secret: Option<&str>) -> Json {
    object(&mut [
        ("Token", text(token)),
        ("ClientId", text(client_id)),
        ("ClientSecret", client_secret.and_then(text)),
    ])
}

/// The answer of InitiateAuth and RespondToAuthChallenge.
pub struct AuthResponse {
    pub challenge_name: Option<String>,
    pub session: Option<String>,
    pub challenge_parameters: StringMap,
    /// Boxed: the largest part, and the answer is moved through `?`.
    pub authentication_result: Option<Box<AuthenticationResult>>,
    /// SELECT_CHALLENGE (USER_AUTH): the first factors the user can choose.
    pub available_challenges: Vec<String>,
}

pub struct AuthenticationResult {
    pub access_token: String,
    pub id_token: Option<String>,
    pub refresh_token: Option<String>,
    pub expires_in: Option<u64>,
    /// Set when the pool tracks devices and this one is new to it.
    pub new_device_metadata: Option<NewDeviceMetadata>,
}

/// What a sign-in answers when the pool tracks devices and this device is
/// new to it: AuthenticationResult.NewDeviceMetadata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDeviceMetadata {
    pub device_key: String,
    pub device_group_key: String,
}

/// NewDeviceMetadata of an AuthenticationResult, if it has both keys.
pub fn read_new_device_metadata(result: &Json) -> Option<NewDeviceMetadata> {
    let metadata = result.get("NewDeviceMetadata")?;
    let field = |name: &str| {
        metadata
            .get(name)
            .and_then(Json::as_str)
            .filter(|v| !v.is_empty())
            .map(|v| v.to_owned())
    };
    Some(NewDeviceMetadata {
        device_key: field("DeviceKey")?,
        device_group_key: field("DeviceGroupKey")?,
    })
}

/// A string member that may be absent or null, but not of another type.
fn optional_string(json: &Json, key: &str) -> Result<Option<String>> {
    match json.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Error::bad_response(
            [key, " in the answer is not a string"].concat(),
        )),
    }
}

impl AuthResponse {
    pub fn from_response(response: &HttpResponse) -> Result<Self> {
        let json = response.json()?;
        let challenge_parameters = match json.get("ChallengeParameters") {
            None | Some(Json::Null) => StringMap::new(),
            Some(params) => StringMap::from_json(params)
                .ok_or_else(|| Error::bad_response("ChallengeParameters are not all strings"))?,
        };
        let authentication_result = match json.get("AuthenticationResult") {
            None | Some(Json::Null) => None,
            Some(result) => Some(Box::new(AuthenticationResult {
                access_token: optional_string(result, "AccessToken")?.ok_or_else(|| {
                    Error::bad_response("AuthenticationResult has no AccessToken")
                })?,
                id_token: optional_string(result, "IdToken")?,
                refresh_token: optional_string(result, "RefreshToken")?,
                expires_in: result.get("ExpiresIn").and_then(Json::as_u64),
                new_device_metadata: read_new_device_metadata(result),
            })),
        };
        Ok(AuthResponse {
            challenge_name: optional_string(&json, "ChallengeName")?,
            session: optional_string(&json, "Session")?,
            challenge_parameters,
            authentication_result,
            available_challenges: json
                .get("AvailableChallenges")
                .and_then(Json::as_string_list)
                .unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(endpoint: Option<&str>) -> Result<ClientConfig> {
        ClientConfig::new("eu-west-1_Pool", "client", None, None, endpoint)
    }

    #[test]
    fn endpoint_comes_from_the_pool_region() {
        assert_eq!(
            config(None).unwrap().endpoint(),
            "https://cognito-idp.eu-west-1.amazonaws.com/"
        );
        assert_eq!(
            config(Some("http://127.0.0.1:9229")).unwrap().endpoint(),
            "http://127.0.0.1:9229"
        );
        assert_eq!(config(None).unwrap().pool_name(), "Pool");
    }

    #[test]
    fn bad_settings_are_refused_before_any_request() {
        for (pool, client, endpoint) in [
            ("nopart", "c", None),
            ("_Pool", "c", None),
            ("eu-west-1_", "c", None),
            ("eu-west-1_Pool", "", None),
            ("eu-west-1_Pool", "c", Some("ftp://x")),
            ("EU WEST_Pool", "c", None),
        ] {
            let err = ClientConfig::new(pool, client, None, None, endpoint)
                .err()
                .unwrap();
            assert_eq!(
                err.name(),
                "ValidationError",
                "{pool} {client} {endpoint:?}"
            );
        }
    }

    #[test]
    fn request_carries_target_and_json() {
        let config = config(None).unwrap();
        let request = config.request("RevokeToken", &revoke_token("t", "c", None));
        assert_eq!(&*request.body, r#"{"Token":"t","ClientId":"c"}"#);
        assert!(request.headers().contains(&(
            "X-Amz-Target",
            "AWSCognitoIdentityProviderService.RevokeToken"
        )));
        assert!(request
            .headers()
            .contains(&("Content-Type", "application/x-amz-json-1.1")));
    }

    fn response(status: u16, error_type: Option<&str>, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            error_type: error_type.map(str::to_owned),
            body: body.to_owned(),
        }
    }

    #[test]
    fn service_errors_keep_the_name_after_the_last_hash() {
        let err = response(
            400,
            None,
            r#"{"__type":"com.amazonaws.cognito.identity.idp.model#NotAuthorizedException","message":"Incorrect username or password."}"#,
        )
        .json()
        .err()
        .unwrap();
        assert_eq!(err.name(), "NotAuthorizedException");
        assert_eq!(err.message(), "Incorrect username or password.");
    }

    #[test]
    fn header_names_the_error_when_the_body_is_not_json() {
        let err = response(400, Some("UserNotFoundException:"), "<html>")
            .json()
            .err()
            .unwrap();
        assert_eq!(err.name(), "UserNotFoundException");
        let err = response(502, None, "Bad Gateway").json().err().unwrap();
        assert_eq!(err.name(), "InvalidServerResponse");
        assert!(err.message().contains("HTTP 502"));
    }

    #[test]
    fn a_name_that_is_no_exception_name_names_no_error() {
        let long = [
            "{\"__type\":\"",
            &"E".repeat(MAX_NAME + 1),
            "\",\"message\":\"m\"}",
        ]
        .concat();
        for body in [
            r#"{"__type":"Not an exception","message":"m"}"#,
            r#"{"__type":"","message":"m"}"#,
            &long,
        ] {
            let err = response(400, None, body).json().err().unwrap();
            assert_eq!(err.name(), "InvalidServerResponse", "{body}");
            assert!(err.message().contains("HTTP 400 without a Cognito error"));
        }
        let longest = ["{\"__type\":\"", &"E".repeat(MAX_NAME), "\"}"].concat();
        assert_eq!(
            response(400, None, &longest)
                .json()
                .err()
                .unwrap()
                .name()
                .len(),
            MAX_NAME
        );
    }

    #[test]
    fn an_empty_message_is_none() {
        let err = response(
            400,
            None,
            r#"{"__type":"NotAuthorizedException","message":" "}"#,
        )
        .json()
        .err()
        .unwrap();
        assert_eq!(err.message(), "the service answered NotAuthorizedException");
    }

    #[test]
    fn success_that_is_not_json_is_an_invalid_response() {
        let err = response(200, None, "hello").json().err().unwrap();
        assert_eq!(err.name(), "InvalidServerResponse");
    }
}
