//! A request body as S3 reads it: checked against `x-amz-content-sha256`
//! (a hex SHA-256 or `UNSIGNED-PAYLOAD`), or decoded from `aws-chunked`
//! (`STREAMING-UNSIGNED-PAYLOAD-TRAILER`, which recent SDKs send for streams,
//! with the checksum in a trailer), then checked against the checksums it
//! came with (`x-amz-checksum-crc32`, `x-amz-checksum-sha256`, `Content-MD5`).

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use md5::Md5;
use sha2::{Digest, Sha256};

use super::error::{S3Error, S3Result};
use super::sigv4::{hex, CONTENT_SHA256};
use crate::router::HttpRequest;

/// The largest object the storage service keeps.
pub const MAX_OBJECT_BYTES: usize = 512 * 1024;
const UNSIGNED: &str = "UNSIGNED-PAYLOAD";
const UNSIGNED_TRAILER: &str = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
/// The signed-chunk modes, which the endpoint does not verify.
const SIGNED_STREAMING: [&str; 4] = [
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
    "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
    "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER",
];
const CHECKSUM_PREFIX: &str = "x-amz-checksum-";
/// Headers named like checksums that are not checksums of the body.
const NOT_CHECKSUMS: [&str; 3] = [
    "x-amz-checksum-mode",
    "x-amz-checksum-type",
    "x-amz-checksum-algorithm",
];
/// Checksum algorithms S3 accepts that the endpoint does not compute.
const UNVERIFIED_CHECKSUMS: [&str; 3] = ["crc32c", "crc64nvme", "sha1"];

/// Trailers of an `aws-chunked` body: (name lower-cased, value).
type Trailers = Vec<(String, String)>;

/// An object's bytes, with the checksums that came with it (verified).
pub struct Payload {
    pub bytes: Vec<u8>,
    /// (`x-amz-checksum-<algorithm>`, base64 value), from headers or trailers.
    pub checksums: Vec<(String, String)>,
    /// `Content-Encoding` without `aws-chunked`.
    pub content_encoding: Option<String>,
}

fn too_large() -> S3Error {
    S3Error::new(
        400,
        "EntityTooLarge",
        "Your proposed upload exceeds the maximum allowed size",
    )
    .with("MaxSizeAllowed", MAX_OBJECT_BYTES.to_string())
}

fn missing_length() -> S3Error {
    S3Error::new(
        411,
        "MissingContentLength",
        "You must provide the Content-Length HTTP header.",
    )
}

fn incomplete_body() -> S3Error {
    S3Error::new(
        400,
        "IncompleteBody",
        "You did not provide the number of bytes specified by the Content-Length HTTP header",
    )
}

/// The body of a request whose signature was checked; `x-amz-content-sha256`
/// is present (the signature check requires it).
pub fn read(request: &HttpRequest) -> S3Result<Payload> {
    let mode = request.header(CONTENT_SHA256).unwrap_or_default();
    let (bytes, trailers) = if mode == UNSIGNED_TRAILER {
        decode_streaming(request)?
    } else if SIGNED_STREAMING.contains(&mode) {
        return Err(S3Error::not_implemented(&format!(
            "{CONTENT_SHA256}: {mode}"
        )));
    } else if mode == UNSIGNED || is_sha256_hex(mode) {
        let body = whole_body(request)?;
        let computed = hex(&Sha256::digest(body));
        if mode != UNSIGNED && mode != computed {
            return Err(S3Error::new(
                400,
                "XAmzContentSHA256Mismatch",
                "The provided 'x-amz-content-sha256' header does not match what was computed.",
            )
            .with("ClientComputedContentSHA256", mode)
            .with("S3ComputedContentSHA256", computed));
        }
        (body.to_vec(), Vec::new())
    } else {
        return Err(S3Error::new(
            400,
            "InvalidArgument",
            "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, \
             STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, \
             STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, \
             STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.",
        ));
    };
    let headers = request
        .headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_owned()));
    let checksums: Vec<(String, String)> = headers
        .filter(|(name, _)| {
            name.starts_with(CHECKSUM_PREFIX) && !NOT_CHECKSUMS.contains(&name.as_str())
        })
        .chain(trailers)
        .collect();
    let crc32 = BASE64.encode(crc32fast::hash(&bytes).to_be_bytes());
    let sha256 = BASE64.encode(Sha256::digest(&bytes));
    for (name, value) in &checksums {
        let algorithm = name.strip_prefix(CHECKSUM_PREFIX).unwrap_or_default();
        let (label, computed) = match algorithm {
            "crc32" => ("CRC32", &crc32),
            "sha256" => ("SHA256", &sha256),
            other if UNVERIFIED_CHECKSUMS.contains(&other) => {
                return Err(S3Error::not_implemented(&format!("the {other} checksum")))
            }
            _ => {
                return Err(S3Error::invalid_request(format!(
                    "Value for {name} header is invalid."
                )))
            }
        };
        if BASE64.decode(value).is_err() {
            return Err(S3Error::invalid_request(format!(
                "Value for {name} header is invalid."
            )));
        }
        if value != computed {
            return Err(S3Error::new(
                400,
                "BadDigest",
                format!("The {label} you specified did not match the calculated checksum."),
            ));
        }
    }
    if let Some(md5) = request.header("content-md5") {
        let sent = BASE64
            .decode(md5.trim())
            .ok()
            .filter(|d| d.len() == 16)
            .ok_or_else(|| {
                S3Error::new(
                    400,
                    "InvalidDigest",
                    "The Content-MD5 you specified was invalid.",
                )
            })?;
        if sent[..] != Md5::digest(&bytes)[..] {
            return Err(S3Error::new(
                400,
                "BadDigest",
                "The Content-MD5 you specified did not match what we received.",
            ));
        }
    }
    let content_encoding = request.header("content-encoding").and_then(|value| {
        let kept: Vec<&str> = value
            .split(',')
            .map(str::trim)
            .filter(|coding| !coding.is_empty() && !coding.eq_ignore_ascii_case("aws-chunked"))
            .collect();
        (!kept.is_empty()).then(|| kept.join(", "))
    });
    Ok(Payload {
        bytes,
        checksums,
        content_encoding,
    })
}

fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The body as sent, which the server read in full (PUT needs a length).
fn whole_body(request: &HttpRequest) -> S3Result<&[u8]> {
    let declared = request
        .header("content-length")
        .map(|v| v.trim().parse::<usize>());
    match declared {
        Some(Ok(length)) if length > MAX_OBJECT_BYTES => Err(too_large()),
        // The server stops reading long bodies: a shorter one was cut off.
        Some(Ok(length)) if length != request.body.len() => Err(incomplete_body()),
        Some(Ok(_)) => Ok(&request.body),
        Some(Err(_)) => Err(S3Error::invalid_request(
            "The Content-Length header is not a number.",
        )),
        None if request.method == "PUT" => Err(missing_length()),
        None => Ok(&request.body),
    }
}

/// The decoded object and its trailers (name lower-cased, value).
fn decode_streaming(request: &HttpRequest) -> S3Result<(Vec<u8>, Trailers)> {
    let declared = request
        .header("x-amz-decoded-content-length")
        .ok_or_else(missing_length)?
        .trim()
        .parse::<usize>()
        .map_err(|_| S3Error::invalid_request("x-amz-decoded-content-length is not a number."))?;
    if declared > MAX_OBJECT_BYTES {
        return Err(too_large());
    }
    let malformed = || {
        S3Error::new(
            400,
            "IncompleteBody",
            "The aws-chunked request body is malformed.",
        )
    };
    let (bytes, trailers) = decode_aws_chunked(&request.body).ok_or_else(malformed)?;
    if bytes.len() != declared {
        return Err(incomplete_body());
    }
    let announced: Vec<String> = request
        .header("x-amz-trailer")
        .unwrap_or_default()
        .split(',')
        .map(|name| name.trim().to_ascii_lowercase())
        .filter(|name| !name.is_empty())
        .collect();
    let names: Vec<&String> = trailers.iter().map(|(name, _)| name).collect();
    if names.len() != announced.len() || !names.iter().all(|name| announced.contains(name)) {
        return Err(S3Error::new(
            400,
            "MalformedTrailerError",
            "The request contained trailing data that was not well-formed or did not conform to our published schema.",
        ));
    }
    Ok((bytes, trailers))
}

/// `<hex size>\r\n<bytes>\r\n` chunks, a `0\r\n` chunk, trailer lines
/// `name:value\r\n`, and `\r\n`. None when the body is not of that form.
fn decode_aws_chunked(body: &[u8]) -> Option<(Vec<u8>, Trailers)> {
    fn line(rest: &mut &[u8]) -> Option<String> {
        let end = rest.windows(2).position(|w| w == b"\r\n")?;
        let text = std::str::from_utf8(&rest[..end]).ok()?.to_owned();
        *rest = &rest[end + 2..];
        Some(text)
    }
    let mut rest = body;
    let mut bytes = Vec::new();
    loop {
        let size_line = line(&mut rest)?;
        if size_line.is_empty() || size_line.len() > 16 {
            return None;
        }
        let size = usize::from_str_radix(&size_line, 16).ok()?;
        if size == 0 {
            break;
        }
        let chunk = rest.get(..size)?;
        if rest.get(size..size + 2)? != b"\r\n" {
            return None;
        }
        bytes.extend_from_slice(chunk);
        rest = &rest[size + 2..];
    }
    let mut trailers = Vec::new();
    loop {
        let trailer = line(&mut rest)?;
        if trailer.is_empty() {
            break;
        }
        let (name, value) = trailer.split_once(':')?;
        trailers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    rest.is_empty().then_some((bytes, trailers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_chunked_bodies_decode_with_their_trailers() {
        // What @aws-sdk/client-s3 3.x sends for a 13-byte stream.
        let body = b"d\r\nstreamed body\r\n0\r\nx-amz-checksum-crc32:z7Y9bA==\r\n\r\n";
        let (bytes, trailers) = decode_aws_chunked(body).unwrap();
        assert_eq!(bytes, b"streamed body");
        assert_eq!(
            trailers,
            [("x-amz-checksum-crc32".to_owned(), "z7Y9bA==".to_owned())]
        );
        assert_eq!(
            BASE64.encode(crc32fast::hash(&bytes).to_be_bytes()),
            "z7Y9bA=="
        );
        let two = b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        assert_eq!(
            decode_aws_chunked(two).unwrap(),
            (b"abcde".to_vec(), Vec::new())
        );
    }

    #[test]
    fn malformed_aws_chunked_bodies_are_refused() {
        for bad in [
            &b""[..],
            b"d\r\nstreamed body\r\n",
            b"5\r\nabc\r\n0\r\n\r\n",
            b"3\r\nabcX\r\n0\r\n\r\n",
            b"zz\r\nabc\r\n0\r\n\r\n",
            b"3;chunk-signature=00\r\nabc\r\n0\r\n\r\n",
            b"0\r\nno-colon\r\n\r\n",
            b"0\r\n\r\nextra",
        ] {
            assert_eq!(
                decode_aws_chunked(bad),
                None,
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
