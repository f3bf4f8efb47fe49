//! The server-side (IAM-signed) API as data: the six operations of
//! `CognitoAdmin`, their input shapes (AWS field names, as the AWS SDK v3
//! commands take them) with every documented validation rule checked before
//! anything is sent, the SigV4-signed HTTP request, and the output checks.
//! Plain Rust: the admin wasm module's bindings and the local endpoint both
//! use it, and `cargo test` runs it natively.

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::error::{Error, Result};
use crate::json::Json;
use crate::protocol::HttpResponse;
use crate::sigv4::{self, Credentials};

/// The operations of `CognitoAdmin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    AdminInitiateAuth,
    AdminRespondToAuthChallenge,
    InitiateAuth,
    CreateUserPoolClient,
    DescribeUserPoolClient,
    UpdateUserPoolClient,
}

impl Operation {
    pub const ALL: [Operation; 6] = [
        Operation::AdminInitiateAuth,
        Operation::AdminRespondToAuthChallenge,
        Operation::InitiateAuth,
        Operation::CreateUserPoolClient,
        Operation::DescribeUserPoolClient,
        Operation::UpdateUserPoolClient,
    ];

    /// The X-Amz-Target operation name.
    pub fn name(self) -> &'static str {
        match self {
            Operation::AdminInitiateAuth => "AdminInitiateAuth",
            Operation::AdminRespondToAuthChallenge => "AdminRespondToAuthChallenge",
            Operation::InitiateAuth => "InitiateAuth",
            Operation::CreateUserPoolClient => "CreateUserPoolClient",
            Operation::DescribeUserPoolClient => "DescribeUserPoolClient",
            Operation::UpdateUserPoolClient => "UpdateUserPoolClient",
        }
    }

    /// The JS method name (camelCase), used in messages.
    pub fn method(self) -> &'static str {
        match self {
            Operation::AdminInitiateAuth => "adminInitiateAuth",
            Operation::AdminRespondToAuthChallenge => "adminRespondToAuthChallenge",
            Operation::InitiateAuth => "initiateAuth",
            Operation::CreateUserPoolClient => "createUserPoolClient",
            Operation::DescribeUserPoolClient => "describeUserPoolClient",
            Operation::UpdateUserPoolClient => "updateUserPoolClient",
        }
    }

    fn shape(self) -> &'static [Field] {
        match self {
            Operation::AdminInitiateAuth => ADMIN_INITIATE_AUTH,
            Operation::AdminRespondToAuthChallenge => ADMIN_RESPOND_TO_AUTH_CHALLENGE,
            Operation::InitiateAuth => INITIATE_AUTH,
            Operation::CreateUserPoolClient => CREATE_USER_POOL_CLIENT,
            Operation::DescribeUserPoolClient => DESCRIBE_USER_POOL_CLIENT,
            Operation::UpdateUserPoolClient => UPDATE_USER_POOL_CLIENT,
        }
    }
}

// ---- input shapes ---------------------------------------------------------

/// What a member holds.
#[derive(Clone, Copy)]
enum Kind {
    Str,
    Bool,
    /// A whole number in this inclusive range.
    Int(u64, u64),
    /// A string list of at most this many entries.
    StrList(usize),
    /// An object of string members.
    StrMap,
    Enum(&'static [&'static str]),
    EnumList(&'static [&'static str]),
    Object(&'static [Field]),
    ObjectList(&'static [Field]),
}

struct Field {
    name: &'static str,
    kind: Kind,
    required: bool,
}

const fn req(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        required: true,
    }
}

const fn opt(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        required: false,
    }
}

/// Every AuthFlow value of the API.
pub const AUTH_FLOWS: &[&str] = &[
    "USER_SRP_AUTH",
    "REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN",
    "CUSTOM_AUTH",
    "ADMIN_NO_SRP_AUTH",
    "USER_PASSWORD_AUTH",
    "ADMIN_USER_PASSWORD_AUTH",
    "USER_AUTH",
];
/// The AuthFlow values AdminInitiateAuth takes.
pub const ADMIN_AUTH_FLOWS: &[&str] = &[
    "ADMIN_USER_PASSWORD_AUTH",
    "ADMIN_NO_SRP_AUTH",
    "USER_SRP_AUTH",
    "REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN",
    "CUSTOM_AUTH",
    "USER_AUTH",
];
/// Every ChallengeName value of the API.
pub const CHALLENGE_NAMES: &[&str] = &[
    "SMS_MFA",
    "EMAIL_OTP",
    "SOFTWARE_TOKEN_MFA",
    "SELECT_MFA_TYPE",
    "MFA_SETUP",
    "PASSWORD_VERIFIER",
    "CUSTOM_CHALLENGE",
    "SELECT_CHALLENGE",
    "DEVICE_SRP_AUTH",
    "DEVICE_PASSWORD_VERIFIER",
    "ADMIN_NO_SRP_AUTH",
    "NEW_PASSWORD_REQUIRED",
    "SMS_OTP",
    "PASSWORD",
    "WEB_AUTHN",
    "PASSWORD_SRP",
];
pub const ALLOW_AUTH_FLOWS: &[&str] = &[
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
];
pub const LEGACY_AUTH_FLOWS: &[&str] = &[
    "ADMIN_NO_SRP_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY",
    "USER_PASSWORD_AUTH",
];
const EXPLICIT_AUTH_FLOWS: &[&str] = &[
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
    "ADMIN_NO_SRP_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY",
    "USER_PASSWORD_AUTH",
];
pub const OAUTH_FLOWS: &[&str] = &["code", "implicit", "client_credentials"];
const TIME_UNITS: &[&str] = &["seconds", "minutes", "hours", "days"];

const ANALYTICS_METADATA: &[Field] = &[opt("AnalyticsEndpointId", Kind::Str)];
const HTTP_HEADER: &[Field] = &[opt("headerName", Kind::Str), opt("headerValue", Kind::Str)];
const CONTEXT_DATA: &[Field] = &[
    req("IpAddress", Kind::Str),
    req("ServerName", Kind::Str),
    req("ServerPath", Kind::Str),
    req("HttpHeaders", Kind::ObjectList(HTTP_HEADER)),
    opt("EncodedData", Kind::Str),
];
const USER_CONTEXT_DATA: &[Field] = &[opt("IpAddress", Kind::Str), opt("EncodedData", Kind::Str)];
const TOKEN_VALIDITY_UNITS: &[Field] = &[
    opt("AccessToken", Kind::Enum(TIME_UNITS)),
    opt("IdToken", Kind::Enum(TIME_UNITS)),
    opt("RefreshToken", Kind::Enum(TIME_UNITS)),
];
const ANALYTICS_CONFIGURATION: &[Field] = &[
    opt("ApplicationId", Kind::Str),
    opt("ApplicationArn", Kind::Str),
    opt("RoleArn", Kind::Str),
    opt("ExternalId", Kind::Str),
    opt("UserDataShared", Kind::Bool),
];

const ADMIN_INITIATE_AUTH: &[Field] = &[
    req("UserPoolId", Kind::Str),
    req("ClientId", Kind::Str),
    req("AuthFlow", Kind::Enum(ADMIN_AUTH_FLOWS)),
    opt("AuthParameters", Kind::StrMap),
    opt("ClientMetadata", Kind::StrMap),
    opt("AnalyticsMetadata", Kind::Object(ANALYTICS_METADATA)),
    opt("ContextData", Kind::Object(CONTEXT_DATA)),
];
const ADMIN_RESPOND_TO_AUTH_CHALLENGE: &[Field] = &[
    req("UserPoolId", Kind::Str),
    req("ClientId", Kind::Str),
    req("ChallengeName", Kind::Enum(CHALLENGE_NAMES)),
    opt("ChallengeResponses", Kind::StrMap),
    opt("Session", Kind::Str),
    opt("ClientMetadata", Kind::StrMap),
    opt("AnalyticsMetadata", Kind::Object(ANALYTICS_METADATA)),
    opt("ContextData", Kind::Object(CONTEXT_DATA)),
];
const INITIATE_AUTH: &[Field] = &[
    req("AuthFlow", Kind::Enum(AUTH_FLOWS)),
    req("ClientId", Kind::Str),
    opt("AuthParameters", Kind::StrMap),
    opt("ClientMetadata", Kind::StrMap),
    opt("AnalyticsMetadata", Kind::Object(ANALYTICS_METADATA)),
    opt("UserContextData", Kind::Object(USER_CONTEXT_DATA)),
];

/// The settings shared by Create and UpdateUserPoolClient.
macro_rules! client_settings {
    ($($extra:expr),*) => {
        &[
            req("UserPoolId", Kind::Str),
            $($extra,)*
            opt("RefreshTokenValidity", Kind::Int(0, 315_360_000)),
            opt("AccessTokenValidity", Kind::Int(1, 86_400)),
            opt("IdTokenValidity", Kind::Int(1, 86_400)),
            opt("TokenValidityUnits", Kind::Object(TOKEN_VALIDITY_UNITS)),
            opt("ReadAttributes", Kind::StrList(usize::MAX)),
            opt("WriteAttributes", Kind::StrList(usize::MAX)),
            opt("ExplicitAuthFlows", Kind::EnumList(EXPLICIT_AUTH_FLOWS)),
            opt("SupportedIdentityProviders", Kind::StrList(usize::MAX)),
            opt("CallbackURLs", Kind::StrList(100)),
            opt("LogoutURLs", Kind::StrList(100)),
            opt("DefaultRedirectURI", Kind::Str),
            opt("AllowedOAuthFlows", Kind::EnumList(OAUTH_FLOWS)),
            opt("AllowedOAuthScopes", Kind::StrList(50)),
            opt("AllowedOAuthFlowsUserPoolClient", Kind::Bool),
            opt("AnalyticsConfiguration", Kind::Object(ANALYTICS_CONFIGURATION)),
            opt("PreventUserExistenceErrors", Kind::Enum(&["LEGACY", "ENABLED"])),
            opt("EnableTokenRevocation", Kind::Bool),
            opt("EnablePropagateAdditionalUserContextData", Kind::Bool),
            opt("AuthSessionValidity", Kind::Int(3, 15)),
        ]
    };
}
const CREATE_USER_POOL_CLIENT: &[Field] = client_settings!(
    req("ClientName", Kind::Str),
    opt("GenerateSecret", Kind::Bool)
);
const UPDATE_USER_POOL_CLIENT: &[Field] =
    client_settings!(req("ClientId", Kind::Str), opt("ClientName", Kind::Str));
const DESCRIBE_USER_POOL_CLIENT: &[Field] =
    &[req("UserPoolId", Kind::Str), req("ClientId", Kind::Str)];

fn invalid(op: Operation, message: impl core::fmt::Display) -> Error {
    Error::Validation(format!("{}: {message}", op.method()))
}

fn check_fields(op: Operation, path: &str, value: &Json, fields: &[Field]) -> Result<()> {
    let Json::Object(members) = value else {
        return Err(invalid(op, format!("{path} must be an object")));
    };
    let at = |name: &str| {
        if path.is_empty() {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        }
    };
    for (name, _) in members {
        if !fields.iter().any(|f| f.name == name) {
            let known: Vec<&str> = fields.iter().map(|f| f.name).collect();
            return Err(invalid(
                op,
                format!(
                    "unknown field {}; the fields are {}",
                    at(name),
                    known.join(", ")
                ),
            ));
        }
    }
    for field in fields {
        match value.get(field.name) {
            None | Some(Json::Null) if field.required => {
                return Err(invalid(op, format!("{} is required", at(field.name))))
            }
            None | Some(Json::Null) => {}
            Some(member) => check_kind(op, &at(field.name), member, field.kind)?,
        }
    }
    Ok(())
}

fn check_kind(op: Operation, path: &str, value: &Json, kind: Kind) -> Result<()> {
    let fail = |what: &str| Err(invalid(op, format!("{path} must be {what}")));
    match kind {
        Kind::Str => match value {
            Json::String(_) => Ok(()),
            _ => fail("a string"),
        },
        Kind::Bool => match value {
            Json::Bool(_) => Ok(()),
            _ => fail("true or false"),
        },
        Kind::Int(min, max) => match value.as_u64() {
            Some(n) if (min..=max).contains(&n) => Ok(()),
            _ => fail(&format!("a whole number from {min} to {max}")),
        },
        Kind::StrList(max) => match value.as_string_list() {
            Some(list) if list.len() <= max => Ok(()),
            Some(_) => fail(&format!("a list of at most {max} entries")),
            None => fail("an array of strings"),
        },
        Kind::StrMap => match value.as_string_map() {
            Some(_) => Ok(()),
            None => fail("an object whose values are strings"),
        },
        Kind::Enum(values) => match value.as_str() {
            Some(s) if values.contains(&s) => Ok(()),
            _ => fail(&format!("one of {}", values.join(", "))),
        },
        Kind::EnumList(values) => match value.as_string_list() {
            Some(list) if list.iter().all(|s| values.contains(&s.as_str())) => Ok(()),
            _ => fail(&format!("an array of {}", values.join(", "))),
        },
        Kind::Object(fields) => check_fields(op, path, value, fields),
        Kind::ObjectList(fields) => match value {
            Json::Array(items) => items
                .iter()
                .enumerate()
                .try_for_each(|(i, item)| check_fields(op, &format!("{path}[{i}]"), item, fields)),
            _ => fail("an array of objects"),
        },
    }
}

fn str_member<'a>(value: &'a Json, name: &str) -> Option<&'a str> {
    value.get(name).and_then(Json::as_str)
}

fn list_member(value: &Json, name: &str) -> Vec<String> {
    value
        .get(name)
        .and_then(Json::as_string_list)
        .unwrap_or_default()
}

/// Checks `input` against the shape of `op` and every documented rule.
/// Nothing is sent when this fails.
pub fn validate(op: Operation, input: &Json) -> Result<()> {
    check_fields(op, "input", input, op.shape()).map_err(|e| match e {
        // The top-level object is the call's argument, not "input.X".
        Error::Validation(m) => Error::Validation(m.replace("input.", "")),
        other => other,
    })?;
    if let Some(id) = str_member(input, "UserPoolId") {
        check_user_pool_id(op, id)?;
    }
    if let Some(id) = str_member(input, "ClientId") {
        check_pattern(op, "ClientId", id, 128, |c| {
            c.is_ascii_alphanumeric() || c == '_' || c == '+'
        })?;
    }
    match op {
        Operation::AdminInitiateAuth | Operation::InitiateAuth => check_auth_flow(op, input),
        Operation::CreateUserPoolClient | Operation::UpdateUserPoolClient => {
            check_client_settings(op, input)
        }
        Operation::AdminRespondToAuthChallenge | Operation::DescribeUserPoolClient => Ok(()),
    }
}

fn check_pattern(
    op: Operation,
    name: &str,
    value: &str,
    max: usize,
    allowed: impl Fn(char) -> bool,
) -> Result<()> {
    if value.is_empty() || value.chars().count() > max || !value.chars().all(allowed) {
        return Err(invalid(
            op,
            format!("{name} {value:?} is not a valid {name} (1 to {max} characters)"),
        ));
    }
    Ok(())
}

/// `<region>_<alphanumeric>`, at most 55 characters.
fn check_user_pool_id(op: Operation, id: &str) -> Result<()> {
    let valid = id.len() <= 55
        && id.rsplit_once('_').is_some_and(|(region, name)| {
            !region.is_empty()
                && region
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
                && !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric())
        });
    if valid {
        Ok(())
    } else {
        Err(invalid(
            op,
            format!("UserPoolId {id:?} is not a user pool id (<region>_<id>, as us-east-1_AbC123)"),
        ))
    }
}

/// The AuthParameters each flow needs.
pub fn required_auth_parameters(flow: &str) -> &'static [&'static str] {
    match flow {
        "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH" | "USER_PASSWORD_AUTH" => {
            &["USERNAME", "PASSWORD"]
        }
        "USER_SRP_AUTH" => &["USERNAME", "SRP_A"],
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => &["REFRESH_TOKEN"],
        "CUSTOM_AUTH" | "USER_AUTH" => &["USERNAME"],
        _ => &[],
    }
}

fn check_auth_flow(op: Operation, input: &Json) -> Result<()> {
    let flow = str_member(input, "AuthFlow").unwrap_or_default();
    if op == Operation::InitiateAuth && flow.starts_with("ADMIN_") {
        return Err(invalid(
            op,
            format!(
                "AuthFlow {flow} is not valid for InitiateAuth; it exists only for \
                 AdminInitiateAuth (use adminInitiateAuth)"
            ),
        ));
    }
    let params = input
        .get("AuthParameters")
        .and_then(Json::as_string_map)
        .unwrap_or_default();
    for name in required_auth_parameters(flow) {
        if !params.iter().any(|(k, _)| k == name) {
            return Err(invalid(
                op,
                format!("AuthParameters.{name} is required with AuthFlow {flow}"),
            ));
        }
    }
    Ok(())
}

/// The rules for an app client's settings (CreateUserPoolClient and
/// UpdateUserPoolClient).
pub fn check_client_settings(op: Operation, input: &Json) -> Result<()> {
    if let Some(name) = str_member(input, "ClientName") {
        check_pattern(op, "ClientName", name, 128, |c| {
            c.is_alphanumeric() || c.is_whitespace() || "_+=,.@-".contains(c)
        })?;
    }
    check_explicit_auth_flows(
        &list_member(input, "ExplicitAuthFlows")
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    )
    .map_err(|m| invalid(op, m))?;
    let callbacks = list_member(input, "CallbackURLs");
    for (field, urls) in [
        ("CallbackURLs", &callbacks),
        ("LogoutURLs", &list_member(input, "LogoutURLs")),
    ] {
        for url in urls.iter() {
            check_redirect_url(url).map_err(|m| invalid(op, format!("{field}: {m}")))?;
        }
    }
    if let Some(default) = str_member(input, "DefaultRedirectURI") {
        check_redirect_url(default).map_err(|m| invalid(op, format!("DefaultRedirectURI: {m}")))?;
        if !callbacks.iter().any(|u| u == default) {
            return Err(invalid(
                op,
                format!("DefaultRedirectURI {default} must be one of the CallbackURLs"),
            ));
        }
    }
    for scope in list_member(input, "AllowedOAuthScopes") {
        let valid = (1..=256).contains(&scope.len())
            && scope
                .bytes()
                .all(|b| b == 0x21 || (0x23..=0x5B).contains(&b) || (0x5D..=0x7E).contains(&b));
        if !valid {
            return Err(invalid(
                op,
                format!(
                    "AllowedOAuthScopes: {scope:?} is not a scope (1 to 256 printable \
                     characters without spaces, quotes or backslashes)"
                ),
            ));
        }
    }
    let oauth_flows = list_member(input, "AllowedOAuthFlows");
    if oauth_flows.iter().any(|f| f == "client_credentials")
        && oauth_flows.iter().any(|f| f != "client_credentials")
    {
        return Err(invalid(
            op,
            "AllowedOAuthFlows: client_credentials cannot be combined with code or implicit",
        ));
    }
    let oauth_client = matches!(
        input.get("AllowedOAuthFlowsUserPoolClient"),
        Some(Json::Bool(true))
    );
    if !oauth_client {
        for field in ["AllowedOAuthFlows", "AllowedOAuthScopes"] {
            if !list_member(input, field).is_empty() {
                return Err(invalid(
                    op,
                    format!("{field} needs AllowedOAuthFlowsUserPoolClient: true"),
                ));
            }
        }
    } else if oauth_flows.is_empty() {
        return Err(invalid(
            op,
            "AllowedOAuthFlowsUserPoolClient: true needs at least one AllowedOAuthFlows value",
        ));
    }
    check_token_validity(op, input)
}

/// ALLOW_ names or legacy names, never both.
pub fn check_explicit_auth_flows(flows: &[&str]) -> core::result::Result<(), String> {
    let legacy: Vec<&str> = flows
        .iter()
        .copied()
        .filter(|f| LEGACY_AUTH_FLOWS.contains(f))
        .collect();
    let allow = flows.iter().any(|f| f.starts_with("ALLOW_"));
    if allow && !legacy.is_empty() {
        return Err(format!(
            "ExplicitAuthFlows mixes ALLOW_ values with the legacy {}; use only ALLOW_ values \
             (ALLOW_ADMIN_USER_PASSWORD_AUTH, ALLOW_USER_PASSWORD_AUTH, ALLOW_CUSTOM_AUTH, ...)",
            legacy.join(", ")
        ));
    }
    Ok(())
}

/// A redirect URL: absolute, no fragment, HTTPS except `http://localhost`.
pub fn check_redirect_url(url: &str) -> core::result::Result<(), String> {
    if url.is_empty() || url.len() > 1024 {
        return Err(format!("{url:?} must be 1 to 1024 characters"));
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(format!("{url} is not an absolute URL (scheme://host/...)"));
    };
    let valid_scheme = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if !valid_scheme || rest.is_empty() {
        return Err(format!("{url} is not an absolute URL (scheme://host/...)"));
    }
    if url.contains('#') {
        return Err(format!("{url} must not contain a fragment (#...)"));
    }
    let host = rest
        .split(['/', '?'])
        .next()
        .unwrap_or_default()
        .rsplit('@')
        .next()
        .unwrap_or_default();
    let host_name = host.split(':').next().unwrap_or_default();
    match scheme.to_ascii_lowercase().as_str() {
        "https" if !host_name.is_empty() => Ok(()),
        "http" if host_name.eq_ignore_ascii_case("localhost") => Ok(()),
        "http" => Err(format!(
            "{url} must use https (http is allowed only for http://localhost)"
        )),
        // Native apps' custom schemes (myapp://callback) are allowed.
        "https" => Err(format!("{url} has no host")),
        _ => Ok(()),
    }
}

/// Seconds per unit of `TokenValidityUnits`.
fn unit_seconds(unit: &str) -> u64 {
    match unit {
        "seconds" => 1,
        "minutes" => 60,
        "hours" => 3600,
        _ => 86_400,
    }
}

/// The token lifetimes in seconds given by `input` (with the default units:
/// days for the refresh token, hours for the others); `None` where absent.
pub fn token_validity_seconds(input: &Json) -> [Option<u64>; 3] {
    let units = input.get("TokenValidityUnits");
    let unit = |name: &str, default: &str| {
        unit_seconds(
            units
                .and_then(|u| u.get(name))
                .and_then(Json::as_str)
                .unwrap_or(default),
        )
    };
    let value = |name: &str| input.get(name).and_then(Json::as_u64);
    [
        value("AccessTokenValidity").map(|v| v * unit("AccessToken", "hours")),
        value("IdTokenValidity").map(|v| v * unit("IdToken", "hours")),
        value("RefreshTokenValidity").map(|v| v * unit("RefreshToken", "days")),
    ]
}

fn check_token_validity(op: Operation, input: &Json) -> Result<()> {
    let [access, id, refresh] = token_validity_seconds(input);
    for (field, seconds) in [("AccessTokenValidity", access), ("IdTokenValidity", id)] {
        if let Some(s) = seconds {
            if !(300..=86_400).contains(&s) {
                return Err(invalid(
                    op,
                    format!(
                        "{field} must be between 5 minutes and 1 day (in TokenValidityUnits, \
                         hours by default)"
                    ),
                ));
            }
        }
    }
    if let Some(s) = refresh {
        // 0 means the default (30 days).
        if s != 0 && !(3600..=3650 * 86_400).contains(&s) {
            return Err(invalid(
                op,
                "RefreshTokenValidity must be between 60 minutes and 10 years (in \
                 TokenValidityUnits, days by default)",
            ));
        }
    }
    Ok(())
}

// ---- the client and its requests -------------------------------------------

/// `CognitoAdmin`'s options: region, credentials and endpoint.
#[derive(Debug, Clone)]
pub struct AdminConfig {
    region: String,
    credentials: Credentials,
    url: String,
    host: String,
    path: String,
}

/// A request ready for `fetch`: the headers include `Authorization` but not
/// `Host` (which `fetch` sets to the value signed here).
#[derive(Debug)]
pub struct SignedRequest {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl AdminConfig {
    pub fn new(region: &str, credentials: Credentials, endpoint: Option<&str>) -> Result<Self> {
        let valid_region = !region.is_empty()
            && region
                .bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-');
        if !valid_region {
            return Err(Error::Validation(format!(
                "region {region:?} is not an AWS region name such as us-east-1"
            )));
        }
        if credentials.access_key_id.is_empty() || credentials.secret_access_key.is_empty() {
            return Err(Error::Validation(
                "credentials need accessKeyId and secretAccessKey (and sessionToken for \
                 temporary credentials)"
                    .into(),
            ));
        }
        let url = endpoint.map_or_else(
            || format!("https://cognito-idp.{region}.amazonaws.com/"),
            str::to_owned,
        );
        let (host, path) = split_url(&url)?;
        Ok(AdminConfig {
            region: region.to_owned(),
            credentials,
            url,
            host,
            path,
        })
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    /// Validates `input`, then builds the signed request at `unix_seconds`.
    pub fn request(&self, op: Operation, input: &Json, unix_seconds: u64) -> Result<SignedRequest> {
        validate(op, input)?;
        let body = input.to_text();
        let amz_date = sigv4::amz_date(unix_seconds);
        let mut headers = vec![
            ("Host".to_owned(), self.host.clone()),
            (
                "Content-Type".to_owned(),
                "application/x-amz-json-1.1".to_owned(),
            ),
            (
                "X-Amz-Target".to_owned(),
                format!("AWSCognitoIdentityProviderService.{}", op.name()),
            ),
            ("X-Amz-Date".to_owned(), amz_date.clone()),
        ];
        if let Some(token) = &self.credentials.session_token {
            headers.push(("X-Amz-Security-Token".to_owned(), token.clone()));
        }
        let authorization = sigv4::authorization(
            &sigv4::Request {
                method: "POST",
                path: &self.path,
                query: "",
                headers: &headers,
                body: body.as_bytes(),
            },
            &self.credentials,
            &self.region,
            sigv4::SERVICE,
            &amz_date,
        );
        headers.remove(0);
        headers.push(("Authorization".to_owned(), authorization));
        Ok(SignedRequest {
            url: self.url.clone(),
            headers,
            body,
        })
    }
}

/// `http(s)://host[:port][/path]` -> (host as `fetch` sends it, path).
fn split_url(url: &str) -> Result<(String, String)> {
    let bad = || {
        Error::Validation(format!(
            "endpoint {url:?} is not an http(s) URL without query or fragment, such as \
             https://cognito-idp.us-east-1.amazonaws.com"
        ))
    };
    let (scheme, rest) = url.split_once("://").ok_or_else(bad)?;
    let default_port = match scheme {
        "https" => ":443",
        "http" => ":80",
        _ => return Err(bad()),
    };
    if rest.contains(['?', '#']) {
        return Err(bad());
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if authority.is_empty() || authority.contains('@') {
        return Err(bad());
    }
    let host = authority
        .strip_suffix(default_port)
        .unwrap_or(authority)
        .to_ascii_lowercase();
    Ok((host, path.to_owned()))
}

/// The output of `op` from the service's answer: its JSON (AWS field names),
/// or the service error. Date members are epoch seconds here; the bindings
/// turn the [`DATE_FIELDS`] into JS `Date`s.
pub fn read_output(op: Operation, response: &HttpResponse) -> Result<Json> {
    let json = response.json()?;
    if !matches!(json, Json::Object(_)) {
        return Err(Error::InvalidServerResponse(format!(
            "{} answered with something other than a JSON object",
            op.name()
        )));
    }
    match op {
        Operation::CreateUserPoolClient
        | Operation::DescribeUserPoolClient
        | Operation::UpdateUserPoolClient => {
            let client = json.get("UserPoolClient");
            if !matches!(client, Some(Json::Object(_)))
                || client.and_then(|c| str_member(c, "ClientId")).is_none()
            {
                return Err(Error::InvalidServerResponse(format!(
                    "{} answered without UserPoolClient.ClientId",
                    op.name()
                )));
            }
        }
        _ => {
            let challenge_ok = match json.get("ChallengeName") {
                None | Some(Json::Null) => true,
                Some(name) => name.as_str().is_some(),
            };
            let result_ok = matches!(
                json.get("AuthenticationResult"),
                None | Some(Json::Null) | Some(Json::Object(_))
            );
            if !challenge_ok
                || !result_ok
                || json.get("ChallengeName").is_none() && !has_result(&json)
            {
                return Err(Error::InvalidServerResponse(format!(
                    "{} answered with neither a ChallengeName nor an AuthenticationResult",
                    op.name()
                )));
            }
        }
    }
    Ok(json)
}

fn has_result(json: &Json) -> bool {
    matches!(json.get("AuthenticationResult"), Some(Json::Object(_)))
}

/// Members holding epoch seconds that JS receives as `Date`.
pub const DATE_FIELDS: [&str; 2] = ["CreationDate", "LastModifiedDate"];

/// IAM keys must never ship to a browser: refuse where `window` exists
/// unless the caller opted in.
pub fn check_runtime(has_window: bool, allow_browser: bool) -> Result<()> {
    if has_window && !allow_browser {
        return Err(Error::Validation(
            "CognitoAdmin signs with IAM credentials and must not run in a browser (a global \
             `window` exists). Call the admin API from a back end; pass allowBrowser: true only \
             for a trusted, non-public page."
                .into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Json {
        Json::parse(text).unwrap()
    }

    fn refused(op: Operation, text: &str) -> String {
        match validate(op, &json(text)) {
            Err(Error::Validation(m)) => m,
            other => panic!("{text}: expected a ValidationError, got {other:?}"),
        }
    }

    const POOL: &str = r#""UserPoolId":"us-east-1_Pool1""#;

    #[test]
    fn admin_initiate_auth_shape() {
        let ok = format!(
            r#"{{{POOL},"ClientId":"c1","AuthFlow":"ADMIN_USER_PASSWORD_AUTH",
            "AuthParameters":{{"USERNAME":"u","PASSWORD":"p","SECRET_HASH":"h","DEVICE_KEY":"d"}},
            "ClientMetadata":{{"k":"v"}},"AnalyticsMetadata":{{"AnalyticsEndpointId":"e"}},
            "ContextData":{{"IpAddress":"1.2.3.4","ServerName":"s","ServerPath":"/p",
            "HttpHeaders":[{{"headerName":"a","headerValue":"b"}}],"EncodedData":"x"}}}}"#
        );
        validate(Operation::AdminInitiateAuth, &json(&ok)).unwrap();
        let m = refused(
            Operation::AdminInitiateAuth,
            &format!(
                r#"{{{POOL},"ClientId":"c1","AuthFlow":"ADMIN_USER_PASSWORD_AUTH",
                "AuthParameters":{{"USERNAME":"u","PASSWORD":"p"}},
                "ContextData":{{"IpAddress":"1.2.3.4","ServerName":"s","HttpHeaders":[]}}}}"#
            ),
        );
        assert!(m.contains("ContextData.ServerPath is required"), "{m}");
        let m = refused(
            Operation::AdminInitiateAuth,
            &format!(
                r#"{{{POOL},"ClientId":"c1","AuthFlow":"ADMIN_USER_PASSWORD_AUTH","AuthParameters":{{"USERNAME":"u"}}}}"#
            ),
        );
        assert!(m.contains("AuthParameters.PASSWORD"), "{m}");
        let m = refused(
            Operation::AdminInitiateAuth,
            &format!(r#"{{{POOL},"ClientId":"c1","AuthFlow":"USER_PASSWORD_AUTH"}}"#),
        );
        assert!(m.contains("AuthFlow must be one of"), "{m}");
        let m = refused(
            Operation::AdminInitiateAuth,
            r#"{"UserPoolId":"nope","ClientId":"c1","AuthFlow":"CUSTOM_AUTH"}"#,
        );
        assert!(m.contains("UserPoolId"), "{m}");
        let m = refused(
            Operation::AdminInitiateAuth,
            &format!(r#"{{{POOL},"ClientID":"c1"}}"#),
        );
        assert!(m.contains("unknown field ClientID"), "{m}");
    }

    #[test]
    fn initiate_auth_refuses_admin_flows() {
        for flow in ["ADMIN_NO_SRP_AUTH", "ADMIN_USER_PASSWORD_AUTH"] {
            let m = refused(
                Operation::InitiateAuth,
                &format!(
                    r#"{{"ClientId":"c1","AuthFlow":"{flow}","AuthParameters":{{"USERNAME":"u","PASSWORD":"p"}}}}"#
                ),
            );
            assert!(m.contains("not valid for InitiateAuth"), "{m}");
        }
        validate(
            Operation::InitiateAuth,
            &json(r#"{"ClientId":"c1","AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{"USERNAME":"u","PASSWORD":"p"},"UserContextData":{"IpAddress":"1.1.1.1","EncodedData":"e"},"AnalyticsMetadata":{"AnalyticsEndpointId":"a"},"ClientMetadata":{}}"#),
        )
        .unwrap();
    }

    #[test]
    fn client_settings_rules() {
        let create = |extra: &str| format!(r#"{{{POOL},"ClientName":"app"{extra}}}"#);
        validate(Operation::CreateUserPoolClient, &json(&create(""))).unwrap();
        validate(
            Operation::CreateUserPoolClient,
            &json(&create(
                r#","GenerateSecret":true,"ExplicitAuthFlows":["ALLOW_ADMIN_USER_PASSWORD_AUTH"],
                "CallbackURLs":["https://a.example/cb","http://localhost:3000/cb"],
                "LogoutURLs":["https://a.example/out"],"DefaultRedirectURI":"http://localhost:3000/cb",
                "AllowedOAuthFlows":["code","implicit"],"AllowedOAuthScopes":["openid","email"],
                "AllowedOAuthFlowsUserPoolClient":true,"RefreshTokenValidity":30,
                "AccessTokenValidity":60,"IdTokenValidity":60,
                "TokenValidityUnits":{"AccessToken":"minutes","IdToken":"minutes","RefreshToken":"days"},
                "ReadAttributes":["email"],"WriteAttributes":["name"],"SupportedIdentityProviders":["COGNITO"],
                "AnalyticsConfiguration":{"ApplicationId":"a","RoleArn":"arn:aws:iam::1:role/r","ExternalId":"x","UserDataShared":true},
                "PreventUserExistenceErrors":"ENABLED","EnableTokenRevocation":true,"AuthSessionValidity":3"#,
            )),
        )
        .unwrap();
        for (extra, expect) in [
            (
                r#","ExplicitAuthFlows":["ALLOW_USER_SRP_AUTH","USER_PASSWORD_AUTH"]"#,
                "mixes ALLOW_",
            ),
            (
                r#","ExplicitAuthFlows":["ALLOW_NOTHING"]"#,
                "ExplicitAuthFlows must be",
            ),
            (
                r#","CallbackURLs":["http://example.com/cb"]"#,
                "must use https",
            ),
            (
                r#","CallbackURLs":["https://example.com/cb#x"]"#,
                "fragment",
            ),
            (r#","CallbackURLs":["/relative"]"#, "absolute"),
            (
                r#","LogoutURLs":["http://127.0.0.1/out"]"#,
                "must use https",
            ),
            (
                r#","CallbackURLs":["https://a.example/cb"],"DefaultRedirectURI":"https://b.example/cb""#,
                "must be one of the CallbackURLs",
            ),
            (
                r#","AllowedOAuthFlows":["code"],"AllowedOAuthScopes":["openid"]"#,
                "needs AllowedOAuthFlowsUserPoolClient",
            ),
            (
                r#","AllowedOAuthFlowsUserPoolClient":true,"AllowedOAuthFlows":["code","client_credentials"]"#,
                "client_credentials",
            ),
            (
                r#","AllowedOAuthFlowsUserPoolClient":true,"AllowedOAuthFlows":["password"]"#,
                "AllowedOAuthFlows must be",
            ),
            (r#","PreventUserExistenceErrors":"ON""#, "LEGACY, ENABLED"),
            (
                r#","RefreshTokenValidity":20,"TokenValidityUnits":{"RefreshToken":"minutes"}"#,
                "60 minutes and 10 years",
            ),
            (
                r#","AccessTokenValidity":2,"TokenValidityUnits":{"AccessToken":"minutes"}"#,
                "5 minutes and 1 day",
            ),
            (r#","IdTokenValidity":25"#, "5 minutes and 1 day"),
            (r#","AuthSessionValidity":20"#, "AuthSessionValidity"),
            (r#","GenerateSecret":"yes""#, "true or false"),
            (r#","ReadAttributes":"email""#, "array of strings"),
            (
                r#","AnalyticsConfiguration":{"UserDataShared":true,"Bogus":1}"#,
                "AnalyticsConfiguration.Bogus",
            ),
        ] {
            let m = refused(Operation::CreateUserPoolClient, &create(extra));
            assert!(m.contains(expect), "{extra}: {m}");
        }
        let m = refused(Operation::CreateUserPoolClient, &format!("{{{POOL}}}"));
        assert!(m.contains("ClientName is required"), "{m}");
        let m = refused(
            Operation::UpdateUserPoolClient,
            &format!(r#"{{{POOL},"ClientId":"c","GenerateSecret":true}}"#),
        );
        assert!(m.contains("unknown field GenerateSecret"), "{m}");
    }

    #[test]
    fn signed_request_headers() {
        let config = AdminConfig::new(
            "eu-west-1",
            Credentials {
                access_key_id: "AKID".into(),
                secret_access_key: "secret".into(),
                session_token: Some("token".into()),
            },
            Some("http://127.0.0.1:9229"),
        )
        .unwrap();
        let input = json(r#"{"UserPoolId":"eu-west-1_P1","ClientId":"c"}"#);
        let request = config
            .request(Operation::DescribeUserPoolClient, &input, 1_573_689_600)
            .unwrap();
        let header = |n: &str| {
            request
                .headers
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(header("Host"), None);
        assert_eq!(header("X-Amz-Date"), Some("20191114T000000Z"));
        assert_eq!(header("X-Amz-Security-Token"), Some("token"));
        let auth = sigv4::parse_authorization(header("Authorization").unwrap()).unwrap();
        assert_eq!(
            auth.signed_headers,
            "content-type;host;x-amz-date;x-amz-security-token;x-amz-target"
        );
        assert_eq!(auth.region, "eu-west-1");
        assert_eq!(
            request.body,
            r#"{"UserPoolId":"eu-west-1_P1","ClientId":"c"}"#
        );
        assert_eq!(
            split_url("https://x.example:443").unwrap(),
            ("x.example".into(), "/".into())
        );
        assert!(split_url("ftp://x").is_err());
        assert!(AdminConfig::new("US East", config.credentials.clone(), None).is_err());
    }

    #[test]
    fn outputs_and_runtime() {
        let ok = HttpResponse {
            status: 200,
            error_type: None,
            body: r#"{"UserPoolClient":{"ClientId":"c","CreationDate":1.5}}"#.into(),
        };
        read_output(Operation::DescribeUserPoolClient, &ok).unwrap();
        assert!(read_output(Operation::AdminInitiateAuth, &ok).is_err());
        let err = HttpResponse {
            status: 400,
            error_type: Some("NotAuthorizedException:".into()),
            body: r#"{"__type":"NotAuthorizedException","message":"no"}"#.into(),
        };
        assert_eq!(
            read_output(Operation::AdminInitiateAuth, &err)
                .unwrap_err()
                .name(),
            "NotAuthorizedException"
        );
        assert!(check_runtime(true, false).is_err());
        assert!(check_runtime(true, true).is_ok());
        assert!(check_runtime(false, false).is_ok());
    }
}
