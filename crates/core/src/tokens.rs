//! The tokens a sign-in ends with, and the claims of the id token.

use alloc::string::String;

use base64ct::{Base64UrlUnpadded, Encoding};
use crate::error::{Error, Result};
use crate::json::Json;
use crate::protocol::AuthenticationResult;
use crate::text::{split_at_first, utf8_to_string};

/// What a finished sign-in holds. `expires_at` is in milliseconds since the
/// Unix epoch on the caller's clock: the time the tokens arrived plus the
/// shorter lifetime of the two (`ExpiresIn`, and `exp - iat` of each token),
/// so that the server's clock never matters (see
/// [`local_expiry_ms`]).
#[derive(Clone, Debug)]
pub struct Tokens {
    pub id_token: Option<String>,
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub expires_at: f64,
    /// The id token's claims, a JSON object.
    pub id_token_claims: Option<Json>,
}

impl Tokens {
    /// Reads an AuthenticationResult received at `now_ms`.
    pub fn from_result(result: AuthenticationResult, now_ms: f64) -> Result<Self> {
        let id_token_claims = match result.id_token.as_deref() {
            Some(token) => Some(decode_claims(token)?),
            None => None,
        };
        let expires_in = result
            .expires_in
            .ok_or_else(|| Error::bad_response("AuthenticationResult has no ExpiresIn"))?;
        let mut expires_at = now_ms + expires_in as f64 * 1000.0;
        let lifetimes = local_expiry_ms(&result.access_token, result.id_token.as_deref(), now_ms);
        if let Some(from_claims) = lifetimes {
            expires_at = expires_at.min(from_claims);
        }
        Ok(Tokens {
            id_token: result.id_token,
            access_token: result.access_token,
            refresh_token: result.refresh_token,
            expires_at,
            id_token_claims,
        })
    }
}

/// The claims (payload, a JSON object) of a JWT, without checking its signature.
pub fn decode_claims(jwt: &str) -> Result<Json> {
    let claims = || {
        // header.payload.signature: exactly two dots.
        let (_, rest) = split_at_first(jwt, b'.')?;
        let (payload, signature) = split_at_first(rest, b'.')?;
        if signature.bytes().any(|b| b == b'.') {
            return None;
        }
        let unpadded = payload
            .bytes()
            .rposition(|b| b != b'=')
            .map_or(0, |at| at + 1);
        let json = Base64UrlUnpadded::decode_vec(payload.get(..unpadded)?).ok()?;
        Json::parse(&utf8_to_string(&json)?).filter(|claims| matches!(claims, Json::Object(_)))
    };
    claims().ok_or_else(|| Error::bad_response("a token from the server is not a JWT"))
}

fn claim_u64(claims: &Json, name: &str) -> Option<u64> {
    claims.get(name).and_then(Json::as_u64)
}

/// When the tokens expire on this device's clock, given that they arrived at
/// `received_ms`: the earliest `exp` of the access and id tokens, moved by
/// the drift between this clock and the server's, taken from the earliest
/// `iat` (the server's "now" when it issued them). `None` when the tokens
/// carry no `iat`/`exp`.
pub fn local_expiry_ms(
    access_token: &str,
    id_token: Option<&str>,
    received_ms: f64,
) -> Option<f64> {
    let mut exp = u64::MAX;
    let mut iat = u64::MAX;
    for token in core::iter::once(access_token).chain(id_token) {
        let claims = decode_claims(token).ok()?;
        exp = exp.min(claim_u64(&claims, "exp")?);
        iat = iat.min(claim_u64(&claims, "iat")?);
    }
    Some(received_ms + exp.saturating_sub(iat) as f64 * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> String {
        format!("e30.{}.sig", Base64UrlUnpadded::encode_string(payload.as_bytes()))
    }

    #[test]
    fn claims_are_decoded() {
        let claims = decode_claims(&jwt(r#"{"sub":"abc","exp":5}"#)).unwrap();
        assert_eq!(claims.get("sub").and_then(Json::as_str), Some("abc"));
        assert_eq!(claims.get("exp").and_then(Json::as_u64), Some(5));
    }

    #[test]
    fn non_jwts_are_refused() {
        for token in [
            "",
            "a.b",
            "a.b.c.d",
            "a.!!!.c",
            &jwt("not json"),
            &jwt("[1]"),
        ] {
            assert_eq!(
                decode_claims(token).unwrap_err().name(),
                "InvalidServerResponse",
                "{token}"
            );
        }
    }

    #[test]
    fn expiry_is_now_plus_expires_in() {
        let result = AuthenticationResult {
            access_token: "a".into(),
            id_token: Some(jwt(r#"{"sub":"s"}"#)),
            refresh_token: Some("r".into()),
            expires_in: Some(3600),
            new_device_metadata: None,
        };
        let tokens = Tokens::from_result(result, 1_000.0).unwrap();
        assert_eq!(tokens.expires_at, 3_601_000.0);
        let claims = tokens.id_token_claims.unwrap();
        assert_eq!(claims.get("sub").and_then(Json::as_str), Some("s"));
    }

    #[test]
    fn expiry_is_the_shorter_lifetime_on_this_clock_whatever_the_server_clock() {
        // The server's clock is 10_000 s behind this one (iat 1000 while
        // this clock reads 11_000 s); the id token lives 300 s, the access
        // token 3600 s (ExpiresIn).
        let result = AuthenticationResult {
            access_token: jwt(r#"{"iat":1000,"exp":4600}"#),
            id_token: Some(jwt(r#"{"iat":1000,"exp":1300}"#)),
            refresh_token: None,
            expires_in: Some(3600),
            new_device_metadata: None,
        };
        let tokens = Tokens::from_result(result, 11_000_000.0).unwrap();
        assert_eq!(tokens.expires_at, 11_000_000.0 + 300_000.0);
    }
}
