//! Authenticator data (WebAuthn §6.1): rpIdHash (32) || flags (1) ||
//! signCount (4, big-endian) || [attested credential data] || [extensions].

use ciborium::value::Value;
use sha2::{Digest, Sha256};

use super::cbor::{map, read_item};
use super::{malformed, Refusal, RelyingParty, Verified, MAX_CREDENTIAL_ID_BYTES};

const USER_PRESENT: u8 = 0x01;
const USER_VERIFIED: u8 = 0x04;
const ATTESTED_CREDENTIAL_DATA: u8 = 0x40;
const EXTENSION_DATA: u8 = 0x80;
const HEADER_BYTES: usize = 37;

/// The parsed authenticator data.
pub struct AuthData {
    pub rp_id_hash: [u8; 32],
    pub flags: u8,
    pub sign_count: u32,
    /// Present in registrations (the AT flag).
    pub attested: Option<AttestedCredential>,
}

/// The credential a registration creates.
pub struct AttestedCredential {
    pub aaguid: [u8; 16],
    pub credential_id: Vec<u8>,
    /// The COSE_Key as sent.
    pub public_key_cose: Vec<u8>,
    pub public_key: Value,
}

impl AuthData {
    pub fn parse(bytes: &[u8]) -> Verified<Self> {
        if bytes.len() < HEADER_BYTES {
            return Err(malformed("the authenticator data is shorter than 37 bytes"));
        }
        let (header, mut rest) = bytes.split_at(HEADER_BYTES);
        let flags = header[32];
        let attested = if flags & ATTESTED_CREDENTIAL_DATA != 0 {
            Some(attested_credential(&mut rest)?)
        } else {
            None
        };
        if flags & EXTENSION_DATA != 0 {
            let extensions = read_item(&mut rest, "the authenticator extensions")?;
            map(&extensions, "the authenticator extensions")?;
        }
        if !rest.is_empty() {
            return Err(malformed("the authenticator data has trailing bytes"));
        }
        Ok(AuthData {
            rp_id_hash: header[..32].try_into().expect("32 bytes"),
            flags,
            sign_count: u32::from_be_bytes(header[33..37].try_into().expect("4 bytes")),
            attested,
        })
    }

    pub fn user_verified(&self) -> bool {
        self.flags & USER_VERIFIED != 0
    }

    /// The checks every ceremony makes: the RP ID hash, user presence, and
    /// user verification when the relying party requires it.
    pub fn check(&self, rp: &RelyingParty<'_>) -> Verified<()> {
        let expected: [u8; 32] = Sha256::digest(rp.id.as_bytes()).into();
        if self.rp_id_hash != expected {
            return Err(Refusal::RelyingPartyMismatch);
        }
        if self.flags & USER_PRESENT == 0 {
            return Err(Refusal::UserNotPresent);
        }
        if rp.user_verification_required && !self.user_verified() {
            return Err(Refusal::UserNotVerified);
        }
        Ok(())
    }
}

fn attested_credential(rest: &mut &[u8]) -> Verified<AttestedCredential> {
    let short = || malformed("the attested credential data is truncated");
    let (aaguid, after) = rest.split_first_chunk::<16>().ok_or_else(short)?;
    let (length, after) = after.split_first_chunk::<2>().ok_or_else(short)?;
    let length = usize::from(u16::from_be_bytes(*length));
    if length == 0 || length > MAX_CREDENTIAL_ID_BYTES {
        return Err(malformed("the credential id length is out of range"));
    }
    if after.len() < length {
        return Err(short());
    }
    let (credential_id, mut key_and_rest) = after.split_at(length);
    let before = key_and_rest.len();
    let public_key = read_item(&mut key_and_rest, "the credential public key")?;
    let key_length = before - key_and_rest.len();
    let public_key_cose = after[length..length + key_length].to_vec();
    *rest = key_and_rest;
    Ok(AttestedCredential {
        aaguid: *aaguid,
        credential_id: credential_id.to_vec(),
        public_key_cose,
        public_key,
    })
}
