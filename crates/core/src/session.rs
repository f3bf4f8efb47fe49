//! Refreshing a session, pure: which request refreshes the tokens
//! (GetTokensFromRefreshToken, with rotation, or InitiateAuth
//! REFRESH_TOKEN_AUTH where the pool does not support it), and what a
//! refresh answer means. When a refresh is due, and who the tokens are for,
//! is the JS session's business (`js/session.js`): it holds the tokens.

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::Error;
use crate::json::Json;
use crate::protocol::{
    initiate_auth, unsupported_challenge, AuthResponse, ClientConfig, HttpRequest, HttpResponse,
};
use crate::tokens::Tokens;

/// How a refresh is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefreshKind {
    /// GetTokensFromRefreshToken: a new refresh token replaces the old one.
    Rotate,
    /// InitiateAuth REFRESH_TOKEN_AUTH: the refresh token stays.
    InitiateAuth,
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
            let body = initiate_auth(
                "REFRESH_TOKEN_AUTH",
                config.client_id(),
                &params,
                None,
                None,
            );
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

/// Reads the answer of a refresh request of `kind`.
pub fn read_refresh(
    kind: RefreshKind,
    previous_refresh_token: &str,
    response: &HttpResponse,
) -> RefreshOutcome {
    let answer = match AuthResponse::from_response(response) {
        Ok(answer) => answer,
        Err(error) => return classify(kind, error),
    };
    let Some(result) = answer.authentication_result else {
        return RefreshOutcome::Failed(match answer.challenge_name {
            Some(name) => unsupported_challenge(&name),
            None => Error::bad_response("the refresh answer has no AuthenticationResult"),
        });
    };
    match Tokens::from_result(*result) {
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
        && error.message().contains("otation"));
    if kind == RefreshKind::Rotate && unsupported {
        RefreshOutcome::FallBack
    } else if matches!(name, "NotAuthorizedException" | "UserNotFoundException") {
        RefreshOutcome::SignedOut(error)
    } else {
        RefreshOutcome::Failed(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{config, response};
    use base64ct::{Base64UrlUnpadded, Encoding};

    fn jwt(claims: &str) -> String {
        [
            "e30.",
            &Base64UrlUnpadded::encode_string(claims.as_bytes()),
            ".sig",
        ]
        .concat()
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
        assert!(request
            .target()
            .unwrap()
            .ends_with(".GetTokensFromRefreshToken"));
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
        match read_refresh(RefreshKind::InitiateAuth, "old", &response(200, &body)) {
            RefreshOutcome::Refreshed(tokens) => {
                assert_eq!(tokens.refresh_token.as_deref(), Some("old"));
                assert_eq!(tokens.expires_in, 3600);
                assert_eq!(tokens.access_token, access);
            }
            other => panic!("{other:?}"),
        }
        let rotated = body.replace("\"ExpiresIn\"", "\"RefreshToken\":\"new\",\"ExpiresIn\"");
        match read_refresh(RefreshKind::Rotate, "old", &response(200, &rotated)) {
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
            read_refresh(RefreshKind::Rotate, "t", &unknown),
            RefreshOutcome::FallBack
        ));
        assert!(matches!(
            read_refresh(RefreshKind::InitiateAuth, "t", &unknown),
            RefreshOutcome::Failed(_)
        ));
        // InvalidParameterException falls back only when it is about rotation.
        let rotation_off = response(
            400,
            "{\"__type\":\"InvalidParameterException\",\"message\":\"Refresh token rotation is not enabled\"}",
        );
        assert!(matches!(
            read_refresh(RefreshKind::Rotate, "t", &rotation_off),
            RefreshOutcome::FallBack
        ));
        assert!(matches!(
            read_refresh(
                RefreshKind::Rotate,
                "t",
                &error("InvalidParameterException"),
            ),
            RefreshOutcome::Failed(_)
        ));
        let revoked = error("NotAuthorizedException");
        assert!(matches!(
            read_refresh(RefreshKind::Rotate, "t", &revoked),
            RefreshOutcome::SignedOut(_)
        ));
        let throttled = error("TooManyRequestsException");
        assert!(matches!(
            read_refresh(RefreshKind::Rotate, "t", &throttled),
            RefreshOutcome::Failed(_)
        ));
    }
}
