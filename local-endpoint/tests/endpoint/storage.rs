//! The storage service: objects put and read with identity-pool
//! credentials, and the requests S3 refuses (expired or unknown keys, a
//! wrong session token, a wrong signature or body hash, what the role does
//! not allow). Requests are signed here with a SigV4 signer written
//! independently of the endpoint's verifier, the way the AWS SDKs sign for
//! S3 (the path as sent, already URI-encoded once).

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use cognito_local::router::HttpResponse;
use hmac::{Hmac, Mac};
use md5::Md5;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::harness::*;
use crate::identity::*;

const HOST: &str = "127.0.0.1:9";

#[derive(Clone)]
struct Keys {
    access_key_id: String,
    secret: String,
    token: String,
}

fn keys_of(answer: &Value) -> Keys {
    let c = &answer["Credentials"];
    Keys {
        access_key_id: c["AccessKeyId"].as_str().unwrap().to_owned(),
        secret: c["SecretKey"].as_str().unwrap().to_owned(),
        token: c["SessionToken"].as_str().unwrap().to_owned(),
    }
}

/// (identity id, its credentials) for alice in the guest pool.
fn alice_keys(h: &mut Harness) -> (String, Keys) {
    let logins = json!({ PROVIDER: alice_token(h) });
    let id = get_id(h, GUEST_POOL, logins.clone()).unwrap();
    (id.clone(), keys_of(&credentials(h, &id, logins).unwrap()))
}

fn guest_keys(h: &mut Harness) -> Keys {
    let id = get_id(h, GUEST_POOL, json!({})).unwrap();
    keys_of(&credentials(h, &id, json!({})).unwrap())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

fn amz_date(unix: u64) -> String {
    // START is 2023-11-14T22:13:20Z; tests stay within that day or near it.
    let day_start = 1_699_920_000;
    assert!(
        (day_start..day_start + 86_400).contains(&unix),
        "pick a time on 2023-11-14"
    );
    let seconds = unix - day_start;
    format!(
        "20231114T{:02}{:02}{:02}Z",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// An S3 request, signed as the AWS SDKs sign it.
struct S3Call {
    method: &'static str,
    url: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl S3Call {
    /// A request at `h`'s time with `host`, `x-amz-date` and the body's
    /// hash (and length, for PUT).
    fn new(h: &Harness, method: &'static str, url: &str, body: &[u8]) -> Self {
        let mut headers = vec![
            ("host".into(), HOST.into()),
            ("x-amz-date".into(), amz_date(h.now())),
            ("x-amz-content-sha256".into(), hex(&Sha256::digest(body))),
        ];
        if method == "PUT" {
            headers.push(("content-length".into(), body.len().to_string()));
        }
        S3Call {
            method,
            url: url.to_owned(),
            headers,
            body: body.to_vec(),
        }
    }

    fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Adds the session token and the Authorization header over every header.
    fn sign(self, keys: &Keys, region: &str) -> Self {
        let call = self.header("x-amz-security-token", &keys.token);
        let authorization = call.authorization(keys, region);
        call.header("authorization", &authorization)
    }

    fn authorization(&self, keys: &Keys, region: &str) -> String {
        let (path, query) = self.url.split_once('?').unwrap_or((&self.url, ""));
        let mut query: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
        query.sort();
        let query: Vec<String> = query
            .iter()
            .map(|p| {
                if p.contains('=') {
                    (*p).to_owned()
                } else {
                    format!("{p}=")
                }
            })
            .collect();
        let mut headers: Vec<(String, String)> = self
            .headers
            .iter()
            .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        headers.sort();
        let signed: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
        let canonical_headers: String = headers.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
        let payload = self
            .headers
            .iter()
            .find(|(n, _)| n == "x-amz-content-sha256")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let canonical = format!(
            "{}\n{path}\n{}\n{canonical_headers}\n{}\n{payload}",
            self.method,
            query.join("&"),
            signed.join(";")
        );
        let date = self
            .headers
            .iter()
            .find(|(n, _)| n == "x-amz-date")
            .unwrap()
            .1
            .clone();
        let scope = format!("{}/{region}/s3/aws4_request", &date[..8]);
        let to_sign = format!(
            "AWS4-HMAC-SHA256\n{date}\n{scope}\n{}",
            hex(&Sha256::digest(&canonical))
        );
        let key = hmac(format!("AWS4{}", keys.secret).as_bytes(), &date[..8]);
        let key = hmac(&key, region);
        let key = hmac(&key, "s3");
        let key = hmac(&key, "aws4_request");
        format!(
            "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={}, Signature={}",
            keys.access_key_id,
            signed.join(";"),
            hex(&hmac(&key, &to_sign))
        )
    }

    fn send(self, h: &mut Harness) -> HttpResponse {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        h.request(self.method, &self.url, &headers, &self.body)
    }
}

/// Asserts an S3 error answer: status, `<Code>`, and text in `<Message>`.
fn s3_refused(response: &HttpResponse, status: u16, code: &str, message: &str) -> String {
    let body = String::from_utf8(response.body.clone()).unwrap();
    assert_eq!(response.status, status, "{body}");
    assert_eq!(response.header("Content-Type"), Some("application/xml"));
    assert!(
        body.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
        "{body}"
    );
    assert!(
        body.contains(&format!("<Code>{code}</Code>")),
        "{code} in {body}"
    );
    assert!(body.contains(message), "{message} in {body}");
    assert!(response.header("x-amz-request-id").is_some());
    body
}

fn put(h: &mut Harness, keys: &Keys, url: &str, body: &[u8]) -> HttpResponse {
    S3Call::new(h, "PUT", url, body)
        .header("content-type", "text/plain")
        .sign(keys, "us-east-1")
        .send(h)
}

fn get(h: &mut Harness, keys: &Keys, url: &str) -> HttpResponse {
    S3Call::new(h, "GET", url, b"")
        .sign(keys, "us-east-1")
        .send(h)
}

#[test]
fn a_signed_in_user_puts_reads_and_deletes_an_object_under_their_identity() {
    let mut h = identity_harness();
    let (id, keys) = alice_keys(&mut h);
    // The identity id's ':' is sent encoded, as the SDKs send it.
    let url = format!(
        "/s3/files/private/{}/notes%20%281%29.txt?x-id=PutObject",
        id.replace(':', "%3A")
    );
    let body = b"my notes";
    let put = S3Call::new(&h, "PUT", &url, body)
        .header("content-type", "text/plain")
        .header("x-amz-meta-topic", "work")
        .header(
            "x-amz-checksum-crc32",
            &BASE64.encode(crc32fast::hash(body).to_be_bytes()),
        )
        .sign(&keys, "us-east-1")
        .send(&mut h);
    assert_eq!(put.status, 200, "{}", String::from_utf8_lossy(&put.body));
    let etag = format!("\"{}\"", hex(&Md5::digest(body)));
    assert_eq!(put.header("ETag"), Some(etag.as_str()));
    assert_eq!(
        put.header("x-amz-checksum-crc32"),
        Some(BASE64.encode(crc32fast::hash(body).to_be_bytes()).as_str())
    );
    assert!(put
        .header("Access-Control-Expose-Headers")
        .unwrap()
        .contains("ETag"));

    let url = url.replace("PutObject", "GetObject");
    let got = S3Call::new(&h, "GET", &url, b"")
        .header("x-amz-checksum-mode", "ENABLED")
        .sign(&keys, "us-east-1")
        .send(&mut h);
    assert_eq!(got.status, 200);
    assert_eq!(got.body, body);
    assert_eq!(got.header("Content-Type"), Some("text/plain"));
    assert_eq!(got.header("ETag"), Some(etag.as_str()));
    assert_eq!(got.header("x-amz-meta-topic"), Some("work"));
    assert_eq!(
        got.header("Last-Modified"),
        Some("Tue, 14 Nov 2023 22:13:20 GMT")
    );
    assert_eq!(
        got.header("x-amz-checksum-crc32"),
        put.header("x-amz-checksum-crc32")
    );
    assert!(got
        .header("Access-Control-Expose-Headers")
        .unwrap()
        .contains("x-amz-meta-topic"));

    let head = S3Call::new(&h, "HEAD", &url, b"")
        .sign(&keys, "us-east-1")
        .send(&mut h);
    assert_eq!((head.status, head.body.len()), (200, 0));
    assert_eq!(head.header("Content-Length"), Some("8"));

    let deleted = S3Call::new(&h, "DELETE", &url, b"")
        .sign(&keys, "us-east-1")
        .send(&mut h);
    assert_eq!(deleted.status, 204);
    let gone = get(&mut h, &keys, &url);
    let body = s3_refused(&gone, 404, "NoSuchKey", "The specified key does not exist.");
    assert!(
        body.contains(&format!("<Key>private/{id}/notes (1).txt</Key>")),
        "{body}"
    );
    let missing_head = S3Call::new(&h, "HEAD", &url, b"")
        .sign(&keys, "us-east-1")
        .send(&mut h);
    assert_eq!((missing_head.status, missing_head.body.len()), (404, 0));
}

#[test]
fn roles_decide_who_reads_and_writes_what() {
    let mut h = identity_harness();
    let guest = guest_keys(&mut h);
    let hello = get(&mut h, &guest, "/s3/files/public/hello.txt");
    assert_eq!(
        (hello.status, hello.body.as_slice()),
        (200, &b"hello, guest"[..])
    );
    s3_refused(
        &put(&mut h, &guest, "/s3/files/public/new.txt", b"x"),
        403,
        "AccessDenied",
        "Access Denied",
    );
    s3_refused(
        &get(&mut h, &guest, "/s3/files/private/x/y"),
        403,
        "AccessDenied",
        "Access Denied",
    );

    let (alice, keys) = alice_keys(&mut h);
    assert_eq!(
        put(&mut h, &keys, "/s3/files/public/new.txt", b"x").status,
        200
    );
    let someone_else = "/s3/files/private/us-east-1%3A00000000-0000-4000-8000-000000000000/f";
    s3_refused(
        &put(&mut h, &keys, someone_else, b"x"),
        403,
        "AccessDenied",
        "Access Denied",
    );
    s3_refused(
        &put(&mut h, &keys, "/s3/files/elsewhere/f", b"x"),
        403,
        "AccessDenied",
        "Access Denied",
    );
    let own = format!("/s3/files/private/{alice}/f");
    assert_eq!(
        put(&mut h, &keys, &own, b"x").status,
        200,
        "an unencoded ':' works too"
    );

    // The members pool's role allows members/ only.
    let logins = json!({ PROVIDER: alice_token(&mut h) });
    let member = get_id(&mut h, MEMBERS_POOL, logins.clone()).unwrap();
    let member_keys = keys_of(&credentials(&mut h, &member, logins).unwrap());
    assert_eq!(
        put(&mut h, &member_keys, "/s3/files/members/f", b"x").status,
        200
    );
    s3_refused(
        &put(&mut h, &member_keys, "/s3/files/public/f", b"x"),
        403,
        "AccessDenied",
        "Access Denied",
    );
}

#[test]
fn credentials_expire() {
    let mut h = identity_harness();
    let logins = json!({ PROVIDER: alice_token(&mut h) });
    let member = get_id(&mut h, MEMBERS_POOL, logins.clone()).unwrap();
    let keys = keys_of(&credentials(&mut h, &member, logins.clone()).unwrap());
    assert_eq!(put(&mut h, &keys, "/s3/files/members/f", b"x").status, 200);
    h.advance(59);
    assert_eq!(
        get(&mut h, &keys, "/s3/files/members/f").status,
        200,
        "59 s of 60"
    );
    h.advance(1);
    s3_refused(
        &get(&mut h, &keys, "/s3/files/members/f"),
        400,
        "ExpiredToken",
        "The provided token has expired.",
    );
    let fresh = keys_of(&credentials(&mut h, &member, logins).unwrap());
    assert_eq!(
        get(&mut h, &fresh, "/s3/files/members/f").status,
        200,
        "new credentials work"
    );
}

#[test]
fn requests_with_wrong_keys_tokens_or_signatures_are_refused() {
    let mut h = identity_harness();
    let (_, keys) = alice_keys(&mut h);
    let url = "/s3/files/public/f";
    let unknown = Keys {
        access_key_id: "ASIAAAAAAAAAAAAAAAAA".into(),
        ..keys.clone()
    };
    s3_refused(
        &get(&mut h, &unknown, url),
        403,
        "InvalidAccessKeyId",
        "The AWS Access Key Id you provided does not exist in our records.",
    );
    let wrong_token = Keys {
        token: format!("{}x", keys.token),
        ..keys.clone()
    };
    s3_refused(
        &get(&mut h, &wrong_token, url),
        400,
        "InvalidToken",
        "The provided token is malformed or otherwise invalid.",
    );
    let no_token = S3Call::new(&h, "GET", url, b"");
    let authorization = no_token.authorization(&keys, "us-east-1");
    let no_token = no_token
        .header("authorization", &authorization)
        .send(&mut h);
    s3_refused(
        &no_token,
        403,
        "InvalidAccessKeyId",
        "does not exist in our records",
    );

    let wrong_secret = Keys {
        secret: format!("{}x", keys.secret),
        ..keys.clone()
    };
    let body = s3_refused(
        &get(&mut h, &wrong_secret, url),
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided.",
    );
    assert!(
        body.contains("<CanonicalRequest>GET\n/s3/files/public/f\n"),
        "{body}"
    );

    let tampered = S3Call::new(&h, "GET", url, b"").sign(&keys, "us-east-1");
    let signature = tampered
        .headers
        .iter()
        .find(|(n, _)| n == "authorization")
        .unwrap()
        .1
        .clone();
    let flipped = format!(
        "{}{}",
        &signature[..signature.len() - 1],
        if signature.ends_with('0') { '1' } else { '0' }
    );
    s3_refused(
        &tampered.header("authorization", &flipped).send(&mut h),
        403,
        "SignatureDoesNotMatch",
        "does not match",
    );

    let changed_header = S3Call::new(&h, "GET", url, b"")
        .header("x-amz-meta-a", "1")
        .sign(&keys, "us-east-1");
    s3_refused(
        &changed_header.header("x-amz-meta-a", "2").send(&mut h),
        403,
        "SignatureDoesNotMatch",
        "does not match",
    );
    let moved = S3Call::new(&h, "GET", url, b"").sign(&keys, "us-east-1");
    let moved = S3Call {
        url: "/s3/files/public/g".into(),
        ..moved
    };
    s3_refused(
        &moved.send(&mut h),
        403,
        "SignatureDoesNotMatch",
        "does not match",
    );
}

#[test]
fn a_body_that_does_not_match_its_signed_hash_is_refused() {
    let mut h = identity_harness();
    let (_, keys) = alice_keys(&mut h);
    let url = "/s3/files/public/f";
    let call = S3Call::new(&h, "PUT", url, b"the signed body").sign(&keys, "us-east-1");
    let tampered = S3Call {
        body: b"another body!!!".to_vec(),
        ..call
    };
    let body = s3_refused(
        &tampered.send(&mut h),
        400,
        "XAmzContentSHA256Mismatch",
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
    assert!(body.contains(&format!(
        "<S3ComputedContentSHA256>{}",
        hex(&Sha256::digest(b"another body!!!"))
    )));
    // A hash header changed after signing breaks the signature instead.
    let call = S3Call::new(&h, "PUT", url, b"the signed body").sign(&keys, "us-east-1");
    let rehashed = call.header("x-amz-content-sha256", &hex(&Sha256::digest(b"x")));
    s3_refused(
        &S3Call {
            body: b"x".to_vec(),
            ..rehashed
        }
        .send(&mut h),
        403,
        "SignatureDoesNotMatch",
        "does not match",
    );
    let unsigned = S3Call::new(&h, "PUT", url, b"any body")
        .header("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
        .sign(&keys, "us-east-1");
    assert_eq!(
        unsigned.send(&mut h).status,
        200,
        "UNSIGNED-PAYLOAD skips the hash"
    );
    let nonsense = S3Call::new(&h, "PUT", url, b"x")
        .header("x-amz-content-sha256", "abc")
        .sign(&keys, "us-east-1");
    s3_refused(
        &nonsense.send(&mut h),
        400,
        "InvalidArgument",
        "x-amz-content-sha256 must be UNSIGNED-PAYLOAD",
    );
    let missing = S3Call::new(&h, "GET", url, b"");
    let missing = S3Call {
        headers: missing
            .headers
            .into_iter()
            .filter(|(n, _)| n != "x-amz-content-sha256")
            .collect(),
        ..missing
    };
    s3_refused(
        &missing.sign(&keys, "us-east-1").send(&mut h),
        400,
        "InvalidRequest",
        "Missing required header for this request: x-amz-content-sha256",
    );
}

#[test]
fn checksums_and_aws_chunked_bodies() {
    let mut h = identity_harness();
    let (_, keys) = alice_keys(&mut h);
    let url = "/s3/files/public/stream.bin?x-id=PutObject";
    let chunked = |trailer: &str| {
        format!("d\r\nstreamed body\r\n0\r\nx-amz-checksum-crc32:{trailer}\r\n\r\n").into_bytes()
    };
    let streaming = |h: &Harness, body: Vec<u8>| {
        S3Call::new(h, "PUT", url, &body)
            .header("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
            .header("content-encoding", "aws-chunked")
            .header("x-amz-decoded-content-length", "13")
            .header("x-amz-trailer", "x-amz-checksum-crc32")
            .header("x-amz-sdk-checksum-algorithm", "CRC32")
            .sign(&keys, "us-east-1")
    };
    let stored = streaming(&h, chunked("z7Y9bA==")).send(&mut h);
    assert_eq!(
        stored.status,
        200,
        "{}",
        String::from_utf8_lossy(&stored.body)
    );
    assert_eq!(stored.header("x-amz-checksum-crc32"), Some("z7Y9bA=="));
    let got = get(&mut h, &keys, "/s3/files/public/stream.bin");
    assert_eq!(got.body, b"streamed body");
    assert_eq!(
        got.header("Content-Encoding"),
        None,
        "aws-chunked is not the object's encoding"
    );
    s3_refused(
        &streaming(&h, chunked("AAAAAA==")).send(&mut h),
        400,
        "BadDigest",
        "The CRC32 you specified did not match the calculated checksum.",
    );
    s3_refused(
        &streaming(&h, b"d\r\nstreamed".to_vec()).send(&mut h),
        400,
        "IncompleteBody",
        "malformed",
    );

    let body = b"plain";
    let crc = BASE64.encode(crc32fast::hash(b"other").to_be_bytes());
    let wrong_crc = S3Call::new(&h, "PUT", url, body)
        .header("x-amz-checksum-crc32", &crc)
        .sign(&keys, "us-east-1");
    s3_refused(&wrong_crc.send(&mut h), 400, "BadDigest", "CRC32");
    let sha = BASE64.encode(Sha256::digest(body));
    let with_sha = S3Call::new(&h, "PUT", url, body)
        .header("x-amz-checksum-sha256", &sha)
        .sign(&keys, "us-east-1")
        .send(&mut h);
    assert_eq!(with_sha.header("x-amz-checksum-sha256"), Some(sha.as_str()));
    let md5 = BASE64.encode(Md5::digest(b"other"));
    let wrong_md5 = S3Call::new(&h, "PUT", url, body)
        .header("content-md5", &md5)
        .sign(&keys, "us-east-1");
    s3_refused(
        &wrong_md5.send(&mut h),
        400,
        "BadDigest",
        "The Content-MD5 you specified did not match what we received.",
    );
    let crc32c = S3Call::new(&h, "PUT", url, body)
        .header("x-amz-checksum-crc32c", "AAAAAA==")
        .sign(&keys, "us-east-1");
    s3_refused(&crc32c.send(&mut h), 501, "NotImplemented", "crc32c");
    let signed_chunks = S3Call::new(&h, "PUT", url, body)
        .header("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
        .sign(&keys, "us-east-1");
    s3_refused(
        &signed_chunks.send(&mut h),
        501,
        "NotImplemented",
        "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    );
}

#[test]
fn request_time_region_and_signed_headers_are_checked() {
    let mut h = identity_harness();
    let (_, keys) = alice_keys(&mut h);
    let url = "/s3/files/public/hello.txt";
    let late = S3Call::new(&h, "GET", url, b"")
        .header("x-amz-date", &amz_date(h.now() - 15 * 60 - 1))
        .sign(&keys, "us-east-1");
    s3_refused(
        &late.send(&mut h),
        403,
        "RequestTimeTooSkewed",
        "The difference between the request time and the current time is too large.",
    );
    let within = S3Call::new(&h, "GET", url, b"")
        .header("x-amz-date", &amz_date(h.now() - 15 * 60))
        .sign(&keys, "us-east-1");
    assert_eq!(within.send(&mut h).status, 200, "15 minutes is allowed");

    let body = s3_refused(
        &S3Call::new(&h, "GET", url, b"")
            .sign(&keys, "eu-west-1")
            .send(&mut h),
        400,
        "AuthorizationHeaderMalformed",
        "the region 'eu-west-1' is wrong; expecting 'us-east-1'",
    );
    assert!(body.contains("<Region>us-east-1</Region>"));
    let eu = S3Call::new(&h, "PUT", "/s3/eu-files/a", b"x")
        .sign(&keys, "eu-west-1")
        .send(&mut h);
    assert_eq!(eu.status, 200, "{}", String::from_utf8_lossy(&eu.body));

    let call = S3Call::new(&h, "GET", url, b"").sign(&keys, "us-east-1");
    let body = s3_refused(
        &call.header("x-amz-extra", "1").send(&mut h),
        403,
        "AccessDenied",
        "There were headers present in the request which were not signed",
    );
    assert!(
        body.contains("<HeadersNotSigned>x-amz-extra</HeadersNotSigned>"),
        "{body}"
    );
    let unsigned = S3Call::new(&h, "GET", url, b"");
    s3_refused(&unsigned.send(&mut h), 403, "AccessDenied", "Access Denied");
    let sigv2 = S3Call::new(&h, "GET", url, b"").header("authorization", "AWS AKID:c2ln");
    s3_refused(
        &sigv2.send(&mut h),
        400,
        "InvalidRequest",
        "Please use AWS4-HMAC-SHA256.",
    );
}

#[test]
fn urls_name_a_bucket_and_a_key() {
    let mut h = identity_harness();
    let (_, keys) = alice_keys(&mut h);
    s3_refused(
        &get(&mut h, &keys, "/s3/nope/a"),
        404,
        "NoSuchBucket",
        "The specified bucket does not exist",
    );
    s3_refused(
        &get(&mut h, &keys, "/s3/files"),
        501,
        "NotImplemented",
        "bucket operations",
    );
    s3_refused(
        &get(&mut h, &keys, "/s3"),
        501,
        "NotImplemented",
        "ListBuckets",
    );
    s3_refused(
        &get(&mut h, &keys, "/s3/files/a?acl"),
        501,
        "NotImplemented",
        "acl",
    );
    let presigned = "/s3/files/a?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00";
    s3_refused(
        &h.request("GET", presigned, &[], b""),
        501,
        "NotImplemented",
        "presigned URLs",
    );
    let post = S3Call::new(&h, "POST", "/s3/files/a", b"")
        .sign(&keys, "us-east-1")
        .send(&mut h);
    s3_refused(
        &post,
        405,
        "MethodNotAllowed",
        "The specified method is not allowed against this resource.",
    );
    let long = format!("/s3/files/{}", "k".repeat(1025));
    s3_refused(
        &get(&mut h, &keys, &long),
        400,
        "KeyTooLongError",
        "Your key is too long",
    );
    s3_refused(
        &get(&mut h, &keys, "/s3/files/bad%zz"),
        400,
        "InvalidURI",
        "Couldn't parse the specified URI.",
    );
    let big = vec![b'x'; 512 * 1024 + 1];
    s3_refused(
        &put(&mut h, &keys, "/s3/files/public/big", &big),
        400,
        "EntityTooLarge",
        "Your proposed upload exceeds the maximum allowed size",
    );
    let cut = S3Call::new(&h, "PUT", "/s3/files/public/cut", b"abc")
        .header("content-length", "4")
        .sign(&keys, "us-east-1");
    s3_refused(
        &cut.send(&mut h),
        400,
        "IncompleteBody",
        "You did not provide the number of bytes",
    );
}

#[test]
fn browsers_may_call_the_storage_service() {
    let mut h = identity_harness();
    let requested = "amz-sdk-invocation-id,amz-sdk-request,authorization,content-type,x-amz-checksum-crc32,x-amz-content-sha256,x-amz-date,x-amz-sdk-checksum-algorithm,x-amz-security-token,x-amz-user-agent";
    let preflight = h.request(
        "OPTIONS",
        "/s3/files/public/a.txt?x-id=PutObject",
        &[
            ("Origin", "http://localhost:5173"),
            ("Access-Control-Request-Method", "PUT"),
            ("Access-Control-Request-Headers", requested),
        ],
        b"",
    );
    assert_eq!(preflight.status, 200);
    assert_eq!(preflight.header("Access-Control-Allow-Origin"), Some("*"));
    assert_eq!(
        preflight.header("Access-Control-Allow-Headers"),
        Some(requested)
    );
    assert_eq!(
        preflight.header("Access-Control-Allow-Methods"),
        Some("GET, PUT, HEAD, DELETE")
    );
    assert_eq!(preflight.header("Access-Control-Max-Age"), Some("3000"));
    let refused = h.request(
        "OPTIONS",
        "/s3/files/a",
        &[("Access-Control-Request-Method", "POST")],
        b"",
    );
    assert_eq!(refused.status, 403);

    let (_, keys) = alice_keys(&mut h);
    let answer = get(&mut h, &keys, "/s3/files/public/hello.txt");
    assert_eq!(answer.header("Access-Control-Allow-Origin"), Some("*"));
    let exposed = answer.header("Access-Control-Expose-Headers").unwrap();
    assert!(
        exposed.contains("ETag") && exposed.contains("x-amz-request-id"),
        "{exposed}"
    );
    assert_eq!(
        answer
            .headers
            .iter()
            .filter(|(n, _)| n == "Access-Control-Expose-Headers")
            .count(),
        1
    );
}
