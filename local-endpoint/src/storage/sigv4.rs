//! SigV4 verification as S3 does it (service `s3`): the canonical URI is the
//! path as sent (URI-encoded once by the client, not normalised or encoded
//! again, as for other services), the payload line
//! is the `x-amz-content-sha256` header's value (a hex SHA-256,
//! `UNSIGNED-PAYLOAD` or a `STREAMING-…` mode), every `x-amz-*` header must
//! be signed, temporary credentials need their session token, and the
//! request time may be 15 minutes off. Errors carry S3's codes and messages.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::error::{S3Error, S3Result};
use super::time::parse_amz_date;
use crate::identity::store::IssuedCredentials;
use crate::router::HttpRequest;

const ALGORITHM: &str = "AWS4-HMAC-SHA256";
const SERVICE: &str = "s3";
/// The most a request's X-Amz-Date may differ from the endpoint's clock.
pub const MAX_SKEW_SECONDS: u64 = 15 * 60;
pub const CONTENT_SHA256: &str = "x-amz-content-sha256";

/// The parts of `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
#[derive(Debug, PartialEq, Eq)]
struct Authorization<'a> {
    access_key_id: &'a str,
    day: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

fn parse_authorization(header: &str) -> S3Result<Authorization<'_>> {
    let Some(fields) = header
        .strip_prefix(ALGORITHM)
        .filter(|f| f.starts_with(' '))
    else {
        return Err(S3Error::invalid_request(
            "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.",
        ));
    };
    let malformed =
        || S3Error::malformed_authorization("expecting Credential, SignedHeaders and Signature.");
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for field in fields.split(',') {
        let (name, value) = field.trim().split_once('=').ok_or_else(malformed)?;
        let slot = match name {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            _ => return Err(malformed()),
        };
        if slot.replace(value).is_some() {
            return Err(malformed());
        }
    }
    let (credential, signed_headers, signature) = (
        credential.ok_or_else(malformed)?,
        signed_headers.ok_or_else(malformed)?,
        signature.ok_or_else(malformed)?,
    );
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key_id, day, region, service, "aws4_request"] = scope[..] else {
        return Err(S3Error::malformed_authorization(
            "the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".",
        ));
    };
    Ok(Authorization {
        access_key_id,
        day,
        region,
        service,
        signed_headers: signed_headers.split(';').collect(),
        signature,
    })
}

/// Checks the request's signature and credentials; the credentials it was
/// signed with. `lookup` finds issued credentials by access key id;
/// `region` is the bucket's.
pub fn verify<'a>(
    request: &HttpRequest,
    lookup: impl Fn(&str) -> Option<&'a IssuedCredentials>,
    region: &str,
    now: u64,
) -> S3Result<&'a IssuedCredentials> {
    let (raw_path, query) = request.url.split_once('?').unwrap_or((&request.url, ""));
    let header = request
        .header("authorization")
        .ok_or_else(S3Error::access_denied)?;
    let auth = parse_authorization(header)?;
    let date_error = || {
        S3Error::new(
            403,
            "AccessDenied",
            "AWS authentication requires a valid Date or x-amz-date header",
        )
    };
    let amz_date = request.header("x-amz-date").ok_or_else(date_error)?;
    let signed_at = parse_amz_date(amz_date).ok_or_else(date_error)?;
    if auth.day != &amz_date[..8] {
        return Err(S3Error::malformed_authorization(
            "Invalid credential date. Date is not the same as X-Amz-Date.",
        ));
    }
    if auth.service != SERVICE {
        return Err(S3Error::malformed_authorization(&format!(
            "incorrect service \"{}\". This endpoint belongs to \"{SERVICE}\".",
            auth.service
        )));
    }
    if auth.region != region {
        return Err(S3Error::malformed_authorization(&format!(
            "the region '{}' is wrong; expecting '{region}'",
            auth.region
        ))
        .with("Region", region));
    }
    let credentials = lookup(auth.access_key_id).ok_or_else(|| {
        S3Error::new(
            403,
            "InvalidAccessKeyId",
            "The AWS Access Key Id you provided does not exist in our records.",
        )
        .with("AWSAccessKeyId", auth.access_key_id)
    })?;
    match request.header("x-amz-security-token") {
        // Temporary credentials without their token are not known keys.
        None => {
            return Err(S3Error::new(
                403,
                "InvalidAccessKeyId",
                "The AWS Access Key Id you provided does not exist in our records.",
            )
            .with("AWSAccessKeyId", auth.access_key_id))
        }
        Some(token)
            if !bool::from(token.as_bytes().ct_eq(credentials.session_token.as_bytes())) =>
        {
            return Err(S3Error::new(
                400,
                "InvalidToken",
                "The provided token is malformed or otherwise invalid.",
            ))
        }
        Some(_) => {}
    }
    if now >= credentials.expires {
        return Err(S3Error::new(
            400,
            "ExpiredToken",
            "The provided token has expired.",
        ));
    }
    if signed_at.abs_diff(now) > MAX_SKEW_SECONDS {
        return Err(S3Error::new(
            403,
            "RequestTimeTooSkewed",
            "The difference between the request time and the current time is too large.",
        )
        .with("RequestTime", amz_date)
        .with("ServerTime", super::time::http_date(now))
        .with(
            "MaxAllowedSkewMilliseconds",
            (MAX_SKEW_SECONDS * 1000).to_string(),
        ));
    }
    let unsigned: Vec<&str> = request
        .headers
        .iter()
        .map(|(name, _)| name.as_str())
        .filter(|name| {
            let lower = name.to_ascii_lowercase();
            (lower.starts_with("x-amz-") || lower == "host")
                && !auth.signed_headers.contains(&lower.as_str())
        })
        .collect();
    if !unsigned.is_empty() || !auth.signed_headers.contains(&"host") {
        return Err(S3Error::new(
            403,
            "AccessDenied",
            "There were headers present in the request which were not signed",
        )
        .with("HeadersNotSigned", unsigned.join(", ").to_ascii_lowercase()));
    }
    let payload = request.header(CONTENT_SHA256).ok_or_else(|| {
        S3Error::invalid_request(format!(
            "Missing required header for this request: {CONTENT_SHA256}"
        ))
    })?;
    let canonical = canonical_request(request, raw_path, query, &auth.signed_headers, payload)?;
    let (string_to_sign, expected) =
        signature(&canonical, amz_date, auth.region, &credentials.secret_key);
    if bool::from(expected.as_bytes().ct_eq(auth.signature.as_bytes())) {
        Ok(credentials)
    } else {
        Err(S3Error::new(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. \
             Check your key and signing method.",
        )
        .with("AWSAccessKeyId", auth.access_key_id)
        .with("StringToSign", string_to_sign)
        .with("SignatureProvided", auth.signature)
        .with("CanonicalRequest", canonical))
    }
}

fn canonical_request(
    request: &HttpRequest,
    raw_path: &str,
    query: &str,
    signed_headers: &[&str],
    payload: &str,
) -> S3Result<String> {
    let invalid_uri = || S3Error::new(400, "InvalidURI", "Couldn't parse the specified URI.");
    let mut pairs = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = percent_decode(name).ok_or_else(invalid_uri)?;
        let value = percent_decode(value).ok_or_else(invalid_uri)?;
        pairs.push((uri_encode(&name), uri_encode(&value)));
    }
    pairs.sort();
    let query = pairs
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let mut headers = String::new();
    for name in signed_headers {
        let values: Vec<String> = request
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    Ok(format!(
        "{}\n{}\n{query}\n{headers}\n{}\n{payload}",
        request.method,
        raw_path,
        signed_headers.join(";")
    ))
}

/// The names of a query string's parameters, undecoded.
pub fn query_names(query: &str) -> impl Iterator<Item = &str> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').map_or(p, |(n, _)| n))
}

/// `%XX` escapes decoded (`+` stays `+`); None when an escape is broken.
pub fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let high = char::from(bytes.next()?).to_digit(16)?;
            let low = char::from(bytes.next()?).to_digit(16)?;
            out.push((high * 16 + low) as u8);
        } else {
            out.push(b);
        }
    }
    Some(out)
}

/// RFC 3986 encoding of all but the unreserved characters, upper-case hex,
/// as SigV4 canonicalises query strings.
fn uri_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// The string to sign of a canonical request and its signature.
fn signature(canonical: &str, amz_date: &str, region: &str, secret: &str) -> (String, String) {
    let day = &amz_date[..8];
    let scope = format!("{day}/{region}/{SERVICE}/aws4_request");
    let string_to_sign = format!(
        "{ALGORITHM}\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical))
    );
    let key = hmac(format!("AWS4{secret}").as_bytes(), day.as_bytes());
    let key = hmac(&key, region.as_bytes());
    let key = hmac(&key, SERVICE.as_bytes());
    let key = hmac(&key, b"aws4_request");
    let signature = hex(&hmac(&key, string_to_sign.as_bytes()));
    (string_to_sign, signature)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// AWS's published S3 example ("GET Object", examplebucket, test.txt,
    /// bytes 0-9) from the SigV4 header-based authentication documentation.
    #[test]
    fn the_documented_s3_get_object_example_signs_alike() {
        let request = HttpRequest {
            method: "GET".into(),
            url: "/test.txt".into(),
            headers: vec![
                ("Host".into(), "examplebucket.s3.amazonaws.com".into()),
                ("Range".into(), "bytes=0-9".into()),
                (CONTENT_SHA256.into(), EMPTY_SHA256.into()),
                ("x-amz-date".into(), "20130524T000000Z".into()),
            ],
            body: Vec::new(),
        };
        let signed = ["host", "range", CONTENT_SHA256, "x-amz-date"];
        let canonical =
            canonical_request(&request, "/test.txt", "", &signed, EMPTY_SHA256).unwrap();
        assert_eq!(
            hex(&Sha256::digest(&canonical)),
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972"
        );
        let (_, signature) = signature(
            &canonical,
            "20130524T000000Z",
            "us-east-1",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        );
        assert_eq!(
            signature,
            "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
    }

    #[test]
    fn the_path_is_signed_as_sent_and_the_query_canonicalised() {
        let request = HttpRequest {
            method: "PUT".into(),
            url: "/s3/b/private/us-east-1%3Aabc/hello%20world%21.txt?x-id=PutObject&a=%2a&b=c d&e"
                .into(),
            headers: vec![("host".into(), "127.0.0.1:1".into())],
            body: Vec::new(),
        };
        let (path, query) = request.url.split_once('?').unwrap();
        let canonical =
            canonical_request(&request, path, query, &["host"], "UNSIGNED-PAYLOAD").unwrap();
        assert_eq!(
            canonical,
            "PUT\n/s3/b/private/us-east-1%3Aabc/hello%20world%21.txt\na=%2A&b=c%20d&e=&x-id=PutObject\n\
             host:127.0.0.1:1\n\nhost\nUNSIGNED-PAYLOAD"
        );
    }

    #[test]
    fn authorization_headers_parse_strictly() {
        let ok = parse_authorization(
            "AWS4-HMAC-SHA256 Credential=AKID/20261207/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=ab",
        )
        .unwrap();
        assert_eq!(ok.access_key_id, "AKID");
        assert_eq!(ok.signed_headers, ["host", "x-amz-date"]);
        for bad in [
            "AWS AKID:sig",
            "AWS4-HMAC-SHA256 Credential=AKID/20261207/us-east-1/s3/aws4_request, Signature=ab",
            "AWS4-HMAC-SHA256 Credential=AKID/20261207/us-east-1/s3, SignedHeaders=host, Signature=ab",
            "AWS4-HMAC-SHA256 Credential=a/b/c/d/aws4_request, Credential=x, SignedHeaders=host, Signature=ab",
        ] {
            assert!(parse_authorization(bad).is_err(), "{bad}");
        }
    }
}
