//! SigV4 verification for the IAM-signed operations (Admin*, the app-client
//! operations), against the seed's `iamCredentials`, with the service's
//! error names: a key it does not know is UnrecognizedClientException; a
//! clock more than 5 minutes off, or a signature that does not match (a
//! wrong secret, a changed body or header), is InvalidSignatureException.

use cognito_admin::sigv4::{self, Credentials};
use subtle::ConstantTimeEq;

use crate::error::{ApiError, ApiResult};
use crate::router::HttpRequest;
use crate::state::State;

/// The most a request's X-Amz-Date may differ from the endpoint's clock.
pub const MAX_SKEW_SECONDS: u64 = 5 * 60;

fn invalid_signature(message: impl Into<String>) -> ApiError {
    ApiError::new("InvalidSignatureException", message)
}

fn incomplete(message: impl Into<String>) -> ApiError {
    ApiError::new("IncompleteSignatureException", message)
}

fn unrecognized() -> ApiError {
    ApiError::new(
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
    )
}

/// Checks the request's SigV4 signature.
pub fn verify(state: &State, request: &HttpRequest) -> ApiResult<()> {
    let header = request.header("authorization").ok_or_else(|| {
        ApiError::new(
            "MissingAuthenticationTokenException",
            "Missing Authentication Token",
        )
    })?;
    let auth = sigv4::parse_authorization(header).ok_or_else(|| {
        incomplete(
            "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' \
             parameters (AWS4-HMAC-SHA256).",
        )
    })?;
    if auth.service != sigv4::SERVICE {
        return Err(invalid_signature(format!(
            "Credential should be scoped to correct service: '{}'.",
            sigv4::SERVICE
        )));
    }
    let key = state
        .iam_credentials
        .iter()
        .find(|k| k.access_key_id == auth.access_key_id)
        .ok_or_else(unrecognized)?;
    if key.session_token.as_deref() != request.header("x-amz-security-token") {
        return Err(unrecognized());
    }
    let signed: Vec<&str> = auth.signed_headers.split(';').collect();
    if !signed.contains(&"host") || !signed.contains(&"x-amz-date") {
        return Err(incomplete(
            "The request must sign the host and x-amz-date headers.",
        ));
    }
    let amz_date = request.header("x-amz-date").unwrap_or_default();
    let signed_at = sigv4::parse_amz_date(amz_date)
        .ok_or_else(|| incomplete(format!("X-Amz-Date {amz_date:?} is not YYYYMMDDTHHMMSSZ")))?;
    check_clock(amz_date, signed_at, state.env.now())?;
    if amz_date.get(..8) != Some(auth.date.as_str()) {
        return Err(invalid_signature(
            "The credential scope date does not match X-Amz-Date.",
        ));
    }
    let mut headers = Vec::new();
    for name in &signed {
        let values: Vec<&str> = request
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect();
        if values.is_empty() {
            return Err(invalid_signature(format!(
                "The signed header {name} is not in the request."
            )));
        }
        headers.push(((*name).to_owned(), values.join(",")));
    }
    let (path, query) = request.url.split_once('?').unwrap_or((&request.url, ""));
    let canonical = sigv4::Request {
        method: &request.method,
        path,
        query,
        headers: &headers,
        body: &request.body,
    };
    let credentials = Credentials {
        access_key_id: key.access_key_id.clone(),
        secret_access_key: key.secret_access_key.clone(),
        session_token: key.session_token.clone(),
    };
    let expected = sigv4::authorization(
        &canonical,
        &credentials,
        &auth.region,
        &auth.service,
        amz_date,
    );
    let expected_signature = expected.rsplit("Signature=").next().unwrap_or_default();
    if bool::from(
        expected_signature
            .as_bytes()
            .ct_eq(auth.signature.as_bytes()),
    ) {
        Ok(())
    } else {
        Err(invalid_signature(
            "The request signature we calculated does not match the signature you provided. \
             Check your AWS Secret Access Key and signing method. Consult the service \
             documentation for details.",
        ))
    }
}

fn check_clock(amz_date: &str, signed_at: u64, now: u64) -> ApiResult<()> {
    if signed_at + MAX_SKEW_SECONDS < now {
        return Err(invalid_signature(format!(
            "Signature expired: {amz_date} is now earlier than {} ({} - 5 min.)",
            sigv4::amz_date(now - MAX_SKEW_SECONDS),
            sigv4::amz_date(now)
        )));
    }
    if signed_at > now + MAX_SKEW_SECONDS {
        return Err(invalid_signature(format!(
            "Signature not yet current: {amz_date} is still later than {} ({} + 5 min.)",
            sigv4::amz_date(now + MAX_SKEW_SECONDS),
            sigv4::amz_date(now)
        )));
    }
    Ok(())
}
