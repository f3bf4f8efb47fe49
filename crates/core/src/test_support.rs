//! What the unit tests of several modules build the same way.

use alloc::string::String;

use crate::protocol::{ClientConfig, HttpResponse};

/// An app client of `us-east-1_Pool`, with `secret` if given, whose endpoint
/// nothing listens on (the unit tests never send).
pub fn config(secret: Option<&str>) -> ClientConfig {
    ClientConfig::new(
        "us-east-1_Pool",
        "client",
        secret.map(String::from),
        None,
        Some("http://127.0.0.1:9"),
    )
    .unwrap()
}

/// An answer of `status` with a JSON `body` and no error type header.
pub fn response(status: u16, body: &str) -> HttpResponse {
    HttpResponse {
        status,
        error_type: None,
        body: body.into(),
    }
}

/// A 200 answer with a JSON `body`.
pub fn ok(body: &str) -> HttpResponse {
    response(200, body)
}
