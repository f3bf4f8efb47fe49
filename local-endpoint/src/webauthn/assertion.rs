//! Verifying an assertion (WebAuthn §7.2) from an AuthenticationResponseJSON:
//! the client data, the authenticator data, the signature over
//! authenticatorData || SHA-256(clientDataJSON) with the stored key, and
//! the signature counter.

use serde::Deserialize;

use super::auth_data::AuthData;
use super::client_data;
use super::cose::CredentialKey;
use super::{
    base64url_field, malformed, Refusal, RelyingParty, Verified, MAX_AUTH_DATA_BYTES,
    MAX_CREDENTIAL_ID_BYTES, MAX_SIGNATURE_BYTES, MAX_USER_HANDLE_BYTES,
};

/// AuthenticationResponseJSON (WebAuthn Level 3 §5.1).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AuthenticationResponse {
    id: String,
    raw_id: String,
    #[serde(rename = "type")]
    kind: String,
    response: AssertionResponse,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AssertionResponse {
    #[serde(rename = "clientDataJSON")]
    client_data_json: String,
    authenticator_data: String,
    signature: String,
    user_handle: Option<String>,
}

/// The assertion, parsed but not yet verified: which credential it names.
pub struct Assertion {
    pub credential_id: Vec<u8>,
    pub user_handle: Option<Vec<u8>>,
    client_data_json: String,
    authenticator_data: Vec<u8>,
    signature: Vec<u8>,
}

impl Assertion {
    /// Parses an AuthenticationResponseJSON value.
    pub fn parse(credential: &serde_json::Value) -> Verified<Self> {
        let response = AuthenticationResponse::deserialize(credential).map_err(|e| {
            malformed(format!(
                "the credential is not an AuthenticationResponseJSON: {e}"
            ))
        })?;
        if response.kind != "public-key" {
            return Err(malformed("the credential type is not public-key"));
        }
        let raw_id = base64url_field(&response.raw_id, "rawId", MAX_CREDENTIAL_ID_BYTES)?;
        if base64url_field(&response.id, "id", MAX_CREDENTIAL_ID_BYTES)? != raw_id {
            return Err(malformed("id and rawId differ"));
        }
        let inner = response.response;
        Ok(Assertion {
            credential_id: raw_id,
            user_handle: inner
                .user_handle
                .map(|h| base64url_field(&h, "userHandle", MAX_USER_HANDLE_BYTES))
                .transpose()?,
            authenticator_data: base64url_field(
                &inner.authenticator_data,
                "authenticatorData",
                MAX_AUTH_DATA_BYTES,
            )?,
            signature: base64url_field(&inner.signature, "signature", MAX_SIGNATURE_BYTES)?,
            client_data_json: inner.client_data_json,
        })
    }
}

/// What the assertion must match.
pub struct AssertionCheck<'a> {
    pub rp: RelyingParty<'a>,
    /// The challenge issued with CREDENTIAL_REQUEST_OPTIONS.
    pub challenge: &'a [u8],
    /// The stored key of the credential the assertion names.
    pub key: &'a CredentialKey,
    /// The stored signature counter.
    pub sign_count: u32,
}

/// Verifies the assertion; returns the authenticator's new signature
/// counter. A counter that is not zero must exceed the stored one
/// (§6.1.1): otherwise the authenticator may be cloned or the assertion
/// replayed.
pub fn verify_assertion(assertion: &Assertion, check: &AssertionCheck<'_>) -> Verified<u32> {
    let client_data = client_data::check(
        &assertion.client_data_json,
        "webauthn.get",
        check.challenge,
        check.rp.id,
    )?;
    let auth_data = AuthData::parse(&assertion.authenticator_data)?;
    if auth_data.attested.is_some() {
        return Err(malformed("an assertion carries no attested credential"));
    }
    auth_data.check(&check.rp)?;
    let mut signed = assertion.authenticator_data.clone();
    signed.extend_from_slice(&client_data.hash);
    if !check.key.verifies(&signed, &assertion.signature) {
        return Err(Refusal::BadSignature);
    }
    let counts = auth_data.sign_count != 0 || check.sign_count != 0;
    if counts && auth_data.sign_count <= check.sign_count {
        return Err(Refusal::CounterNotIncreased);
    }
    Ok(auth_data.sign_count)
}
