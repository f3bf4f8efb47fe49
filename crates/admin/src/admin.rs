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

use crate::sigv4::{self, Credentials};
use cognito_core::error::{Error, Result};
use cognito_core::json::Json;
use cognito_core::protocol::HttpResponse;

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
    /// A string of `min..=max` characters.
    Str(usize, usize),
    Bool,
    /// A whole number in this inclusive range.
    Int(u64, u64),
    /// A list of at most `max` strings of `min..=max` characters each.
    StrList(usize, usize, usize),
    /// An object of string members, each a [`TEXT`].
    StrMap,
    Enum(&'static [&'static str]),
    /// A list of at most `max` of these values.
    EnumList(&'static [&'static str], usize),
    Object(&'static [Field]),
    ObjectList(&'static [Field]),
}

/// The service model's StringType: up to 131072 characters.
const TEXT: Kind = Kind::Str(0, TEXT_MAX);
const TEXT_MAX: usize = 131_072;
/// SessionType: 20 to 4096 characters.
const SESSION: Kind = Kind::Str(20, 4096);
/// ArnType: 20 to 2048 characters (the pattern is checked apart).
const ARN: Kind = Kind::Str(20, 2048);
/// RedirectUrlType: 1 to 1024 characters (the rules are checked apart).
const REDIRECT_URL: Kind = Kind::Str(1, 1024);

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
const FEATURE: &[&str] = &["ENABLED", "DISABLED"];

const ANALYTICS_METADATA: &[Field] = &[opt("AnalyticsEndpointId", TEXT)];
const HTTP_HEADER: &[Field] = &[opt("headerName", TEXT), opt("headerValue", TEXT)];
const CONTEXT_DATA: &[Field] = &[
    req("IpAddress", TEXT),
    req("ServerName", TEXT),
    req("ServerPath", TEXT),
    req("HttpHeaders", Kind::ObjectList(HTTP_HEADER)),
    opt("EncodedData", TEXT),
];
const USER_CONTEXT_DATA: &[Field] = &[opt("IpAddress", TEXT), opt("EncodedData", TEXT)];
const TOKEN_VALIDITY_UNITS: &[Field] = &[
    opt("AccessToken", Kind::Enum(TIME_UNITS)),
    opt("IdToken", Kind::Enum(TIME_UNITS)),
    opt("RefreshToken", Kind::Enum(TIME_UNITS)),
];
const ANALYTICS_CONFIGURATION: &[Field] = &[
    opt("ApplicationId", TEXT),
    opt("ApplicationArn", ARN),
    opt("RoleArn", ARN),
    opt("ExternalId", TEXT),
    opt("UserDataShared", Kind::Bool),
];
const REFRESH_TOKEN_ROTATION: &[Field] = &[
    req("Feature", Kind::Enum(FEATURE)),
    opt("RetryGracePeriodSeconds", Kind::Int(0, 60)),
];

const ADMIN_INITIATE_AUTH: &[Field] = &[
    req("UserPoolId", Kind::Str(1, 55)),
    req("ClientId", Kind::Str(1, 128)),
    req("AuthFlow", Kind::Enum(ADMIN_AUTH_FLOWS)),
    opt("AuthParameters", Kind::StrMap),
    opt("ClientMetadata", Kind::StrMap),
    opt("AnalyticsMetadata", Kind::Object(ANALYTICS_METADATA)),
    opt("ContextData", Kind::Object(CONTEXT_DATA)),
    opt("Session", SESSION),
];
const ADMIN_RESPOND_TO_AUTH_CHALLENGE: &[Field] = &[
    req("UserPoolId", Kind::Str(1, 55)),
    req("ClientId", Kind::Str(1, 128)),
    req("ChallengeName", Kind::Enum(CHALLENGE_NAMES)),
    opt("ChallengeResponses", Kind::StrMap),
    opt("Session", SESSION),
    opt("ClientMetadata", Kind::StrMap),
    opt("AnalyticsMetadata", Kind::Object(ANALYTICS_METADATA)),
    opt("ContextData", Kind::Object(CONTEXT_DATA)),
];
const INITIATE_AUTH: &[Field] = &[
    req("AuthFlow", Kind::Enum(AUTH_FLOWS)),
    req("ClientId", Kind::Str(1, 128)),
    opt("AuthParameters", Kind::StrMap),
    opt("ClientMetadata", Kind::StrMap),
    opt("AnalyticsMetadata", Kind::Object(ANALYTICS_METADATA)),
    opt("UserContextData", Kind::Object(USER_CONTEXT_DATA)),
    opt("Session", SESSION),
];

/// The settings shared by Create and UpdateUserPoolClient.
macro_rules! client_settings {
    ($($extra:expr),*) => {
        &[
            req("UserPoolId", Kind::Str(1, 55)),
            $($extra,)*
            opt("RefreshTokenValidity", Kind::Int(0, 315_360_000)),
            opt("AccessTokenValidity", Kind::Int(1, 86_400)),
            opt("IdTokenValidity", Kind::Int(1, 86_400)),
            opt("TokenValidityUnits", Kind::Object(TOKEN_VALIDITY_UNITS)),
            opt("ReadAttributes", Kind::StrList(usize::MAX, 1, 2048)),
            opt("WriteAttributes", Kind::StrList(usize::MAX, 1, 2048)),
            opt("ExplicitAuthFlows", Kind::EnumList(EXPLICIT_AUTH_FLOWS, usize::MAX)),
            opt("SupportedIdentityProviders", Kind::StrList(usize::MAX, 1, 32)),
            opt("CallbackURLs", Kind::StrList(100, 1, 1024)),
            opt("LogoutURLs", Kind::StrList(100, 1, 1024)),
            opt("DefaultRedirectURI", REDIRECT_URL),
            opt("AllowedOAuthFlows", Kind::EnumList(OAUTH_FLOWS, 3)),
            opt("AllowedOAuthScopes", Kind::StrList(50, 1, 256)),
            opt("AllowedOAuthFlowsUserPoolClient", Kind::Bool),
            opt("AnalyticsConfiguration", Kind::Object(ANALYTICS_CONFIGURATION)),
            opt("PreventUserExistenceErrors", Kind::Enum(&["LEGACY", "ENABLED"])),
            opt("EnableTokenRevocation", Kind::Bool),
            opt("EnablePropagateAdditionalUserContextData", Kind::Bool),
            opt("AuthSessionValidity", Kind::Int(3, 15)),
            opt("RefreshTokenRotation", Kind::Object(REFRESH_TOKEN_ROTATION)),
        ]
    };
}
const CREATE_USER_POOL_CLIENT: &[Field] = client_settings!(
    req("ClientName", Kind::Str(1, 128)),
    opt("GenerateSecret", Kind::Bool),
    opt("ClientSecret", Kind::Str(24, 64))
);
const UPDATE_USER_POOL_CLIENT: &[Field] = client_settings!(
    req("ClientId", Kind::Str(1, 128)),
    opt("ClientName", Kind::Str(1, 128))
);
const DESCRIBE_USER_POOL_CLIENT: &[Field] = &[
    req("UserPoolId", Kind::Str(1, 55)),
    req("ClientId", Kind::Str(1, 128)),
];

fn invalid(op: Operation, message: impl core::fmt::Display) -> Error {
    Error::Validation(format!("{}: {message}", op.method()).into())
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
        Kind::Str(min, max) => match value {
            Json::String(s) if (min..=max).contains(&s.chars().count()) => Ok(()),
            Json::String(_) if min == 0 => fail(&format!("at most {max} characters")),
            Json::String(_) => fail(&format!("{min} to {max} characters")),
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
        Kind::StrList(max, min_len, max_len) => match value.as_string_list() {
            Some(list) if list.len() > max => fail(&format!("a list of at most {max} entries")),
            Some(list) => match list
                .iter()
                .position(|s| !(min_len..=max_len).contains(&s.chars().count()))
            {
                Some(i) => Err(invalid(
                    op,
                    format!("{path}[{i}] must be {min_len} to {max_len} characters"),
                )),
                None => Ok(()),
            },
            None => fail("an array of strings"),
        },
        Kind::StrMap => match value.as_string_map() {
            Some(map) => match map.iter().find(|(_, v)| v.chars().count() > TEXT_MAX) {
                Some((key, _)) => Err(invalid(
                    op,
                    format!("{path}.{key} must be at most {TEXT_MAX} characters"),
                )),
                None => Ok(()),
            },
            None => fail("an object whose values are strings"),
        },
        Kind::Enum(values) => match value.as_str() {
            Some(s) if values.contains(&s) => Ok(()),
            _ => fail(&format!("one of {}", values.join(", "))),
        },
        Kind::EnumList(values, max) => match value.as_string_list() {
            Some(list) if list.len() > max => fail(&format!("a list of at most {max} entries")),
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
        Error::Validation(m) => Error::Validation(m.replace("input.", "").into()),
        other => other,
    })?;
    if let Some(id) = str_member(input, "UserPoolId") {
        check_user_pool_id(op, id)?;
    }
    if let Some(id) = str_member(input, "ClientId") {
        check_pattern(op, "ClientId", id, "letters, digits, _ and +", |c| {
            is_word(c) || c == '+'
        })?;
    }
    match op {
        Operation::AdminInitiateAuth | Operation::InitiateAuth => check_auth_flow(op, input),
        Operation::AdminRespondToAuthChallenge => check_challenge_responses(op, input),
        Operation::CreateUserPoolClient | Operation::UpdateUserPoolClient => {
            check_client_settings(op, input)
        }
        Operation::DescribeUserPoolClient => Ok(()),
    }
}

/// `\w` of the service model's patterns (Java regular expressions: ASCII).
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `value` (whose length the shape checked) holds only `allowed` characters.
fn check_pattern(
    op: Operation,
    name: &str,
    value: &str,
    what: &str,
    allowed: impl Fn(char) -> bool,
) -> Result<()> {
    if value.chars().all(allowed) {
        Ok(())
    } else {
        Err(invalid(
            op,
            format!("{name} \"{value}\" may hold only {what}"),
        ))
    }
}

/// `[\w-]+_[0-9a-zA-Z]+`, as `us-east-1_AbC123`.
fn check_user_pool_id(op: Operation, id: &str) -> Result<()> {
    let valid = id.rsplit_once('_').is_some_and(|(region, name)| {
        !region.is_empty()
            && region.chars().all(|c| is_word(c) || c == '-')
            && !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric())
    });
    if valid {
        Ok(())
    } else {
        Err(invalid(
            op,
            format!(
                "UserPoolId \"{id}\" is not a user pool id (<region>_<id>, as us-east-1_AbC123)"
            ),
        ))
    }
}

/// The ChallengeResponses each challenge needs besides USERNAME, which
/// "all of the following challenges require" (AdminRespondToAuthChallenge,
/// ChallengeName and ChallengeResponses in the API reference).
pub fn required_challenge_responses(challenge: &str) -> &'static [&'static str] {
    const CLAIM: &[&str] = &[
        "PASSWORD_CLAIM_SIGNATURE",
        "PASSWORD_CLAIM_SECRET_BLOCK",
        "TIMESTAMP",
    ];
    match challenge {
        "SMS_MFA" => &["SMS_MFA_CODE"],
        "EMAIL_OTP" => &["EMAIL_OTP_CODE"],
        "SMS_OTP" => &["SMS_OTP_CODE"],
        "SOFTWARE_TOKEN_MFA" => &["SOFTWARE_TOKEN_MFA_CODE"],
        "PASSWORD_VERIFIER" => CLAIM,
        "DEVICE_SRP_AUTH" => &["DEVICE_KEY", "SRP_A"],
        "DEVICE_PASSWORD_VERIFIER" => &[
            "DEVICE_KEY",
            "PASSWORD_CLAIM_SIGNATURE",
            "PASSWORD_CLAIM_SECRET_BLOCK",
            "TIMESTAMP",
        ],
        "CUSTOM_CHALLENGE" | "SELECT_MFA_TYPE" | "SELECT_CHALLENGE" => &["ANSWER"],
        "NEW_PASSWORD_REQUIRED" => &["NEW_PASSWORD"],
        "PASSWORD" | "ADMIN_NO_SRP_AUTH" => &["PASSWORD"],
        "PASSWORD_SRP" => &["SRP_A"],
        "WEB_AUTHN" => &["CREDENTIAL"],
        _ => &[],
    }
}

fn check_challenge_responses(op: Operation, input: &Json) -> Result<()> {
    let challenge = str_member(input, "ChallengeName").unwrap_or_default();
    let required = ["USERNAME"]
        .iter()
        .chain(required_challenge_responses(challenge));
    check_keys(
        op,
        input,
        "ChallengeResponses",
        required,
        "ChallengeName",
        challenge,
    )
}

/// Every name in `required` is a key of the string map `input.<map>`, as
/// `<because> <value>` asks.
fn check_keys<'a>(
    op: Operation,
    input: &Json,
    map: &str,
    required: impl IntoIterator<Item = &'a &'static str>,
    because: &str,
    value: &str,
) -> Result<()> {
    let keys = input
        .get(map)
        .and_then(Json::as_string_map)
        .unwrap_or_default();
    for name in required {
        if !keys.iter().any(|(k, _)| k == name) {
            return Err(invalid(
                op,
                format!("{map}.{name} is required with {because} {value}"),
            ));
        }
    }
    Ok(())
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
    let required = required_auth_parameters(flow);
    check_keys(op, input, "AuthParameters", required, "AuthFlow", flow)?;
    // USER_AUTH: "When you provide an ACCESS_TOKEN, you must also provide
    // TARGET_ACR_VALUES."
    let access_token = input
        .get("AuthParameters")
        .is_some_and(|p| p.get("ACCESS_TOKEN").is_some());
    if access_token {
        check_keys(
            op,
            input,
            "AuthParameters",
            &["TARGET_ACR_VALUES"],
            "an",
            "ACCESS_TOKEN",
        )?;
    }
    Ok(())
}

/// The rules for an app client's settings (CreateUserPoolClient and
/// UpdateUserPoolClient).
pub fn check_client_settings(op: Operation, input: &Json) -> Result<()> {
    if let Some(name) = str_member(input, "ClientName") {
        check_pattern(
            op,
            "ClientName",
            name,
            "letters, digits, spaces and _+=,.@-",
            |c| is_word(c) || c.is_ascii_whitespace() || c == '\x0B' || "+=,.@-".contains(c),
        )?;
    }
    check_client_secret(op, input)?;
    check_analytics_configuration(op, input)?;
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
                    "AllowedOAuthScopes: \"{scope}\" is not a scope (printable characters \
                     without spaces, quotes or backslashes)"
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

/// CreateUserPoolClient's secret: GenerateSecret or a ClientSecret of
/// `[\w+]+` ("You cannot specify both GenerateSecret as true and provide a
/// ClientSecret value"); EnablePropagateAdditionalUserContextData "only in an
/// app client that has a client secret" (the endpoint checks that for
/// UpdateUserPoolClient, where the secret is not in the request).
fn check_client_secret(op: Operation, input: &Json) -> Result<()> {
    let generate = matches!(input.get("GenerateSecret"), Some(Json::Bool(true)));
    let custom = str_member(input, "ClientSecret");
    if let Some(secret) = custom {
        if generate {
            return Err(invalid(
                op,
                "give either GenerateSecret: true or a ClientSecret, not both",
            ));
        }
        check_pattern(
            op,
            "ClientSecret",
            secret,
            "letters, digits, _ and +",
            |c| is_word(c) || c == '+',
        )?;
    }
    let propagate = matches!(
        input.get("EnablePropagateAdditionalUserContextData"),
        Some(Json::Bool(true))
    );
    if op == Operation::CreateUserPoolClient && propagate && !generate && custom.is_none() {
        return Err(invalid(
            op,
            "EnablePropagateAdditionalUserContextData: true needs a client secret \
             (GenerateSecret: true or a ClientSecret)",
        ));
    }
    Ok(())
}

/// ApplicationId is a hex string (HexStringType); ApplicationArn and RoleArn
/// are ARNs: `arn:<partition>:<service>:[<region>]:<account>:<resource>`.
fn check_analytics_configuration(op: Operation, input: &Json) -> Result<()> {
    let Some(config) = input.get("AnalyticsConfiguration") else {
        return Ok(());
    };
    if let Some(id) = str_member(config, "ApplicationId") {
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(invalid(
                op,
                format!("AnalyticsConfiguration.ApplicationId \"{id}\" must be hexadecimal"),
            ));
        }
    }
    for field in ["ApplicationArn", "RoleArn"] {
        if let Some(arn) = str_member(config, field) {
            if !is_arn(arn) {
                return Err(invalid(
                    op,
                    format!(
                        "AnalyticsConfiguration.{field} \"{arn}\" is not an ARN \
                         (arn:aws:iam::123456789012:role/name)"
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The ArnType pattern: `arn:P:S:R?:ACCOUNT:RES(:RES)?(:RES)?`, P, S, R and
/// RES of `[\w+=/,.@-]`, ACCOUNT digits.
fn is_arn(arn: &str) -> bool {
    let part = |p: &str| p.chars().all(|c| is_word(c) || "+=/,.@-".contains(c));
    let parts: Vec<&str> = arn.split(':').collect();
    (6..=8).contains(&parts.len())
        && parts[0] == "arn"
        && parts.iter().all(|p| part(p))
        && parts
            .iter()
            .enumerate()
            .all(|(i, p)| i == 3 || !p.is_empty())
        && parts[4].bytes().all(|b| b.is_ascii_digit())
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

/// A redirect URL: absolute, no fragment, and "Amazon Cognito requires
/// HTTPS over HTTP except for callback URLs to http://localhost,
/// http://127.0.0.1 and http://[::1]" (any port); custom schemes
/// (`myapp://callback`) are allowed.
pub fn check_redirect_url(url: &str) -> core::result::Result<(), String> {
    if url.is_empty() || url.chars().count() > 1024 {
        return Err(format!("\"{url}\" must be 1 to 1024 characters"));
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
    // Without the port; an IPv6 address keeps its brackets.
    let host_name = match host.find(']') {
        Some(end) if host.starts_with('[') => &host[..=end],
        _ => host.split(':').next().unwrap_or_default(),
    };
    let loopback = host_name.eq_ignore_ascii_case("localhost")
        || host_name == "127.0.0.1"
        || host_name == "[::1]";
    match scheme.to_ascii_lowercase().as_str() {
        "https" if !host_name.is_empty() => Ok(()),
        "http" if loopback => Ok(()),
        "http" => Err(format!(
            "{url} must use https (http is allowed only for http://localhost, \
             http://127.0.0.1 and http://[::1])"
        )),
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
            return Err(Error::Validation(
                format!("region \"{region}\" is not an AWS region name such as us-east-1").into(),
            ));
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
        Error::Validation(
            format!(
                "endpoint \"{url}\" is not an http(s) URL without query or fragment, such as \
             https://cognito-idp.us-east-1.amazonaws.com"
            )
            .into(),
        )
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
        return Err(Error::InvalidServerResponse(
            format!(
                "{} answered with something other than a JSON object",
                op.name()
            )
            .into(),
        ));
    }
    match op {
        Operation::CreateUserPoolClient
        | Operation::DescribeUserPoolClient
        | Operation::UpdateUserPoolClient => {
            let client = json.get("UserPoolClient");
            if !matches!(client, Some(Json::Object(_)))
                || client.and_then(|c| str_member(c, "ClientId")).is_none()
            {
                return Err(Error::InvalidServerResponse(
                    format!("{} answered without UserPoolClient.ClientId", op.name()).into(),
                ));
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
                return Err(Error::InvalidServerResponse(
                    format!(
                        "{} answered with neither a ChallengeName nor an AuthenticationResult",
                        op.name()
                    )
                    .into(),
                ));
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
            Err(Error::Validation(m)) => m.into(),
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
    fn challenge_responses_and_sessions() {
        let respond = |name: &str, responses: &str| {
            format!(
                r#"{{{POOL},"ClientId":"c1","ChallengeName":"{name}","Session":"{}","ChallengeResponses":{{{responses}}}}}"#,
                "s".repeat(20)
            )
        };
        for (name, responses) in [
            ("SMS_MFA", r#""USERNAME":"u","SMS_MFA_CODE":"123456""#),
            (
                "SOFTWARE_TOKEN_MFA",
                r#""USERNAME":"u","SOFTWARE_TOKEN_MFA_CODE":"1""#,
            ),
            ("SELECT_MFA_TYPE", r#""USERNAME":"u","ANSWER":"SMS_MFA""#),
            ("MFA_SETUP", r#""USERNAME":"u""#),
            (
                "CUSTOM_CHALLENGE",
                r#""USERNAME":"u","ANSWER":"a","SECRET_HASH":"h""#,
            ),
            (
                "NEW_PASSWORD_REQUIRED",
                r#""USERNAME":"u","NEW_PASSWORD":"p","userAttributes.name":"n""#,
            ),
            (
                "PASSWORD_VERIFIER",
                r#""USERNAME":"u","PASSWORD_CLAIM_SIGNATURE":"s","PASSWORD_CLAIM_SECRET_BLOCK":"b","TIMESTAMP":"t""#,
            ),
            (
                "DEVICE_SRP_AUTH",
                r#""USERNAME":"u","DEVICE_KEY":"d","SRP_A":"a""#,
            ),
        ] {
            validate(
                Operation::AdminRespondToAuthChallenge,
                &json(&respond(name, responses)),
            )
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        }
        for (name, responses, missing) in [
            (
                "SMS_MFA",
                r#""SMS_MFA_CODE":"1""#,
                "ChallengeResponses.USERNAME is required with ChallengeName SMS_MFA",
            ),
            ("SMS_MFA", r#""USERNAME":"u""#, "SMS_MFA_CODE"),
            ("EMAIL_OTP", r#""USERNAME":"u""#, "EMAIL_OTP_CODE"),
            (
                "SOFTWARE_TOKEN_MFA",
                r#""USERNAME":"u""#,
                "SOFTWARE_TOKEN_MFA_CODE",
            ),
            ("SELECT_MFA_TYPE", r#""USERNAME":"u""#, "ANSWER"),
            ("CUSTOM_CHALLENGE", r#""USERNAME":"u""#, "ANSWER"),
            ("NEW_PASSWORD_REQUIRED", r#""USERNAME":"u""#, "NEW_PASSWORD"),
            (
                "PASSWORD_VERIFIER",
                r#""USERNAME":"u","TIMESTAMP":"t""#,
                "PASSWORD_CLAIM_SIGNATURE",
            ),
            (
                "DEVICE_PASSWORD_VERIFIER",
                r#""USERNAME":"u","PASSWORD_CLAIM_SIGNATURE":"s","PASSWORD_CLAIM_SECRET_BLOCK":"b","TIMESTAMP":"t""#,
                "DEVICE_KEY",
            ),
            ("WEB_AUTHN", r#""USERNAME":"u""#, "CREDENTIAL"),
        ] {
            let m = refused(
                Operation::AdminRespondToAuthChallenge,
                &respond(name, responses),
            );
            assert!(m.contains(missing), "{name}: {m}");
        }
        let m = refused(
            Operation::AdminRespondToAuthChallenge,
            &format!(
                r#"{{{POOL},"ClientId":"c1","ChallengeName":"MFA_SETUP","Session":"short","ChallengeResponses":{{"USERNAME":"u"}}}}"#
            ),
        );
        assert!(m.contains("Session must be 20 to 4096 characters"), "{m}");
        let m = refused(
            Operation::AdminInitiateAuth,
            &format!(
                r#"{{{POOL},"ClientId":"c1","AuthFlow":"USER_AUTH","AuthParameters":{{"USERNAME":"u","ACCESS_TOKEN":"t"}}}}"#
            ),
        );
        assert!(
            m.contains("AuthParameters.TARGET_ACR_VALUES is required with an ACCESS_TOKEN"),
            "{m}"
        );
        let long = "x".repeat(TEXT_MAX + 1);
        let m = refused(
            Operation::AdminInitiateAuth,
            &format!(
                r#"{{{POOL},"ClientId":"c1","AuthFlow":"CUSTOM_AUTH","AuthParameters":{{"USERNAME":"u"}},"ClientMetadata":{{"k":"{long}"}}}}"#
            ),
        );
        assert!(
            m.contains("ClientMetadata.k must be at most 131072 characters"),
            "{m}"
        );
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
                r#","LogoutURLs":["http://app.example/out"]"#,
                "must use https",
            ),
            (
                r#","CallbackURLs":["http://127.0.0.2/cb"]"#,
                "must use https",
            ),
            (
                r#","GenerateSecret":true,"ClientSecret":"abcdefghijklmnopqrstuvwxyz""#,
                "not both",
            ),
            (r#","ClientSecret":"too-short""#, "24 to 64 characters"),
            (
                r#","ClientSecret":"abcdefghijklmnopqrstuvwx/z""#,
                "ClientSecret",
            ),
            (
                r#","EnablePropagateAdditionalUserContextData":true"#,
                "needs a client secret",
            ),
            (
                r#","RefreshTokenRotation":{"RetryGracePeriodSeconds":10}"#,
                "RefreshTokenRotation.Feature is required",
            ),
            (
                r#","RefreshTokenRotation":{"Feature":"ENABLED","RetryGracePeriodSeconds":61}"#,
                "from 0 to 60",
            ),
            (
                r#","RefreshTokenRotation":{"Feature":"ON"}"#,
                "ENABLED, DISABLED",
            ),
            (
                r#","AnalyticsConfiguration":{"ApplicationId":"not-hex"}"#,
                "hexadecimal",
            ),
            (
                r#","AnalyticsConfiguration":{"RoleArn":"arn:aws:iam::acct:role/r"}"#,
                "is not an ARN",
            ),
            (
                r#","ReadAttributes":[""]"#,
                "ReadAttributes[0] must be 1 to 2048",
            ),
            (
                r#","SupportedIdentityProviders":["COGNITO","AVeryLongIdentityProviderName0123"]"#,
                "SupportedIdentityProviders[1] must be 1 to 32",
            ),
            (
                r#","AllowedOAuthFlowsUserPoolClient":true,"AllowedOAuthFlows":["code","code","implicit","implicit"]"#,
                "at most 3 entries",
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
        for extra in [
            r#","CallbackURLs":["http://127.0.0.1/cb","http://[::1]:8080/cb","http://localhost:3000/cb","myapp://cb"]"#,
            r#","ClientSecret":"abcdefghijklmnopqrstuvwxyz0123_+","EnablePropagateAdditionalUserContextData":true"#,
            r#","GenerateSecret":true,"EnablePropagateAdditionalUserContextData":true"#,
            r#","RefreshTokenRotation":{"Feature":"ENABLED","RetryGracePeriodSeconds":60}"#,
            r#","AnalyticsConfiguration":{"ApplicationId":"0123abcDEF","ApplicationArn":"arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123abc","RoleArn":"arn:aws:iam::123456789012:role/analytics"}"#,
        ] {
            validate(Operation::CreateUserPoolClient, &json(&create(extra))).unwrap();
        }
        // ClientNameType: `[\w\s+=,.@-]+`, 1 to 128 characters.
        for (name, expect) in [
            ("caf\u{e9}", "may hold only letters, digits, spaces"),
            ("", "ClientName must be 1 to 128 characters"),
        ] {
            let m = refused(
                Operation::CreateUserPoolClient,
                &format!(r#"{{{POOL},"ClientName":"{name}"}}"#),
            );
            assert!(m.contains(expect), "{m}");
        }
        let m = refused(Operation::CreateUserPoolClient, &format!("{{{POOL}}}"));
        assert!(m.contains("ClientName is required"), "{m}");
        for field in ["GenerateSecret", "ClientSecret"] {
            let m = refused(
                Operation::UpdateUserPoolClient,
                &format!(r#"{{{POOL},"ClientId":"c","{field}":true}}"#),
            );
            assert!(m.contains(&format!("unknown field {field}")), "{m}");
        }
        // Whether the client has a secret is the service's to check on update.
        validate(
            Operation::UpdateUserPoolClient,
            &json(&format!(
                r#"{{{POOL},"ClientId":"c","EnablePropagateAdditionalUserContextData":true}}"#
            )),
        )
        .unwrap();
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
