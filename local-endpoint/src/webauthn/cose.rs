//! COSE credential public keys (RFC 9052/9053, WebAuthn §6.5.1.1): ES256
//! (EC2 on P-256) and RS256 (RSASSA-PKCS1-v1_5 with SHA-256), and the
//! signature check each makes.

use ciborium::value::Value;
use p256::ecdsa::signature::Verifier as _;
use p256::EncodedPoint;
use rsa::pkcs1v15;
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, RsaPublicKey};
use sha2::Sha256;

use super::cbor::{as_i64, int_entry, map, read_exactly_one};
use super::{malformed, Refusal, Verified, ES256, RS256};

const KTY: i64 = 1;
const ALG: i64 = 3;
const KTY_EC2: i64 = 2;
const KTY_RSA: i64 = 3;
const EC2_CRV: i64 = -1;
const EC2_X: i64 = -2;
const EC2_Y: i64 = -3;
const CRV_P256: i64 = 1;
const RSA_N: i64 = -1;
const RSA_E: i64 = -2;
/// RSA moduli authenticators use (Windows Hello: 2048 bits), within what
/// is safe and quick to verify.
const RSA_MIN_BITS: usize = 2048;
const RSA_MAX_BITS: usize = 4096;

/// A credential's public key.
#[derive(Debug, Clone)]
pub enum CredentialKey {
    Es256(p256::ecdsa::VerifyingKey),
    Rs256(RsaPublicKey),
}

impl CredentialKey {
    /// Parses a COSE_Key as the whole of `bytes`.
    pub fn from_cose(bytes: &[u8]) -> Verified<Self> {
        let value = read_exactly_one(bytes, "the credential public key")?;
        Self::from_value(&value)
    }

    pub(super) fn from_value(value: &Value) -> Verified<Self> {
        let entries = map(value, "the credential public key")?;
        let int = |key: i64| -> Verified<Option<i64>> {
            match int_entry(entries, key)? {
                None => Ok(None),
                Some(v) => as_i64(v).map(Some).ok_or_else(|| {
                    malformed(format!("COSE key parameter {key} is not an integer"))
                }),
            }
        };
        let bytes = |key: i64| -> Verified<&[u8]> {
            int_entry(entries, key)?
                .and_then(Value::as_bytes)
                .map(Vec::as_slice)
                .ok_or_else(|| malformed(format!("COSE key parameter {key} is not a byte string")))
        };
        let kty = int(KTY)?.ok_or_else(|| malformed("the COSE key has no kty"))?;
        let alg = int(ALG)?.ok_or_else(|| malformed("the COSE key has no alg"))?;
        match (kty, alg) {
            (KTY_EC2, ES256) => {
                if int(EC2_CRV)? != Some(CRV_P256) {
                    return Err(Refusal::UnsupportedKey(
                        "ES256 needs the P-256 curve".into(),
                    ));
                }
                let (x, y) = (bytes(EC2_X)?, bytes(EC2_Y)?);
                if x.len() != 32 || y.len() != 32 {
                    return Err(malformed("P-256 coordinates must be 32 bytes"));
                }
                let point = EncodedPoint::from_affine_coordinates(x.into(), y.into(), false);
                p256::ecdsa::VerifyingKey::from_encoded_point(&point)
                    .map(CredentialKey::Es256)
                    .map_err(|_| Refusal::UnsupportedKey("the point is not on P-256".into()))
            }
            (KTY_RSA, RS256) => {
                let n = BigUint::from_bytes_be(bytes(RSA_N)?);
                let e = BigUint::from_bytes_be(bytes(RSA_E)?);
                let bits = n.bits();
                if !(RSA_MIN_BITS..=RSA_MAX_BITS).contains(&bits) {
                    return Err(Refusal::UnsupportedKey(format!(
                        "an RSA modulus of {bits} bits (allowed: {RSA_MIN_BITS} to {RSA_MAX_BITS})"
                    )));
                }
                RsaPublicKey::new(n, e)
                    .map(CredentialKey::Rs256)
                    .map_err(|_| Refusal::UnsupportedKey("an invalid RSA public key".into()))
            }
            (kty, alg) => Err(Refusal::UnsupportedKey(format!(
                "kty {kty} with alg {alg} (supported: ES256 -7, RS256 -257)"
            ))),
        }
    }

    /// The COSE algorithm identifier.
    pub fn alg(&self) -> i64 {
        match self {
            CredentialKey::Es256(_) => ES256,
            CredentialKey::Rs256(_) => RS256,
        }
    }

    /// Whether `signature` signs `message`: an ASN.1 DER ECDSA signature for
    /// ES256, as WebAuthn sends it, or a PKCS#1 v1.5 one for RS256.
    pub fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        match self {
            CredentialKey::Es256(key) => p256::ecdsa::Signature::from_der(signature)
                .is_ok_and(|sig| key.verify(message, &sig).is_ok()),
            CredentialKey::Rs256(key) => {
                let Ok(sig) = pkcs1v15::Signature::try_from(signature) else {
                    return false;
                };
                let length_matches = signature.len() == key.size();
                length_matches
                    && pkcs1v15::VerifyingKey::<Sha256>::new(key.clone())
                        .verify(message, &sig)
                        .is_ok()
            }
        }
    }
}
