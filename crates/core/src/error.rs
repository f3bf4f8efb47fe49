//! The one error type of the crate. The bindings map it to a JS `Error` in one place.

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::string::String;
use core::fmt;

/// Every way an operation of this crate can fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The service refused the request. Boxed: it is the one variant with
    /// two strings, and every `Result` of the crate is as large as its
    /// largest error (and moved whole by each `?`).
    Service(Box<ServiceError>),
    /// The service answered with something this client cannot use: not JSON, a
    /// missing field, or SRP values that fail the safety checks.
    InvalidServerResponse(Message),
    /// The caller's input is unusable; nothing was sent.
    Validation(Message),
    /// The call does not fit the current state (for example `confirmSignIn`
    /// with no sign-in step waiting).
    InvalidState(Message),
    /// The service asked for a step this version cannot answer.
    Unsupported(Message),
    /// Managed login (OAuth 2.0) did not sign the user in.
    #[cfg(feature = "oauth")]
    OAuth(OAuthFailure, Message),
}

/// Why managed login did not sign the user in (`crate::oauth`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthFailure {
    /// The redirect back has no state, or not the one of the sign-in
    /// started here: a forged or tampered redirect, or one meant for
    /// another tab.
    State,
    /// The user cancelled at the sign-in page or at the identity provider
    /// (`error=access_denied`).
    Cancelled,
    /// The token endpoint refused the authorization code (`invalid_grant`):
    /// expired, already used, or issued for another redirect URI or client.
    Code,
    /// Any other error of the authorize or token endpoint, or of the
    /// identity provider.
    Refused,
}

/// An exception of the service: `name` is its exception name with any
/// `com.amazonaws...#` prefix removed (`NotAuthorizedException`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    pub name: String,
    pub message: String,
}

impl Error {
    /// The service refused the request with the exception `name`.
    pub fn service(name: String, message: String) -> Self {
        Error::Service(Box::new(ServiceError { name, message }))
    }

    /// The JS `Error.name`: the Cognito exception name, or a local error name.
    pub fn name(&self) -> &str {
        match self {
            Error::Service(service) => &service.name,
            Error::InvalidServerResponse(_) => "InvalidServerResponse",
            Error::Validation(_) => "ValidationError",
            Error::InvalidState(_) => "InvalidStateError",
            Error::Unsupported(_) => "UnsupportedChallengeError",
            #[cfg(feature = "oauth")]
            Error::OAuth(failure, _) => match failure {
                OAuthFailure::State => "OAuthStateError",
                OAuthFailure::Cancelled => "OAuthCancelledError",
                OAuthFailure::Code => "OAuthCodeError",
                OAuthFailure::Refused => "OAuthError",
            },
        }
    }

    /// A sentence a person can act on, of at most [`MAX_MESSAGE`]
    /// characters: a service's message, or one that quotes the answer, is
    /// cut there. Never contains a secret.
    pub fn message(&self) -> &str {
        let message: &str = match self {
            Error::Service(service) => &service.message,
            Error::InvalidServerResponse(m)
            | Error::Validation(m)
            | Error::InvalidState(m)
            | Error::Unsupported(m) => m,
            #[cfg(feature = "oauth")]
            Error::OAuth(_, m) => m,
        };
        clip(message, MAX_MESSAGE)
    }

    pub(crate) fn bad_response(what: impl Into<Message>) -> Self {
        Error::InvalidServerResponse(what.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())?;
        f.write_str(": ")?;
        f.write_str(self.message())
    }
}

impl core::error::Error for Error {}

impl From<cognito_srp::SrpError> for Error {
    fn from(error: cognito_srp::SrpError) -> Self {
        if error.is_caller_error() {
            Error::Validation(error.message().into())
        } else {
            Error::InvalidServerResponse(error.message().into())
        }
    }
}

/// The most characters of [`Error::message`], counted as JS counts them
/// (UTF-16 code units): the text of an answer (a service's message, a
/// challenge's name) is the server's, and apps show messages.
pub const MAX_MESSAGE: usize = 1000;

/// The most characters of a service exception's name: an answer that names
/// a longer one (or one of other characters than ASCII letters, digits and
/// `_`) names none (`protocol::HttpResponse::json`). The service's longest
/// are about 40.
pub const MAX_NAME: usize = 100;

/// The longest start of `text` of at most `max` UTF-16 code units, cut
/// between characters: each byte that starts a character counts one unit,
/// two for a 4-byte character (outside the BMP, a surrogate pair in JS).
#[inline(never)]
fn clip(text: &str, max: usize) -> &str {
    let mut units = 0;
    for (at, &byte) in text.as_bytes().iter().enumerate() {
        if byte & 0xC0 != 0x80 {
            units += if byte >= 0xF0 { 2 } else { 1 };
            if units > max {
                // `get`, not indexing: `at` is a character boundary, and
                // indexing would link the formatting of its panic message.
                return text.get(..at).unwrap_or(text);
            }
        }
    }
    text
}

/// An error's message: most are fixed sentences, kept where they are.
pub type Message = Cow<'static, str>;

pub type Result<T> = core::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn a_service_message_is_cut_at_1000_js_characters() {
        // 999 ASCII characters then a character of two UTF-16 units: 1,001
        // in JS, so the message ends before it.
        let message = ["a".repeat(999), "\u{1F600}".into(), "b".repeat(5_000_000)].concat();
        let error = Error::service("NotAuthorizedException".into(), message);
        assert_eq!(error.message(), "a".repeat(999));
        let short = Error::service("X".into(), "€".repeat(1000));
        assert_eq!(short.message().chars().count(), 1000);
        let long = Error::bad_response("é".repeat(1001));
        assert_eq!(long.message().encode_utf16().count(), 1000);
        assert_eq!(
            long.to_string().len(),
            "InvalidServerResponse: ".len() + 2000
        );
    }
}
