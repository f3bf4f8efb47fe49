//! AWS Signature Version 4, as pure functions: one per step of the
//! algorithm (canonical request, string to sign, signing key, signature),
//! with the time passed in. The admin API signs with it; the local endpoint
//! verifies with it. Checked against botocore's signer on fixed requests
//! (`tests/vectors/sigv4.json`).
//!
//! ```text
//! CanonicalRequest = Method \n CanonicalURI \n CanonicalQuery \n
//!                    CanonicalHeaders \n SignedHeaders \n hex(SHA256(body))
//! StringToSign     = "AWS4-HMAC-SHA256" \n AmzDate \n Scope \n hex(SHA256(CanonicalRequest))
//! Scope            = Date/Region/Service/"aws4_request"
//! SigningKey       = HMAC(HMAC(HMAC(HMAC("AWS4" + Secret, Date), Region), Service), "aws4_request")
//! Signature        = hex(HMAC(SigningKey, StringToSign))
//! ```

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The service name Cognito user pools sign with.
pub const SERVICE: &str = "cognito-idp";

/// IAM credentials supplied by the caller. `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
}

impl core::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

/// A request to sign: `headers` are every header that is sent and signed
/// (the `host` header included), names in any case.
pub struct Request<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// RFC 3986 percent-encoding of everything but the unreserved characters
/// (and `/` when `keep_slash`).
pub fn uri_encode(text: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) || (keep_slash && b == b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Header names lower-cased and sorted, values trimmed with inner runs of
/// spaces collapsed: (`canonical headers` text, `signed headers` list).
pub fn canonical_headers(headers: &[(String, String)]) -> (String, String) {
    let mut pairs: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| {
            (
                n.to_ascii_lowercase(),
                v.split_whitespace().collect::<Vec<_>>().join(" "),
            )
        })
        .collect();
    pairs.sort();
    let mut text = String::new();
    let mut names: Vec<&str> = Vec::new();
    for (name, value) in &pairs {
        text.push_str(name);
        text.push(':');
        text.push_str(value);
        text.push('\n');
        if names.last() != Some(&name.as_str()) {
            names.push(name);
        }
    }
    (text, names.join(";"))
}

/// Step 1: the canonical request.
pub fn canonical_request(request: &Request<'_>) -> String {
    let (headers, signed) = canonical_headers(request.headers);
    let path = if request.path.is_empty() {
        "/"
    } else {
        request.path
    };
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        request.method,
        uri_encode(path, true),
        request.query,
        headers,
        signed,
        sha256_hex(request.body)
    )
}

/// `date/region/service/aws4_request`; `date` is the first 8 characters of
/// the `amz_date`.
pub fn scope(amz_date: &str, region: &str, service: &str) -> String {
    let date = amz_date.get(..8).unwrap_or(amz_date);
    format!("{date}/{region}/{service}/aws4_request")
}

/// Step 2: the string to sign.
pub fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{amz_date}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

/// Step 3: the signing key, derived from the secret key and the scope.
pub fn signing_key(secret_access_key: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
    let k_date = hmac(
        format!("AWS4{secret_access_key}").as_bytes(),
        date.as_bytes(),
    );
    let k_region = hmac(&k_date, region.as_bytes());
    let k_service = hmac(&k_region, service.as_bytes());
    hmac(&k_service, b"aws4_request")
}

/// Step 4: the signature, lower-case hex.
pub fn signature(signing_key: &[u8; 32], string_to_sign: &str) -> String {
    hex(&hmac(signing_key, string_to_sign.as_bytes()))
}

/// All four steps: the `Authorization` header value for `request`, whose
/// headers must already include `X-Amz-Date` (and `X-Amz-Security-Token`
/// for temporary credentials).
pub fn authorization(
    request: &Request<'_>,
    credentials: &Credentials,
    region: &str,
    service: &str,
    amz_date: &str,
) -> String {
    let canonical = canonical_request(request);
    let scope = scope(amz_date, region, service);
    let to_sign = string_to_sign(amz_date, &scope, &canonical);
    let key = signing_key(
        &credentials.secret_access_key,
        &amz_date[..8.min(amz_date.len())],
        region,
        service,
    );
    let (_, signed) = canonical_headers(request.headers);
    format!(
        "{ALGORITHM} Credential={}/{scope}, SignedHeaders={signed}, Signature={}",
        credentials.access_key_id,
        signature(&key, &to_sign)
    )
}

/// `YYYYMMDDTHHMMSSZ` for a Unix time in seconds (UTC).
pub fn amz_date(unix_seconds: u64) -> String {
    let days = unix_seconds / 86_400;
    let secs = unix_seconds % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// The Unix time of an `X-Amz-Date` value, `None` if malformed.
pub fn parse_amz_date(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |r: core::ops::Range<usize>| -> Option<u64> {
        let s = text.get(r)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    let (y, m, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (hh, mm, ss) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    Some(days_from_civil(y, m, d)? * 86_400 + hh * 3600 + mm * 60 + ss)
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian, from 1970).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d)
}

fn days_from_civil(y: u64, m: u64, d: u64) -> Option<u64> {
    let y = if m <= 2 { y.checked_sub(1)? } else { y };
    let era = y / 400;
    let yoe = y % 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe).checked_sub(719_468)
}

/// The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    pub access_key_id: String,
    pub date: String,
    pub region: String,
    pub service: String,
    /// Lower-case names, `;`-separated, as sent.
    pub signed_headers: String,
    pub signature: String,
}

/// Parses an `Authorization` header; `None` when it is not SigV4.
pub fn parse_authorization(header: &str) -> Option<Authorization> {
    let rest = header.trim().strip_prefix(ALGORITHM)?.trim_start();
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (key, value) = part.trim().split_once('=')?;
        match key {
            "Credential" => credential = Some(value),
            "SignedHeaders" => signed = Some(value),
            "Signature" => signature = Some(value),
            _ => return None,
        }
    }
    let mut scope = credential?.split('/');
    let auth = Authorization {
        access_key_id: scope.next()?.to_owned(),
        date: scope.next()?.to_owned(),
        region: scope.next()?.to_owned(),
        service: scope.next()?.to_owned(),
        signed_headers: signed?.to_owned(),
        signature: signature?.to_owned(),
    };
    (scope.next()? == "aws4_request" && scope.next().is_none()).then_some(auth)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(amz_date(0), "19700101T000000Z");
        assert_eq!(amz_date(1_573_689_600), "20191114T000000Z");
        assert_eq!(amz_date(951_782_400 + 86_399), "20000229T235959Z");
        for t in [0, 1, 59, 86_400, 951_868_799, 1_700_000_000, 4_102_444_800] {
            assert_eq!(parse_amz_date(&amz_date(t)), Some(t));
        }
        assert_eq!(parse_amz_date("20191114T000000"), None);
        assert_eq!(parse_amz_date("2019111xT000000Z"), None);
        assert_eq!(parse_amz_date("20191314T000000Z"), None);
    }

    #[test]
    fn headers_are_canonicalised() {
        let headers = vec![
            ("X-Amz-Date".to_string(), "20150830T123600Z".to_string()),
            ("Host".to_string(), "  example.amazonaws.com ".to_string()),
            ("My-Header".to_string(), "a   b  c".to_string()),
        ];
        let (text, signed) = canonical_headers(&headers);
        assert_eq!(
            text,
            "host:example.amazonaws.com\nmy-header:a b c\nx-amz-date:20150830T123600Z\n"
        );
        assert_eq!(signed, "host;my-header;x-amz-date");
    }

    /// The AWS documentation's example signing key (IAM, "Examples of how to
    /// derive a signing key for Signature Version 4").
    #[test]
    fn documented_signing_key() {
        let key = signing_key(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "20120215",
            "us-east-1",
            "iam",
        );
        assert_eq!(
            hex(&key),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
        );
    }

    #[test]
    fn authorization_parses_back() {
        let headers = vec![
            ("Host".to_string(), "h".to_string()),
            ("X-Amz-Date".to_string(), "20191114T000000Z".to_string()),
        ];
        let request = Request {
            method: "POST",
            path: "/",
            query: "",
            headers: &headers,
            body: b"{}",
        };
        let credentials = Credentials {
            access_key_id: "AKID".into(),
            secret_access_key: "secret".into(),
            session_token: None,
        };
        let header = authorization(
            &request,
            &credentials,
            "eu-west-1",
            SERVICE,
            "20191114T000000Z",
        );
        let parsed = parse_authorization(&header).unwrap();
        assert_eq!(parsed.access_key_id, "AKID");
        assert_eq!(parsed.date, "20191114");
        assert_eq!(parsed.region, "eu-west-1");
        assert_eq!(parsed.service, SERVICE);
        assert_eq!(parsed.signed_headers, "host;x-amz-date");
        assert_eq!(parsed.signature.len(), 64);
        assert!(parse_authorization("Bearer x").is_none());
        assert!(format!("{credentials:?}").contains("AKID"));
        assert!(!format!("{credentials:?}").contains("secret"));
    }
}
