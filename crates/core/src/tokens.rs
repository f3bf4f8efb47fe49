//! The tokens a sign-in or a refresh ends with, as the service gave them.
//!
//! What the app sees of them (the claims, the expiry on this device's clock,
//! the stored session) is the JS session's (`js/session.js`): the JS holds
//! the session, so that a returning visit reads its tokens without loading
//! the wasm module.

use alloc::string::String;

use crate::error::{Error, Result};
use crate::protocol::AuthenticationResult;

/// AuthenticationResult's tokens and lifetime.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tokens {
    pub id_token: Option<String>,
    pub access_token: String,
    pub refresh_token: Option<String>,
    /// ExpiresIn: the access token's lifetime in seconds.
    pub expires_in: u64,
}

impl Tokens {
    /// Reads an AuthenticationResult; ExpiresIn and a non-empty AccessToken
    /// are required, and an empty IdToken or RefreshToken is none (so that a
    /// refresh keeps the refresh token it has).
    pub fn from_result(result: AuthenticationResult) -> Result<Self> {
        let expires_in = result
            .expires_in
            .ok_or_else(|| Error::bad_response("AuthenticationResult has no ExpiresIn"))?;
        if result.access_token.is_empty() {
            return Err(Error::bad_response(
                "AuthenticationResult has an empty AccessToken",
            ));
        }
        Ok(Tokens {
            id_token: result.id_token.filter(|token| !token.is_empty()),
            access_token: result.access_token,
            refresh_token: result.refresh_token.filter(|token| !token.is_empty()),
            expires_in,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_in_is_required() {
        let result = || AuthenticationResult {
            access_token: "a".into(),
            id_token: Some("i".into()),
            refresh_token: Some("r".into()),
            expires_in: Some(3600),
            new_device_metadata: None,
        };
        let tokens = Tokens::from_result(result()).unwrap();
        assert_eq!(tokens.expires_in, 3600);
        assert_eq!(tokens.id_token.as_deref(), Some("i"));
        let missing = AuthenticationResult {
            expires_in: None,
            ..result()
        };
        assert_eq!(
            Tokens::from_result(missing).unwrap_err().name(),
            "InvalidServerResponse"
        );
        let empty = AuthenticationResult {
            access_token: String::new(),
            ..result()
        };
        assert_eq!(
            Tokens::from_result(empty).unwrap_err().name(),
            "InvalidServerResponse"
        );
        let blanks = AuthenticationResult {
            id_token: Some(String::new()),
            refresh_token: Some(String::new()),
            ..result()
        };
        let tokens = Tokens::from_result(blanks).unwrap();
        assert_eq!((tokens.id_token, tokens.refresh_token), (None, None));
    }
}
