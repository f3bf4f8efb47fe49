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
    /// Reads an AuthenticationResult; ExpiresIn is required.
    pub fn from_result(result: AuthenticationResult) -> Result<Self> {
        let expires_in = result
            .expires_in
            .ok_or_else(|| Error::bad_response("AuthenticationResult has no ExpiresIn"))?;
        Ok(Tokens {
            id_token: result.id_token,
            access_token: result.access_token,
            refresh_token: result.refresh_token,
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
    }
}
