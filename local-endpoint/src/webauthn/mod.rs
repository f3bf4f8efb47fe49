//! WebAuthn (passkey) verification, as a relying party does it (W3C
//! WebAuthn Level 3, §7.1 registration and §7.2 authentication): the
//! clientDataJSON checks (type, challenge, origin), the authenticator data
//! (RP ID hash, the user-present and user-verified flags, the signature
//! counter), the COSE credential keys ES256 and RS256, and the `none` and
//! `packed` self attestation formats.
//!
//! Inputs come from the network: every field is bounded before it is
//! decoded, and CBOR is read with a low nesting limit. Nothing here knows
//! about pools or users; `ops::passkeys` maps a [`Refusal`] to the
//! service's exceptions.

mod assertion;
mod auth_data;
mod cbor;
mod client_data;
mod cose;
mod registration;

use std::fmt;

use base64::alphabet::URL_SAFE;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

pub use assertion::{verify_assertion, Assertion, AssertionCheck};
pub use cose::CredentialKey;
pub use registration::{verify_registration, Registration, RegistrationCheck};

/// COSE algorithm identifiers the endpoint offers (pubKeyCredParams).
pub const ES256: i64 = -7;
pub const RS256: i64 = -257;

/// The largest credential id the specification allows.
pub const MAX_CREDENTIAL_ID_BYTES: usize = 1023;
/// Bounds on the decoded binary fields of a response.
const MAX_CLIENT_DATA_BYTES: usize = 4096;
const MAX_AUTH_DATA_BYTES: usize = 4096;
const MAX_ATTESTATION_OBJECT_BYTES: usize = 16 * 1024;
const MAX_SIGNATURE_BYTES: usize = 1024;
const MAX_USER_HANDLE_BYTES: usize = 64;

/// What the relying party requires of every ceremony.
#[derive(Debug, Clone, Copy)]
pub struct RelyingParty<'a> {
    pub id: &'a str,
    /// The pool's UserVerification is `required` (else `preferred`).
    pub user_verification_required: bool,
}

/// Why a registration or an assertion is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A field is missing, too long, or not what its encoding promises.
    Malformed(String),
    /// clientDataJSON.type is not the ceremony's.
    WrongType,
    /// clientDataJSON.challenge is not the one issued.
    WrongChallenge,
    /// clientDataJSON.origin is not allowed for the RP ID (or the
    /// credential was made in a cross-origin frame).
    OriginNotAllowed(String),
    /// The authenticator data is for another RP ID.
    RelyingPartyMismatch,
    /// The user-present flag is not set.
    UserNotPresent,
    /// The user-verified flag is not set and the pool requires it.
    UserNotVerified,
    /// A key algorithm other than ES256 and RS256, or a key that is not one.
    UnsupportedKey(String),
    /// An attestation format other than `none` and self `packed`.
    UnsupportedAttestation(String),
    /// The attestation or assertion signature does not verify.
    BadSignature,
    /// The signature counter did not increase (a cloned authenticator, or a
    /// replayed assertion).
    CounterNotIncreased,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Malformed(what) => write!(f, "Malformed credential: {what}"),
            Refusal::WrongType => f.write_str("The client data type does not match the ceremony"),
            Refusal::WrongChallenge => {
                f.write_str("The client data challenge does not match the issued challenge")
            }
            Refusal::OriginNotAllowed(origin) => {
                write!(f, "Origin {origin} is not allowed for the relying party")
            }
            Refusal::RelyingPartyMismatch => {
                f.write_str("The credential is for a different relying party than the user pool's")
            }
            Refusal::UserNotPresent => f.write_str("The authenticator did not test user presence"),
            Refusal::UserNotVerified => f.write_str(
                "The authenticator did not verify the user and the user pool requires it",
            ),
            Refusal::UnsupportedKey(what) => write!(f, "Unsupported credential key: {what}"),
            Refusal::UnsupportedAttestation(what) => {
                write!(f, "Unsupported attestation: {what}")
            }
            Refusal::BadSignature => f.write_str("The signature does not verify"),
            Refusal::CounterNotIncreased => f.write_str("The signature counter did not increase"),
        }
    }
}

pub type Verified<T> = Result<T, Refusal>;

fn malformed(what: impl Into<String>) -> Refusal {
    Refusal::Malformed(what.into())
}

/// base64url as WebAuthn's JSON encoding writes it: no padding, though
/// padding is tolerated.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Decodes the base64url field `name`, refusing more than `max` bytes
/// before decoding anything.
pub fn base64url_field(text: &str, name: &str, max: usize) -> Verified<Vec<u8>> {
    if text.len() > max.div_ceil(3) * 4 {
        return Err(malformed(format!("{name} is longer than {max} bytes")));
    }
    BASE64URL
        .decode(text)
        .map_err(|_| malformed(format!("{name} is not base64url")))
}

/// base64url without padding, as the options and listings show binary values.
pub fn base64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Whether a page at `origin` may use credentials of `rp_id`: its host is
/// the RP ID or a subdomain of it, over https, or over http on `localhost`
/// (which browsers treat as a secure context). Any port.
pub fn origin_allowed(origin: &str, rp_id: &str) -> bool {
    let Some((scheme, authority)) = origin.split_once("://") else {
        return false;
    };
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if port.parse::<u16>().is_ok_and(|p| p != 0) => host,
        Some(_) => return false,
        None => authority,
    };
    let valid_host = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
    let within = host == rp_id || host.ends_with(&format!(".{rp_id}"));
    let is_localhost = host == "localhost" || host.ends_with(".localhost");
    let secure = scheme == "https" || (scheme == "http" && is_localhost);
    valid_host && within && secure
}

/// Whether `id` can be a relying-party id: a lower-case host name (browsers
/// refuse IP addresses, and so does the service).
pub fn valid_rp_id(id: &str) -> bool {
    let labels_ok = id.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    });
    let is_ip = id.split('.').all(|l| l.bytes().all(|b| b.is_ascii_digit()));
    !id.is_empty() && id.len() <= 253 && labels_ok && !is_ip
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_follow_the_rp_id() {
        assert!(origin_allowed("http://localhost:8080", "localhost"));
        assert!(origin_allowed("http://localhost", "localhost"));
        assert!(origin_allowed("https://localhost:3000", "localhost"));
        assert!(origin_allowed("https://app.example.com", "example.com"));
        assert!(origin_allowed("https://example.com", "example.com"));
        assert!(
            !origin_allowed("http://example.com", "example.com"),
            "http off localhost"
        );
        assert!(!origin_allowed("http://127.0.0.1:8080", "localhost"));
        assert!(!origin_allowed("https://badexample.com", "example.com"));
        assert!(!origin_allowed(
            "https://example.com.evil.test",
            "example.com"
        ));
        assert!(!origin_allowed("http://localhost:0", "localhost"));
        assert!(!origin_allowed("http://localhost:99999", "localhost"));
        assert!(!origin_allowed("http://localhost/path", "localhost"));
        assert!(!origin_allowed("localhost", "localhost"));
        assert!(!origin_allowed("http://LOCALHOST", "localhost"));
    }

    #[test]
    fn rp_ids_are_host_names() {
        assert!(valid_rp_id("localhost"));
        assert!(valid_rp_id("auth.example.com"));
        assert!(!valid_rp_id("127.0.0.1"));
        assert!(!valid_rp_id("Example.com"));
        assert!(!valid_rp_id("example..com"));
        assert!(!valid_rp_id("-a.com"));
        assert!(!valid_rp_id(""));
    }

    #[test]
    fn base64url_fields_are_bounded() {
        assert_eq!(base64url_field("AAEC", "x", 3).unwrap(), [0, 1, 2]);
        assert_eq!(base64url_field("AAE=", "x", 3).unwrap(), [0, 1]);
        assert_eq!(base64url_field("_-8", "x", 3).unwrap(), [0xff, 0xef]);
        assert!(base64url_field("AAECAw", "x", 3).is_err());
        assert!(
            base64url_field("AA+/", "x", 3).is_err(),
            "standard alphabet"
        );
    }
}
