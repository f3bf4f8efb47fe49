//! Registering a credential (WebAuthn §7.1) from a RegistrationResponseJSON:
//! the client data, the attestation object's authenticator data, the new
//! credential's key, and its attestation statement (`none`, or `packed`
//! self attestation signed by the credential key itself).

use ciborium::value::Value;
use serde::Deserialize;

use super::auth_data::AuthData;
use super::cbor::{as_i64, map, read_exactly_one, text_entry};
use super::client_data;
use super::cose::CredentialKey;
use super::{
    base64url_field, malformed, Refusal, RelyingParty, Verified, MAX_ATTESTATION_OBJECT_BYTES,
    MAX_CREDENTIAL_ID_BYTES,
};

/// How many transports a credential may list, and how long each may be.
const MAX_TRANSPORTS: usize = 8;
const MAX_TRANSPORT_CHARS: usize = 32;

/// RegistrationResponseJSON (WebAuthn Level 3 §5.1), as `toJSON()` and the
/// Amplify serializer write it. Members this check does not use are
/// ignored (publicKey, publicKeyAlgorithm, authenticatorData duplicate
/// what the attestation object holds).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RegistrationResponse {
    id: String,
    raw_id: String,
    #[serde(rename = "type")]
    kind: String,
    response: AttestationResponse,
    authenticator_attachment: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AttestationResponse {
    #[serde(rename = "clientDataJSON")]
    client_data_json: String,
    attestation_object: String,
    #[serde(default)]
    transports: Vec<String>,
}

/// What the registration must match.
pub struct RegistrationCheck<'a> {
    pub rp: RelyingParty<'a>,
    /// The challenge StartWebAuthnRegistration issued.
    pub challenge: &'a [u8],
}

/// A verified new credential.
#[derive(Debug)]
pub struct Registration {
    pub credential_id: Vec<u8>,
    pub key: CredentialKey,
    /// The COSE_Key bytes, as stored and shown.
    pub public_key_cose: Vec<u8>,
    pub sign_count: u32,
    pub aaguid: [u8; 16],
    pub user_verified: bool,
    /// `platform` or `cross-platform`, when the client said.
    pub authenticator_attachment: Option<String>,
    pub transports: Vec<String>,
    /// `none` or `packed`.
    pub format: String,
}

/// Verifies a RegistrationResponseJSON (a JSON value, as the
/// CompleteWebAuthnRegistration `Credential` document carries it).
pub fn verify_registration(
    credential: &serde_json::Value,
    check: &RegistrationCheck<'_>,
) -> Verified<Registration> {
    let response = RegistrationResponse::deserialize(credential).map_err(|e| {
        malformed(format!(
            "the credential is not a RegistrationResponseJSON: {e}"
        ))
    })?;
    if response.kind != "public-key" {
        return Err(malformed("the credential type is not public-key"));
    }
    let raw_id = base64url_field(&response.raw_id, "rawId", MAX_CREDENTIAL_ID_BYTES)?;
    let id = base64url_field(&response.id, "id", MAX_CREDENTIAL_ID_BYTES)?;
    if id != raw_id {
        return Err(malformed("id and rawId differ"));
    }
    let transports = checked_transports(response.response.transports)?;
    let attachment = response.authenticator_attachment;
    if attachment
        .as_deref()
        .is_some_and(|a| a != "platform" && a != "cross-platform")
    {
        return Err(malformed(
            "authenticatorAttachment is not platform or cross-platform",
        ));
    }
    let client_data = client_data::check(
        &response.response.client_data_json,
        "webauthn.create",
        check.challenge,
        check.rp.id,
    )?;
    let object = base64url_field(
        &response.response.attestation_object,
        "attestationObject",
        MAX_ATTESTATION_OBJECT_BYTES,
    )?;
    let object = read_exactly_one(&object, "the attestation object")?;
    let entries = map(&object, "the attestation object")?;
    let field = |name: &str| -> Verified<&Value> {
        text_entry(entries, name)?
            .ok_or_else(|| malformed(format!("the attestation object has no {name}")))
    };
    let format = field("fmt")?
        .as_text()
        .ok_or_else(|| malformed("fmt is not text"))?
        .to_owned();
    let statement = field("attStmt")?;
    let auth_data_bytes = field("authData")?
        .as_bytes()
        .ok_or_else(|| malformed("authData is not a byte string"))?;
    let auth_data = AuthData::parse(auth_data_bytes)?;
    auth_data.check(&check.rp)?;
    let attested = auth_data
        .attested
        .as_ref()
        .ok_or_else(|| malformed("the authenticator data has no attested credential"))?;
    if attested.credential_id != raw_id {
        return Err(malformed("the attested credential id is not rawId"));
    }
    let key = CredentialKey::from_value(&attested.public_key)?;
    let mut signed = auth_data_bytes.to_vec();
    signed.extend_from_slice(&client_data.hash);
    check_statement(&format, statement, &key, &signed)?;
    Ok(Registration {
        credential_id: raw_id,
        public_key_cose: attested.public_key_cose.clone(),
        key,
        sign_count: auth_data.sign_count,
        aaguid: attested.aaguid,
        user_verified: auth_data.user_verified(),
        authenticator_attachment: attachment,
        transports,
        format,
    })
}

/// `none`: an empty statement. `packed` without `x5c`: self attestation,
/// `sig` over authData || clientDataHash by the credential key, whose
/// algorithm `alg` names (§8.2). Other formats, and packed attestation
/// with a certificate chain, are refused.
fn check_statement(
    format: &str,
    statement: &Value,
    key: &CredentialKey,
    signed: &[u8],
) -> Verified<()> {
    let entries = map(statement, "attStmt")?;
    match format {
        "none" if entries.is_empty() => Ok(()),
        "none" => Err(malformed("a none attestation statement must be empty")),
        "packed" => {
            if text_entry(entries, "x5c")?.is_some() {
                return Err(Refusal::UnsupportedAttestation(
                    "packed attestation with a certificate chain (x5c); request none".into(),
                ));
            }
            if entries.len() != 2 {
                return Err(malformed(
                    "a packed self attestation has exactly alg and sig",
                ));
            }
            let alg = text_entry(entries, "alg")?
                .and_then(as_i64)
                .ok_or_else(|| malformed("the packed attestation has no integer alg"))?;
            let sig = text_entry(entries, "sig")?
                .and_then(Value::as_bytes)
                .ok_or_else(|| malformed("the packed attestation has no byte-string sig"))?;
            if alg != key.alg() {
                return Err(Refusal::UnsupportedAttestation(format!(
                    "the self attestation algorithm {alg} is not the credential key's {}",
                    key.alg()
                )));
            }
            if key.verifies(signed, sig) {
                Ok(())
            } else {
                Err(Refusal::BadSignature)
            }
        }
        other => Err(Refusal::UnsupportedAttestation(format!(
            "the {other:?} format (supported: none, packed self attestation)"
        ))),
    }
}

fn checked_transports(transports: Vec<String>) -> Verified<Vec<String>> {
    let well_formed = transports.len() <= MAX_TRANSPORTS
        && transports.iter().all(|t| {
            !t.is_empty()
                && t.len() <= MAX_TRANSPORT_CHARS
                && t.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        });
    if well_formed {
        Ok(transports)
    } else {
        Err(malformed(
            "transports are not a short list of transport names",
        ))
    }
}
