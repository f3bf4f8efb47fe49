//! The client data (clientDataJSON, WebAuthn §5.8.1): what the browser
//! signed over, checked for the ceremony's type, the issued challenge and
//! an origin of the relying party.

use serde::Deserialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{base64url_field, malformed, origin_allowed, Refusal, Verified, MAX_CLIENT_DATA_BYTES};

/// Challenges are 16 bytes when issued; a client data challenge longer
/// than this cannot be one of them.
const MAX_CHALLENGE_BYTES: usize = 64;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ClientData {
    #[serde(rename = "type")]
    kind: String,
    challenge: String,
    origin: String,
    #[serde(default)]
    cross_origin: bool,
}

/// The checked client data: its SHA-256 hash, which the authenticator signs.
pub struct CheckedClientData {
    pub hash: [u8; 32],
}

/// Decodes the base64url `clientDataJSON` and checks it is of type `kind`
/// (`webauthn.create` or `webauthn.get`), carries `challenge` and comes
/// from an origin allowed for `rp_id` in a top-level page.
pub fn check(
    encoded: &str,
    kind: &str,
    challenge: &[u8],
    rp_id: &str,
) -> Verified<CheckedClientData> {
    let raw = base64url_field(encoded, "clientDataJSON", MAX_CLIENT_DATA_BYTES)?;
    let data: ClientData = serde_json::from_slice(&raw)
        .map_err(|_| malformed("clientDataJSON is not the client data JSON"))?;
    if data.kind != kind {
        return Err(Refusal::WrongType);
    }
    let sent = base64url_field(&data.challenge, "the challenge", MAX_CHALLENGE_BYTES)?;
    if !bool::from(sent.ct_eq(challenge)) {
        return Err(Refusal::WrongChallenge);
    }
    if data.cross_origin || !origin_allowed(&data.origin, rp_id) {
        return Err(Refusal::OriginNotAllowed(data.origin));
    }
    Ok(CheckedClientData {
        hash: Sha256::digest(&raw).into(),
    })
}
