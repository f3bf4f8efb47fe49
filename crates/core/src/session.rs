//! Session logic, pure: when tokens need a refresh (a margin before expiry,
//! with the clock drift measured from `iat` as amazon-cognito-identity-js
//! does), which request refreshes them (GetTokensFromRefreshToken, with
//! rotation, or InitiateAuth REFRESH_TOKEN_AUTH where the pool does not
//! support it), and what a refresh answer means.

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::Error;
use crate::json::Json;
use crate::protocol::{initiate_auth, AuthResponse, ClientConfig, HttpRequest, HttpResponse};
use crate::tokens::{decode_claims, Tokens};
#[cfg(test)]
use crate::tokens::local_expiry_ms;

/// Tokens are refreshed when they expire within this margin.
pub const REFRESH_MARGIN_MS: f64 = 60_000.0;

/// How a refresh is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefreshKind {
    /// GetTokensFromRefreshToken: a new refresh token replaces the old one.
    Rotate,
    /// InitiateAuth REFRESH_TOKEN_AUTH: the refresh token stays.
    InitiateAuth,
}

/// Whether tokens that expire at `expires_at_ms` (local clock) need a
/// refresh at `now_ms`.
pub fn needs_refresh(expires_at_ms: f64, now_ms: f64, margin_ms: f64) -> bool {
    now_ms + margin_ms >= expires_at_ms
}

/// The username the SECRET_HASH of a refresh is computed over: the id
/// token's `cognito:username`, else the access token's `username`.
pub fn username(tokens: &Tokens) -> Option<String> {
    let from = |claims: &Json, name: &str| claims.get(name)?.as_str().map(String::from);
    tokens
        .id_token_claims
        .as_ref()
        .and_then(|c| from(c, "cognito:username"))
        .or_else(|| {
            let access = decode_claims(&tokens.access_token).ok()?;
            from(&access, "username")
        })
}

/// The refresh request for `refresh_token`. The SECRET_HASH (REFRESH_TOKEN_AUTH)
/// is over `username`; DEVICE_KEY is sent when the device is remembered.
pub fn refresh_request(
    config: &ClientConfig,
    kind: RefreshKind,
    refresh_token: &str,
    username: Option<&str>,
    device_key: Option<&str>,
) -> HttpRequest {
    match kind {
        RefreshKind::Rotate => {
            let mut members: Vec<(String, Json)> = Vec::new();
            let mut push = |key: &str, value: &str| {
                members.push((key.into(), Json::String(value.into())));
            };
            push("RefreshToken", refresh_token);
            push("ClientId", config.client_id());
            if let Some(secret) = config.client_secret() {
                push("ClientSecret", secret);
            }
            if let Some(device_key) = device_key {
                push("DeviceKey", device_key);
            }
            config.request("GetTokensFromRefreshToken", &Json::Object(members))
        }
        RefreshKind::InitiateAuth => {
            let hash = username.and_then(|u| config.secret_hash(u));
            let mut params = alloc::vec![("REFRESH_TOKEN", refresh_token)];
            if let Some(hash) = hash.as_deref() {
                params.push(("SECRET_HASH", hash));
            }
            if let Some(device_key) = device_key {
                params.push(("DEVICE_KEY", device_key));
            }
            let body = initiate_auth("REFRESH_TOKEN_AUTH", config.client_id(), &params, None);
            config.user_request("InitiateAuth", body, username.unwrap_or_default())
        }
    }
}

/// What a refresh answer means.
#[derive(Debug)]
pub enum RefreshOutcome {
    /// New tokens (with the old refresh token kept when none came back).
    Refreshed(Tokens),
    /// The pool does not serve GetTokensFromRefreshToken: ask with
    /// InitiateAuth instead.
    FallBack,
    /// The refresh token is revoked or expired (or the user gone): the user
    /// is signed out.
    SignedOut(Error),
    /// Another failure (network, throttling): the session stays.
    Failed(Error),
}

/// Reads the answer of a refresh request of `kind`, received at `now_ms`.
pub fn read_refresh(
    kind: RefreshKind,
    previous_refresh_token: &str,
    response: &HttpResponse,
    now_ms: f64,
) -> RefreshOutcome {
    let answer = match AuthResponse::from_response(response) {
        Ok(answer) => answer,
        Err(error) => return classify(kind, error),
    };
    let Some(result) = answer.authentication_result else {
        return RefreshOutcome::Failed(Error::bad_response(
            "the refresh answer has no AuthenticationResult",
        ));
    };
    match Tokens::from_result(*result, now_ms) {
        Ok(mut tokens) => {
            if tokens.refresh_token.is_none() {
                tokens.refresh_token = Some(previous_refresh_token.into());
            }
            RefreshOutcome::Refreshed(tokens)
        }
        Err(error) => RefreshOutcome::Failed(error),
    }
}

fn classify(kind: RefreshKind, error: Error) -> RefreshOutcome {
    let name = error.name();
    let unsupported = matches!(
        name,
        "UnknownOperationException" | "UnsupportedOperationException" | "InvalidRequestException"
    ) || (name == "InvalidParameterException"
        && crate::text::contains(error.message(), "otation"));
    if kind == RefreshKind::Rotate && unsupported {
        RefreshOutcome::FallBack
    } else if matches!(name, "NotAuthorizedException" | "UserNotFoundException") {
        RefreshOutcome::SignedOut(error)
    } else {
        RefreshOutcome::Failed(error)
    }
}

/// The session as stored (`storage` option of `CognitoAuth`): a JSON object
/// `{"idToken","accessToken","refreshToken","expiresAt"}`.
pub fn to_stored(tokens: &Tokens) -> String {
    let text = |value: Option<&str>| value.map_or(Json::Null, |v| Json::String(v.into()));
    let mut expires_at = String::new();
    crate::text::push_decimal(&mut expires_at, tokens.expires_at as u64, 0);
    let members = alloc::vec![
        ("idToken".into(), text(tokens.id_token.as_deref())),
        ("accessToken".into(), text(Some(&tokens.access_token))),
        ("refreshToken".into(), text(tokens.refresh_token.as_deref())),
        ("expiresAt".into(), Json::Number(expires_at)),
    ];
    Json::Object(members).to_text()
}

/// A stored session written by [`to_stored`]; `None` for anything else
/// (corrupted, foreign, or with tokens that are not JWTs).
pub fn from_stored(text: &str) -> Option<Tokens> {
    let json = Json::parse(text)?;
    let text = |name: &str| match json.get(name) {
        None | Some(Json::Null) => Some(None),
        Some(value) => value.as_str().map(|v| Some(String::from(v))),
    };
    let id_token = text("idToken")?;
    let access_token = text("accessToken")??;
    decode_claims(&access_token).ok()?;
    let id_token_claims = match id_token.as_deref() {
        Some(token) => Some(decode_claims(token).ok()?),
        None => None,
    };
    Some(Tokens {
        id_token,
        access_token,
        refresh_token: text("refreshToken")?,
        expires_at: json.get("expiresAt")?.as_u64()? as f64,
        id_token_claims,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64ct::{Base64UrlUnpadded, Encoding};
    use crate::test_support::{config, response};

    fn jwt(claims: &str) -> String {
        ["e30.", &Base64UrlUnpadded::encode_string(claims.as_bytes()), ".sig"].concat()
    }

    #[test]
    fn stored_sessions_round_trip_and_foreign_values_are_refused() {
        let id = jwt(r#"{"cognito:username":"alice","exp":5}"#);
        let tokens = Tokens {
            id_token: Some(id.clone()),
            access_token: jwt(r#"{"username":"alice"}"#),
            refresh_token: Some("r\"t".into()),
            expires_at: 1_700_000_000_123.0,
            id_token_claims: Some(decode_claims(&id).unwrap()),
        };
        let text = to_stored(&tokens);
        let back = from_stored(&text).unwrap();
        assert_eq!(back.id_token, tokens.id_token);
        assert_eq!(back.access_token, tokens.access_token);
        assert_eq!(back.refresh_token.as_deref(), Some("r\"t"));
        assert_eq!(back.expires_at, 1_700_000_000_123.0);
        assert_eq!(username(&back).as_deref(), Some("alice"));
        let no_id = Tokens {
            id_token: None,
            refresh_token: None,
            id_token_claims: None,
            ..tokens
        };
        let back = from_stored(&to_stored(&no_id)).unwrap();
        assert!(back.id_token.is_none() && back.refresh_token.is_none());
        for foreign in [
            "",
            "{",
            "null",
            "[1]",
            "{}",
            r#"{"accessToken":"not a jwt","expiresAt":1}"#,
            r#"{"accessToken":5,"expiresAt":1}"#,
            &text.replace("expiresAt", "expiry"),
            &text.replace(&id, "x.y.z"),
        ] {
            assert!(from_stored(foreign).is_none(), "{foreign}");
        }
    }

    #[test]
    fn expiry_allows_for_clock_drift_from_iat() {
        // The server says iat 1000, exp 4600; this clock reads 9_000 s at receipt.
        let access = jwt(r#"{"iat":1000,"exp":4600}"#);
        let id = jwt(r#"{"iat":1000,"exp":4000}"#);
        let expiry = local_expiry_ms(&access, Some(&id), 9_000_000.0).unwrap();
        assert_eq!(
            expiry,
            9_000_000.0 + 3_000_000.0,
            "the id token expires first"
        );
        assert_eq!(local_expiry_ms(&access, None, 0.0), Some(3_600_000.0));
        assert_eq!(local_expiry_ms("not.a.jwt", None, 0.0), None);
        assert!(!needs_refresh(expiry, 9_000_000.0, REFRESH_MARGIN_MS));
        assert!(!needs_refresh(
            expiry,
            expiry - REFRESH_MARGIN_MS - 1.0,
            REFRESH_MARGIN_MS
        ));
        assert!(needs_refresh(
            expiry,
            expiry - REFRESH_MARGIN_MS,
            REFRESH_MARGIN_MS
        ));
        assert!(needs_refresh(expiry, expiry + 1.0, 0.0));
    }

    #[test]
    fn rotation_request_sends_the_client_secret() {
        let request = refresh_request(
            &config(Some("s3")),
            RefreshKind::Rotate,
            "rt",
            Some("u"),
            Some("dk"),
        );
        assert!(request.target.ends_with(".GetTokensFromRefreshToken"));
        assert_eq!(
            request.body.as_str(),
            r#"{"RefreshToken":"rt","ClientId":"client","ClientSecret":"s3","DeviceKey":"dk"}"#
        );
    }

    #[test]
    fn fallback_request_hashes_the_username() {
        let config = config(Some("s3"));
        let request = refresh_request(
            &config,
            RefreshKind::InitiateAuth,
            "rt",
            Some("alice"),
            Some("dk"),
        );
        let body = Json::parse(&request.body).unwrap();
        assert_eq!(
            body.get("AuthFlow").unwrap().as_str(),
            Some("REFRESH_TOKEN_AUTH")
        );
        let params = body.get("AuthParameters").unwrap();
        assert_eq!(params.get("REFRESH_TOKEN").unwrap().as_str(), Some("rt"));
        assert_eq!(
            params.get("SECRET_HASH").unwrap().as_str(),
            config.secret_hash("alice").as_deref()
        );
        assert_eq!(params.get("DEVICE_KEY").unwrap().as_str(), Some("dk"));
    }

    #[test]
    fn refresh_answers() {
        let access = jwt(r#"{"iat":10,"exp":3610,"username":"alice"}"#);
        let body = [
            "{\"AuthenticationResult\":{\"AccessToken\":\"",
            &access,
            "\",\"ExpiresIn\":3600}}",
        ]
        .concat();
        match read_refresh(RefreshKind::InitiateAuth, "old", &response(200, &body), 5.0) {
            RefreshOutcome::Refreshed(tokens) => {
                assert_eq!(tokens.refresh_token.as_deref(), Some("old"));
                assert_eq!(tokens.expires_at, 5.0 + 3_600_000.0);
                assert_eq!(username(&tokens).as_deref(), Some("alice"));
            }
            other => panic!("{other:?}"),
        }
        let rotated = body.replace("\"ExpiresIn\"", "\"RefreshToken\":\"new\",\"ExpiresIn\"");
        match read_refresh(RefreshKind::Rotate, "old", &response(200, &rotated), 5.0) {
            RefreshOutcome::Refreshed(tokens) => {
                assert_eq!(tokens.refresh_token.as_deref(), Some("new"))
            }
            other => panic!("{other:?}"),
        }
        let error = |name: &str| {
            response(
                400,
                &["{\"__type\":\"", name, "\",\"message\":\"m\"}"].concat(),
            )
        };
        let unknown = error("UnknownOperationException");
        assert!(matches!(
            read_refresh(RefreshKind::Rotate, "t", &unknown, 0.0),
            RefreshOutcome::FallBack
        ));
        assert!(matches!(
            read_refresh(RefreshKind::InitiateAuth, "t", &unknown, 0.0),
            RefreshOutcome::Failed(_)
        ));
        // InvalidParameterException falls back only when it is about rotation.
        let rotation_off = response(
            400,
            "{\"__type\":\"InvalidParameterException\",\"message\":\"Refresh token rotation is not enabled\"}",
        );
        assert!(matches!(
            read_refresh(RefreshKind::Rotate, "t", &rotation_off, 0.0),
            RefreshOutcome::FallBack
        ));
        assert!(matches!(
            read_refresh(
                RefreshKind::Rotate,
                "t",
                &error("InvalidParameterException"),
                0.0
            ),
            RefreshOutcome::Failed(_)
        ));
        let revoked = error("NotAuthorizedException");
        assert!(matches!(
            read_refresh(RefreshKind::Rotate, "t", &revoked, 0.0),
            RefreshOutcome::SignedOut(_)
        ));
        let throttled = error("TooManyRequestsException");
        assert!(matches!(
            read_refresh(RefreshKind::Rotate, "t", &throttled, 0.0),
            RefreshOutcome::Failed(_)
        ));
    }
}
