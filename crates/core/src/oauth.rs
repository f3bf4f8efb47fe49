//! Managed login: the OAuth 2.0 authorization-code grant with PKCE (RFC
//! 6749, RFC 7636) against a user pool domain. The app's page goes to the
//! authorize endpoint with a [`state`] and the [`code_challenge`] of a
//! [`code_verifier`]; the user signs in there (or at an identity provider
//! behind it) and comes back to the redirect URI with `code` and `state`
//! (or `error`); [`code_of`] checks what came back, [`token_request`]
//! redeems the code with the verifier at the token endpoint, and
//! [`read_token_answer`] reads the tokens (or names the error).
//!
//! Randomness comes in as arguments. The JS (js/oauth.js) builds the
//! authorize and logout URLs from the app's `oauth` option, keeps the state
//! and verifier for the round trip (sessionStorage), navigates, and cleans
//! the URL: URLSearchParams does that in a few lines there, where here it
//! would cost every app's account module. The refresh of these tokens is
//! the JSON API's (`crate::session`).

use alloc::string::String;

use base64ct::{Base64, Encoding};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{Error, Message, OAuthFailure, Result};
use crate::json::Json;
use crate::protocol::{ClientConfig, HttpRequest, HttpResponse, RequestKind};
use crate::text::{push_decimal, quoted};

use crate::tokens::Tokens;

/// base64url(bytes), unpadded (RFC 4648 5): base64 with `-` for `+`, `_`
/// for `/`, and no `=`. From the standard encoder, which the module already
/// carries for SECRET_HASH, rather than a second one. Both texts are wiped
/// (a verifier is a secret), and the result never reallocates.
fn base64url(bytes: &[u8]) -> Zeroizing<String> {
    let standard = Zeroizing::new(Base64::encode_string(bytes));
    let mut url = Zeroizing::new(String::with_capacity(standard.len()));
    for byte in standard.bytes() {
        match byte {
            b'=' => {}
            b'+' => url.push('-'),
            b'/' => url.push('_'),
            byte => url.push(char::from(byte)),
        }
    }
    url
}

/// Random bytes of a code verifier: 32, the 43 characters RFC 7636 4.1
/// recommends.
pub const VERIFIER_RANDOM_BYTES: usize = 32;
/// Random bytes of a state: 16 (128 bits).
pub const STATE_RANDOM_BYTES: usize = 16;

/// code_verifier = base64url(random), unpadded: 43 characters of RFC 7636's
/// unreserved set (RFC 7636 4.1).
pub fn code_verifier(random: &[u8; VERIFIER_RANDOM_BYTES]) -> Zeroizing<String> {
    base64url(random)
}

/// code_challenge = base64url(SHA-256(ascii(code_verifier))), unpadded: the
/// S256 method (RFC 7636 4.2).
pub fn code_challenge(verifier: &str) -> String {
    base64url(&Sha256::digest(verifier.as_bytes()))
        .as_str()
        .into()
}

/// Where the user pool domain sends the user back to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Window {
    /// The page that started the sign-in, which navigated away.
    Same,
    /// A popup, whose opener waits for it.
    Popup,
}

/// The prefix of a popup's state: the page the popup comes back to sees it
/// and hands the answer to its opener instead of redeeming the code.
pub const POPUP_STATE_PREFIX: &str = "popup.";

/// state = base64url(random), unpadded (22 characters), after
/// [`POPUP_STATE_PREFIX`] for a popup: what the redirect back must repeat
/// (RFC 6749 10.12).
pub fn state(random: &[u8; STATE_RANDOM_BYTES], window: Window) -> String {
    let prefix = match window {
        Window::Same => "",
        Window::Popup => POPUP_STATE_PREFIX,
    };
    [prefix, &base64url(random)].concat()
}

/// `name=value&...`, each percent-encoded as application/x-www-form-urlencoded
/// reads it: every byte but RFC 3986's unreserved `A-Z a-z 0-9 - . _ ~` as
/// `%XX` (a space too, as `%20`).
fn push_form(out: &mut String, parameters: &[(&str, &str)]) {
    for (index, (name, value)) in parameters.iter().enumerate() {
        if index > 0 {
            out.push('&');
        }
        push_encoded(out, name);
        out.push('=');
        push_encoded(out, value);
    }
}

fn push_encoded(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in value.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(byte >> 4)] as char);
            out.push(HEX[usize::from(byte & 15)] as char);
        }
    }
}

/// What the redirect back carries: its query parameters `code`, `state`,
/// `error` and `error_description`, each as the URL decodes it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Callback<'a> {
    pub code: Option<&'a str>,
    pub state: Option<&'a str>,
    pub error: Option<&'a str>,
    pub error_description: Option<&'a str>,
}

/// The longest `error_description` a message repeats: the text comes from
/// the URL, which anyone can write.
const DESCRIPTION_LIMIT: usize = 300;

/// The authorization code of `callback` for the sign-in started here with
/// the state `expected` (None: none was started). The state is checked
/// first, in constant time: an answer that is not for this sign-in is an
/// OAuthStateError whatever it says. Then `error=access_denied` is an
/// OAuthCancelledError, another `error` an OAuthError (`<error>:
/// <error_description>`), and no code an InvalidServerResponse.
pub fn code_of<'a>(callback: &Callback<'a>, expected: Option<&str>) -> Result<&'a str> {
    let Some(expected) = expected else {
        return Err(Error::OAuth(
            OAuthFailure::State,
            "no managed-login sign-in was started in this tab (its state is kept in sessionStorage); call signInWithRedirect again".into(),
        ));
    };
    if !callback.state.is_some_and(|state| same(state, expected)) {
        return Err(Error::OAuth(
            OAuthFailure::State,
            "the redirect back does not carry the state of the sign-in started here (a tampered or forged link); call signInWithRedirect again".into(),
        ));
    }
    if let Some(error) = callback.error {
        return Err(oauth_error(error, callback.error_description, "authorize"));
    }
    callback
        .code
        .filter(|code| !code.is_empty())
        .ok_or_else(|| Error::bad_response("the redirect back carries neither a code nor an error"))
}

/// Whether `a` and `b` are equal, in time that depends on their lengths only.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0, |differ, (x, y)| differ | (x ^ y))
            == 0
}

/// The error an OAuth 2.0 `error` code (and its description) of the
/// `endpoint` (authorize or token) means.
fn oauth_error(error: &str, description: Option<&str>, endpoint: &str) -> Error {
    let mut message = String::new();
    let failure = match error {
        "access_denied" => {
            message.push_str("the sign-in was cancelled (access_denied");
            OAuthFailure::Cancelled
        }
        "invalid_grant" => {
            message.push_str("the token endpoint refused the authorization code (invalid_grant");
            OAuthFailure::Code
        }
        _ => {
            message.push_str("the ");
            message.push_str(endpoint);
            message.push_str(" endpoint answered ");
            message.push_str(&quoted(bounded(error)));
            OAuthFailure::Refused
        }
    };
    if let Some(description) = description.filter(|d| !d.is_empty()) {
        message.push_str(": ");
        message.push_str(&quoted(bounded(description)));
    }
    message.push_str(match failure {
        OAuthFailure::Cancelled => ")",
        OAuthFailure::Code => "): it expired, was already used, or was issued for another redirect URI or app client; call signInWithRedirect again",
        _ if error == "invalid_client" => "; check clientId and clientSecret",
        _ => "; check the app client's managed-login settings (callback URLs, OAuth flows and scopes, identity providers) and the oauth option",
    });
    Error::OAuth(failure, Message::Owned(message))
}

/// At most [`DESCRIPTION_LIMIT`] bytes of `text`, cut at a character boundary.
fn bounded(text: &str) -> &str {
    (0..=text.len().min(DESCRIPTION_LIMIT))
        .rev()
        .find_map(|end| text.get(..end))
        .unwrap_or_default()
}

/// The token request that redeems `code` (RFC 6749 4.1.3, RFC 7636 4.5):
/// POST to `token_endpoint` (`<domain>/oauth2/token`), form `grant_type=authorization_code
/// &client_id&code&redirect_uri&code_verifier`; a client with a secret
/// authenticates with `Authorization: Basic base64(client_id:client_secret)`,
/// as Cognito's token endpoint takes it.
pub fn token_request(
    config: &ClientConfig,
    token_endpoint: &str,
    code: &str,
    redirect_uri: &str,
    code_verifier: &str,
) -> HttpRequest {
    let parameters = [
        ("grant_type", "authorization_code"),
        ("client_id", config.client_id()),
        ("code", code),
        ("redirect_uri", redirect_uri),
        ("code_verifier", code_verifier),
    ];
    let mut body = Zeroizing::new(String::new());
    push_form(&mut body, &parameters);
    let authorization = config.client_secret().map(|secret| {
        let credentials = Zeroizing::new([config.client_id(), ":", secret].concat());
        Zeroizing::new(["Basic ", &Base64::encode_string(credentials.as_bytes())].concat())
    });
    HttpRequest {
        url: token_endpoint.into(),
        kind: RequestKind::Form(authorization),
        body,
    }
}

/// The tokens of the token endpoint's answer (RFC 6749 5.1): `{ access_token,
/// id_token?, refresh_token?, token_type: "Bearer", expires_in }`; its error
/// (RFC 6749 5.2, `{ error, error_description? }`) as [`code_of`] names
/// them: `invalid_grant` (a used, expired or foreign code) is an
/// OAuthCodeError.
pub fn read_token_answer(response: &HttpResponse) -> Result<Tokens> {
    let json = Json::parse(&response.body);
    let field = |key: &str| json.as_ref().and_then(|json| json.get(key));
    let text = |key: &str| field(key).and_then(Json::as_str);
    if !(200..300).contains(&response.status) {
        return Err(match text("error") {
            Some(error) => oauth_error(error, text("error_description"), "token"),
            None => {
                let mut message = String::from("the token endpoint answered HTTP ");
                push_decimal(&mut message, response.status.into(), 0);
                message.push_str(" without an OAuth error; check oauth.domain");
                Error::bad_response(message)
            }
        });
    }
    let bad = |what: &str| Error::bad_response(["the token endpoint's answer ", what].concat());
    if json.is_none() {
        return Err(bad("is not JSON; check oauth.domain"));
    }
    if !text("token_type").is_some_and(|t| t.eq_ignore_ascii_case("Bearer")) {
        return Err(bad("has no token_type Bearer"));
    }
    let optional = |key: &str| match field(key) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(value)) => Ok(Some(value.clone())),
        Some(_) => Err(bad(&[key, " is not a string"].concat())),
    };
    Ok(Tokens {
        access_token: optional("access_token")?.ok_or_else(|| bad("has no access_token"))?,
        id_token: optional("id_token")?,
        refresh_token: optional("refresh_token")?,
        expires_in: field("expires_in")
            .and_then(Json::as_u64)
            .ok_or_else(|| bad("has no expires_in"))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    // RFC 7636 appendix B: the octets, the verifier, the challenge.
    const RFC_RANDOM: [u8; 32] = [
        116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37,
        77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
    ];
    const RFC_VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const RFC_CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    #[test]
    fn rfc_7636_appendix_b() {
        let verifier = code_verifier(&RFC_RANDOM);
        assert_eq!(verifier.as_str(), RFC_VERIFIER, "code_verifier");
        // SHA-256(verifier), the RFC's octets, before base64url.
        let digest: [u8; 32] = Sha256::digest(RFC_VERIFIER.as_bytes()).into();
        assert_eq!(
            digest,
            [
                19, 211, 30, 150, 26, 26, 216, 236, 47, 22, 177, 12, 76, 152, 46, 8, 118, 168, 120,
                173, 109, 241, 68, 86, 110, 225, 137, 74, 203, 112, 249, 195
            ],
            "SHA-256 of the verifier"
        );
        assert_eq!(code_challenge(&verifier), RFC_CHALLENGE, "code_challenge");
    }

    #[test]
    fn verifiers_are_43_unreserved_characters_and_states_22() {
        let verifier = code_verifier(&[0xff; 32]);
        assert_eq!(verifier.len(), 43);
        assert!(verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(state(&[0; 16], Window::Same), "AAAAAAAAAAAAAAAAAAAAAA");
        assert_eq!(state(&[0xfb; 16], Window::Same), "-_v7-_v7-_v7-_v7-_v7-w");
        assert_eq!(
            state(&[0; 16], Window::Popup),
            "popup.AAAAAAAAAAAAAAAAAAAAAA"
        );
    }

    #[test]
    fn the_state_is_checked_before_anything_else() {
        let good = Callback {
            code: Some("the-code"),
            state: Some("st-1"),
            ..Callback::default()
        };
        assert_eq!(code_of(&good, Some("st-1")), Ok("the-code"));
        let name = |callback: &Callback, expected| code_of(callback, expected).unwrap_err();
        assert_eq!(name(&good, None).name(), "OAuthStateError");
        assert!(name(&good, None)
            .message()
            .contains("no managed-login sign-in"));
        assert_eq!(name(&good, Some("st-2")).name(), "OAuthStateError");
        assert_eq!(name(&good, Some("st-")).name(), "OAuthStateError");
        let stateless = Callback {
            state: None,
            ..good
        };
        assert_eq!(name(&stateless, Some("st-1")).name(), "OAuthStateError");
        // A cancel with another sign-in's state is not this sign-in's cancel.
        let cancelled = Callback {
            code: None,
            state: Some("st-1"),
            error: Some("access_denied"),
            error_description: None,
        };
        assert_eq!(name(&cancelled, Some("other")).name(), "OAuthStateError");
        let error = name(&cancelled, Some("st-1"));
        assert_eq!(error.name(), "OAuthCancelledError");
        assert_eq!(error.message(), "the sign-in was cancelled (access_denied)");
        let refused = Callback {
            error: Some("invalid_request"),
            error_description: Some("ExampleIdP Error - bad"),
            ..cancelled
        };
        let error = name(&refused, Some("st-1"));
        assert_eq!(error.name(), "OAuthError");
        assert!(error
            .message()
            .starts_with("the authorize endpoint answered \"invalid_request\": \"ExampleIdP Error - bad\"; check"));
        let empty = Callback {
            code: Some(""),
            ..good
        };
        assert_eq!(name(&empty, Some("st-1")).name(), "InvalidServerResponse");
    }

    #[test]
    fn descriptions_are_bounded_and_quoted() {
        let long = "é".repeat(400);
        let error = oauth_error("server_error", Some(&long), "token");
        assert_eq!(error.name(), "OAuthError");
        assert_eq!(error.message().matches('é').count(), 150, "300 bytes of it");
        let error = oauth_error("x\"\n", None, "authorize");
        assert!(error.message().contains(r#""x\"\n""#));
    }

    fn config(secret: Option<&str>) -> ClientConfig {
        ClientConfig::new(
            "eu-west-1_Pool",
            "client",
            secret.map(String::from),
            None,
            None,
        )
        .unwrap()
    }

    #[test]
    fn token_request_is_a_form_with_basic_auth_for_a_secret() {
        let endpoint = "https://auth.example.com/oauth2/token";
        let public = token_request(&config(None), endpoint, "c/1", "https://app.example/", "v");
        assert_eq!(public.url, "https://auth.example.com/oauth2/token");
        assert_eq!(
            &*public.body,
            "grant_type=authorization_code&client_id=client&code=c%2F1\
             &redirect_uri=https%3A%2F%2Fapp.example%2F&code_verifier=v"
        );
        assert_eq!(
            public.headers(),
            vec![("Content-Type", "application/x-www-form-urlencoded")]
        );
        assert_eq!(public.target(), None);
        let secret = token_request(&config(Some("s3cr3t")), endpoint, "c", "r", "v");
        // base64("client:s3cr3t")
        assert_eq!(
            secret.headers()[1],
            ("Authorization", "Basic Y2xpZW50OnMzY3IzdA==")
        );
    }

    fn answer(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            error_type: None,
            body: body.into(),
        }
    }

    #[test]
    fn token_answers_become_tokens_or_named_errors() {
        let tokens = read_token_answer(&answer(
            200,
            r#"{"access_token":"a","id_token":"i","refresh_token":"r","token_type":"Bearer","expires_in":3600,"extra":1}"#,
        ))
        .unwrap();
        assert_eq!(
            tokens,
            Tokens {
                access_token: "a".into(),
                id_token: Some("i".into()),
                refresh_token: Some("r".into()),
                expires_in: 3600,
            }
        );
        let name = |status, body| read_token_answer(&answer(status, body)).unwrap_err();
        let used = name(
            400,
            r#"{"error":"invalid_grant","error_description":"Code used"}"#,
        );
        assert_eq!(used.name(), "OAuthCodeError");
        assert!(used
            .message()
            .contains("(invalid_grant: \"Code used\"): it expired"));
        let client = name(401, r#"{"error":"invalid_client"}"#);
        assert_eq!(client.name(), "OAuthError");
        assert!(client
            .message()
            .ends_with("check clientId and clientSecret"));
        assert_eq!(name(502, "Bad Gateway").name(), "InvalidServerResponse");
        assert!(name(502, "Bad Gateway").message().contains("HTTP 502"));
        for bad in [
            "<html>",
            r#"{"access_token":"a","expires_in":1}"#,
            r#"{"access_token":"a","token_type":"mac","expires_in":1}"#,
            r#"{"token_type":"Bearer","expires_in":1}"#,
            r#"{"access_token":1,"token_type":"Bearer","expires_in":1}"#,
            r#"{"access_token":"a","token_type":"Bearer"}"#,
            r#"{"access_token":"a","token_type":"Bearer","expires_in":1,"id_token":[]}"#,
        ] {
            assert_eq!(name(200, bad).name(), "InvalidServerResponse", "{bad}");
        }
    }
}
