//! A small S3-style storage service for the identity pools' credentials:
//! in-memory buckets at `/s3/<bucket>/<key>` (path style), with PutObject,
//! GetObject, HeadObject and DeleteObject, each signed with SigV4 by
//! credentials from GetCredentialsForIdentity and allowed by the role they
//! carry. Answers and errors look like S3's (XML error documents,
//! `x-amz-request-id`), so the AWS SDKs' S3 clients work against it.
//!
//! - [`sigv4`]: S3's flavour of signature checks; [`payload`]: the body,
//!   `aws-chunked` decoding and checksums; [`error`]: the error documents;
//!   [`time`]: the date formats.

pub mod error;
pub mod payload;
pub mod sigv4;
pub mod time;

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use md5::{Digest, Md5};
use serde::Deserialize;

use crate::identity::config::Action;
use crate::router::{HttpRequest, HttpResponse};
use crate::state::State;
use error::{S3Error, S3Result};
use payload::{Payload, MAX_OBJECT_BYTES};

/// Where the service lives: `<endpoint>/s3/<bucket>/<key>`.
pub const PATH_PREFIX: &str = "/s3";
/// What all objects together may hold.
const MAX_STORED_BYTES: usize = 64 * 1024 * 1024;
const MAX_KEY_BYTES: usize = 1024;
const DEFAULT_REGION: &str = "us-east-1";
/// S3's type for objects stored without one.
const DEFAULT_CONTENT_TYPE: &str = "binary/octet-stream";
const METHODS: &str = "GET, PUT, HEAD, DELETE";
/// The answer headers a browser page may read.
const EXPOSED_HEADERS: &str =
    "ETag, Last-Modified, Content-Length, Content-Type, Content-Encoding, \
x-amz-request-id, x-amz-id-2, x-amz-checksum-crc32, x-amz-checksum-sha256, x-amz-checksum-type";
const PREFLIGHT_MAX_AGE: &str = "3000";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedBucket {
    /// 3 to 63 lower-case letters, digits, `-` and `.`.
    pub name: String,
    /// The region requests must be signed for; default `us-east-1`.
    pub region: Option<String>,
    /// Objects the bucket starts with.
    #[serde(default)]
    pub objects: Vec<SeedObject>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedObject {
    pub key: String,
    /// The object's content, as text.
    pub body: String,
    pub content_type: Option<String>,
}

struct Object {
    bytes: Vec<u8>,
    content_type: String,
    content_encoding: Option<String>,
    /// `"<hex MD5>"`, quotes included.
    etag: String,
    last_modified: u64,
    /// `x-amz-meta-*` headers, names lower-cased.
    metadata: Vec<(String, String)>,
    crc32: String,
    sha256: Option<String>,
}

struct Bucket {
    name: String,
    region: String,
    objects: BTreeMap<String, Object>,
}

/// The buckets and their objects.
pub struct Storage {
    buckets: Vec<Bucket>,
    stored_bytes: usize,
}

impl Storage {
    pub fn from_seed(seeds: Vec<SeedBucket>, now: u64) -> Result<Self, String> {
        let mut storage = Storage {
            buckets: Vec::new(),
            stored_bytes: 0,
        };
        for seed in seeds {
            check_bucket_name(&seed.name)?;
            if storage.buckets.iter().any(|b| b.name == seed.name) {
                return Err(format!("the bucket {} is in the seed twice", seed.name));
            }
            let region = seed.region.unwrap_or_else(|| DEFAULT_REGION.to_owned());
            if !crate::identity::config::is_region(&region) {
                return Err(format!("bucket {}: {region:?} is not a region", seed.name));
            }
            let mut bucket = Bucket {
                name: seed.name,
                region,
                objects: BTreeMap::new(),
            };
            for object in seed.objects {
                let bytes = object.body.into_bytes();
                if object.key.is_empty()
                    || object.key.len() > MAX_KEY_BYTES
                    || bytes.len() > MAX_OBJECT_BYTES
                {
                    return Err(format!(
                        "bucket {}: object keys must be 1 to {MAX_KEY_BYTES} bytes, bodies at most {MAX_OBJECT_BYTES}",
                        bucket.name
                    ));
                }
                storage.stored_bytes += bytes.len();
                let stored = new_object(bytes, object.content_type, None, Vec::new(), None, now);
                if bucket.objects.insert(object.key.clone(), stored).is_some() {
                    return Err(format!(
                        "bucket {}: the key {} is seeded twice",
                        bucket.name, object.key
                    ));
                }
            }
            storage.buckets.push(bucket);
        }
        Ok(storage)
    }

    pub fn bucket_names(&self) -> Vec<&str> {
        self.buckets.iter().map(|b| b.name.as_str()).collect()
    }
}

fn check_bucket_name(name: &str) -> Result<(), String> {
    let edges_ok = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    let valid = (3..=63).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && edges_ok(name.as_bytes().first())
        && edges_ok(name.as_bytes().last());
    if valid {
        Ok(())
    } else {
        Err(format!(
            "bucket name {name:?}: 3 to 63 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit"
        ))
    }
}

fn new_object(
    bytes: Vec<u8>,
    content_type: Option<String>,
    content_encoding: Option<String>,
    metadata: Vec<(String, String)>,
    sha256: Option<String>,
    now: u64,
) -> Object {
    let crc32 = BASE64.encode(crc32fast::hash(&bytes).to_be_bytes());
    Object {
        etag: format!("\"{}\"", sigv4::hex(&Md5::digest(&bytes))),
        content_type: content_type.unwrap_or_else(|| DEFAULT_CONTENT_TYPE.to_owned()),
        content_encoding,
        last_modified: now,
        metadata,
        crc32,
        sha256,
        bytes,
    }
}

/// Whether `path` belongs to the storage service.
pub fn is_storage_path(path: &str) -> bool {
    path == PATH_PREFIX || path.starts_with("/s3/")
}

/// Answers a request to `/s3…`: CORS preflights, object operations, and S3
/// errors.
pub fn handle(state: &mut State, request: &HttpRequest) -> HttpResponse {
    let request_id = state.env.uuid();
    let mut response = if request.method == "OPTIONS" {
        preflight(request, &request_id)
    } else {
        serve(state, request).unwrap_or_else(|error| error_response(&error, request, &request_id))
    };
    response
        .headers
        .push(("x-amz-request-id".into(), request_id.clone()));
    response.headers.push(("x-amz-id-2".into(), request_id));
    response
}

fn response(status: u16, headers: Vec<(String, String)>, body: Vec<u8>) -> HttpResponse {
    HttpResponse {
        status,
        headers,
        body,
    }
}

fn error_response(error: &S3Error, request: &HttpRequest, request_id: &str) -> HttpResponse {
    let headers = vec![
        ("Content-Type".into(), "application/xml".into()),
        (
            "Access-Control-Expose-Headers".into(),
            EXPOSED_HEADERS.into(),
        ),
    ];
    // HEAD answers have no body; clients go by the status.
    let body = if request.method == "HEAD" {
        Vec::new()
    } else {
        error.to_xml(request_id).into_bytes()
    };
    response(error.status, headers, body)
}

/// A CORS preflight, answered as a bucket with `AllowedOrigins: *`,
/// `AllowedHeaders: *` and the four methods answers it.
fn preflight(request: &HttpRequest, request_id: &str) -> HttpResponse {
    let method = request
        .header("access-control-request-method")
        .unwrap_or_default();
    let requested = request
        .header("access-control-request-headers")
        .unwrap_or_default();
    let is_token = |name: &str| {
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    };
    if !METHODS.split(", ").any(|m| m == method)
        || !requested
            .split(',')
            .map(str::trim)
            .all(|n| n.is_empty() || is_token(n))
    {
        let error = S3Error::new(
            403,
            "AccessForbidden",
            "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
        );
        return response(
            403,
            vec![("Content-Type".into(), "application/xml".into())],
            error.to_xml(request_id).into_bytes(),
        );
    }
    let mut headers = vec![
        ("Content-Type".into(), "text/plain".into()),
        ("Access-Control-Allow-Methods".into(), METHODS.into()),
        ("Access-Control-Max-Age".into(), PREFLIGHT_MAX_AGE.into()),
        (
            "Access-Control-Expose-Headers".into(),
            EXPOSED_HEADERS.into(),
        ),
        (
            "Vary".into(),
            "Origin, Access-Control-Request-Headers, Access-Control-Request-Method".into(),
        ),
    ];
    if !requested.trim().is_empty() {
        headers.push((
            "Access-Control-Allow-Headers".into(),
            requested.trim().to_owned(),
        ));
    }
    response(200, headers, Vec::new())
}

/// The bucket (by index) and the key a storage URL names.
fn locate(state: &State, request: &HttpRequest) -> S3Result<(usize, String)> {
    let (raw_path, query) = request.url.split_once('?').unwrap_or((&request.url, ""));
    let rest = raw_path.strip_prefix(PATH_PREFIX).unwrap_or_default();
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let (bucket_name, raw_key) = rest.split_once('/').unwrap_or((rest, ""));
    if bucket_name.is_empty() {
        return Err(S3Error::not_implemented("ListBuckets"));
    }
    if !["GET", "PUT", "HEAD", "DELETE"].contains(&request.method.as_str()) {
        return Err(S3Error::new(
            405,
            "MethodNotAllowed",
            "The specified method is not allowed against this resource.",
        )
        .with("Method", request.method.clone())
        .with("ResourceType", "OBJECT"));
    }
    let bucket = state
        .storage
        .buckets
        .iter()
        .position(|b| b.name == bucket_name)
        .ok_or_else(|| {
            S3Error::new(404, "NoSuchBucket", "The specified bucket does not exist")
                .with("BucketName", bucket_name)
        })?;
    if raw_key.is_empty() {
        return Err(S3Error::not_implemented(
            "bucket operations (ListObjects and others)",
        ));
    }
    if sigv4::query_names(query).any(|name| name.eq_ignore_ascii_case("X-Amz-Signature")) {
        return Err(S3Error::not_implemented("presigned URLs"));
    }
    if let Some(name) = sigv4::query_names(query).find(|name| *name != "x-id") {
        return Err(S3Error::not_implemented(&format!(
            "the query parameter {name}"
        )));
    }
    let key = sigv4::percent_decode(raw_key)
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| S3Error::new(400, "InvalidURI", "Couldn't parse the specified URI."))?;
    if key.len() > MAX_KEY_BYTES {
        return Err(S3Error::new(400, "KeyTooLongError", "Your key is too long")
            .with("MaxSizeAllowed", MAX_KEY_BYTES.to_string())
            .with("Size", key.len().to_string()));
    }
    Ok((bucket, key))
}

fn serve(state: &mut State, request: &HttpRequest) -> S3Result<HttpResponse> {
    let (bucket, key) = locate(state, request)?;
    let now = state.env.now();
    let region = state.storage.buckets[bucket].region.clone();
    let credentials = sigv4::verify(
        request,
        |access_key| state.identity.identities.credentials(access_key),
        &region,
        now,
    )?
    .clone();
    let payload = payload::read(request)?;
    let action = if matches!(request.method.as_str(), "GET" | "HEAD") {
        Action::Read
    } else {
        Action::Write
    };
    let bucket_name = &state.storage.buckets[bucket].name;
    let allowed = state.identity.pools[credentials.pool]
        .role(credentials.role)
        .is_some_and(|role| role.allows(bucket_name, &key, action, &credentials.identity_id));
    if !allowed {
        return Err(S3Error::access_denied());
    }
    match request.method.as_str() {
        "PUT" => put_object(state, request, bucket, key, payload, now),
        "DELETE" => {
            let storage = &mut state.storage;
            if let Some(old) = storage.buckets[bucket].objects.remove(&key) {
                storage.stored_bytes -= old.bytes.len();
            }
            Ok(response(204, Vec::new(), Vec::new()))
        }
        _ => get_object(state, request, bucket, &key),
    }
}

fn put_object(
    state: &mut State,
    request: &HttpRequest,
    bucket: usize,
    key: String,
    payload: Payload,
    now: u64,
) -> S3Result<HttpResponse> {
    let storage = &mut state.storage;
    let replaced = storage.buckets[bucket]
        .objects
        .get(&key)
        .map_or(0, |o| o.bytes.len());
    if storage.stored_bytes - replaced + payload.bytes.len() > MAX_STORED_BYTES {
        return Err(S3Error::new(
            503,
            "ServiceUnavailable",
            format!("The local endpoint's in-memory storage is full ({MAX_STORED_BYTES} bytes); delete objects or restart it."),
        ));
    }
    let metadata: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_owned()))
        .filter(|(n, _)| n.starts_with("x-amz-meta-"))
        .collect();
    // S3 answers with the checksums it was sent.
    let mut headers = payload.checksums.clone();
    let sha256 = payload
        .checksums
        .into_iter()
        .find(|(name, _)| name == "x-amz-checksum-sha256")
        .map(|(_, value)| value);
    let object = new_object(
        payload.bytes,
        request.header("content-type").map(str::to_owned),
        payload.content_encoding,
        metadata,
        sha256,
        now,
    );
    headers.push(("ETag".to_owned(), object.etag.clone()));
    headers.push((
        "Access-Control-Expose-Headers".to_owned(),
        EXPOSED_HEADERS.to_owned(),
    ));
    storage.stored_bytes = storage.stored_bytes - replaced + object.bytes.len();
    storage.buckets[bucket].objects.insert(key, object);
    Ok(response(200, headers, Vec::new()))
}

fn get_object(
    state: &State,
    request: &HttpRequest,
    bucket: usize,
    key: &str,
) -> S3Result<HttpResponse> {
    let object = state.storage.buckets[bucket]
        .objects
        .get(key)
        .ok_or_else(|| {
            S3Error::new(404, "NoSuchKey", "The specified key does not exist.").with("Key", key)
        })?;
    let mut exposed = EXPOSED_HEADERS.to_owned();
    let mut headers = vec![
        ("Content-Type".to_owned(), object.content_type.clone()),
        ("ETag".to_owned(), object.etag.clone()),
        (
            "Last-Modified".to_owned(),
            time::http_date(object.last_modified),
        ),
    ];
    if let Some(encoding) = &object.content_encoding {
        headers.push(("Content-Encoding".to_owned(), encoding.clone()));
    }
    for (name, value) in &object.metadata {
        headers.push((name.clone(), value.clone()));
        exposed.push_str(", ");
        exposed.push_str(name);
    }
    if request
        .header("x-amz-checksum-mode")
        .is_some_and(|mode| mode.eq_ignore_ascii_case("ENABLED"))
    {
        headers.push(("x-amz-checksum-crc32".to_owned(), object.crc32.clone()));
        if let Some(sha256) = &object.sha256 {
            headers.push(("x-amz-checksum-sha256".to_owned(), sha256.clone()));
        }
        headers.push(("x-amz-checksum-type".to_owned(), "FULL_OBJECT".to_owned()));
    }
    headers.push(("Access-Control-Expose-Headers".to_owned(), exposed));
    if request.method == "HEAD" {
        // The server sends this length and no body.
        headers.push(("Content-Length".to_owned(), object.bytes.len().to_string()));
        return Ok(response(200, headers, Vec::new()));
    }
    Ok(response(200, headers, object.bytes.clone()))
}
