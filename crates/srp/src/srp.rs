//! The SRP-6a client maths of Cognito user pools, one function per quantity.
//!
//! Each doc comment states the formula exactly as `shared/cognito-protocol.md`
//! gives it. `padHex` is the hex of Java's `BigInteger.toByteArray()`, and every
//! hash `H` is SHA-256 over the *bytes* that hex spells.
//!
//! Secrets (`a`, `x`, `S`, the derived key) are held in [`Zeroizing`] so they
//! are wiped when dropped. The exponentiations run on the constant-time
//! Montgomery arithmetic of `residue.rs`, whose intermediates are wiped too;
//! see docs/security.md.

use alloc::string::String;
use alloc::vec::Vec;

use base64ct::{Base64, Encoding};
use hkdf::Hkdf;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::SrpError;
use crate::group::{self, generator, modulus, multiplier};
use crate::residue::{self, Residue};
use crate::uint::Uint;

/// The HKDF `info` string Cognito uses.
const KEY_INFO: &[u8] = b"Caldera Derived Key";

/// Bits of a SHA-256 digest, so of u and x: their exponent length.
pub const HASH_BITS: usize = 256;

/// SHA-256 of the concatenated `parts`. Not inlined: the protocol hashes
/// in five places, and one copy of the hashing code serves them all.
#[inline(never)]
fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part);
    }
    hash.finalize().into()
}

/// HMAC-SHA256 under `key` of the concatenated `parts` (not inlined, as
/// [`sha256`]).
#[inline(never)]
fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes keys of any length");
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// padHex(x): lower-case hex of x, even length, with a `00` byte in front when
/// the first nibble is 8-f (so a signed reader sees a positive number).
pub fn pad_hex(x: &Uint) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let bytes = pad_bytes(x);
    let mut hex = String::with_capacity(2 * bytes.len());
    for byte in bytes {
        hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
        hex.push(char::from(DIGITS[usize::from(byte & 15)]));
    }
    hex
}

/// The bytes that padHex(x) spells: the minimal big-endian bytes, with a
/// `00` in front when the top bit is set.
pub fn pad_bytes(x: &Uint) -> Vec<u8> {
    let mut bytes = x.to_be_bytes_trimmed();
    if bytes[0] & 0x80 != 0 {
        bytes.insert(0, 0);
    }
    bytes
}

/// Reads hex from the server. Odd lengths, leading zeros and either case are
/// accepted, as the reference clients accept them; more than 3072 bits is
/// not, and is `error`.
pub fn parse_hex(hex: &str, error: SrpError) -> Result<Uint, SrpError> {
    Uint::from_hex(hex).ok_or(error)
}

/// k = H(padHex(N) || padHex(g))
/// (The protocol uses the group's constant, `group::multiplier()`; a test
/// checks that this formula gives it.)
pub fn compute_k() -> Uint {
    hash_to_uint(&sha256(&[&pad_bytes(modulus()), &pad_bytes(&generator())]))
}

fn hash_to_uint(digest: &[u8; 32]) -> Uint {
    Uint::from_be_bytes(digest).expect("256 bits fit in 3072")
}

/// A = g^a mod N, for a secret `a` of `a_bits` bits (a public length): by
/// the fixed-base comb once [`prepare_step`] has built its tables (71
/// Montgomery operations for 384 bits), else by squarings and doublings
/// (g = 2), which cost less than building them (384 squarings against 840
/// operations), so that a sign-in that starts as the module loads does not
/// wait for them. Which one depends on public state only.
pub fn compute_public_a(a: &Uint, a_bits: usize) -> Uint {
    let power = if residue::comb_tables_built(a_bits) {
        Residue::pow_of_two(a, a_bits)
    } else {
        Residue::pow_of_two_by_doubling(a, a_bits)
    };
    power.retrieve()
}

/// u = H(padHex(A) || padHex(B))
pub fn compute_u(public_a: &Uint, public_b: &Uint) -> Uint {
    hash_to_uint(&sha256(&[&pad_bytes(public_a), &pad_bytes(public_b)]))
}

/// x = H(padHex(salt) || H(utf8(poolName || userId || ":" || password))),
/// the inner hash taken as its 32 raw bytes.
pub fn compute_x(salt: &Uint, pool_name: &str, user_id: &str, password: &str) -> Uint {
    let identity = Zeroizing::new(sha256(&[
        pool_name.as_bytes(),
        user_id.as_bytes(),
        b":",
        password.as_bytes(),
    ]));
    let digest = Zeroizing::new(sha256(&[&pad_bytes(salt), &identity[..]]));
    hash_to_uint(&digest)
}

/// S = (B - k * g^x)^(a + u*x) mod N, reduced to [0, N), for a secret `a` of
/// `a_bits` bits.
///
/// B - k*g^x may be negative (a small B); it is taken mod N, which gives the
/// same S as the reference clients. The exponent a + u*x is used whole (not
/// reduced), and has at most max(a_bits, 512) + 1 bits.
pub fn compute_s(public_b: &Uint, x: &Uint, a: &Uint, a_bits: usize, u: &Uint) -> Uint {
    let k_gx = Residue::new(multiplier()).mul(&Residue::pow_of_two(x, HASH_BITS));
    let base = Residue::new(public_b).sub(&k_gx);
    let exponent = a.add(&u.mul_wide(x));
    base.pow(&exponent, a_bits.max(2 * HASH_BITS) + 1)
        .retrieve()
}

/// key = HKDF-SHA256(ikm = bytes(padHex(S)), salt = bytes(padHex(u)),
/// info = "Caldera Derived Key"), first 16 bytes.
pub fn compute_key(s: &Uint, u: &Uint) -> Zeroizing<[u8; 16]> {
    let ikm = Zeroizing::new(pad_bytes(s));
    let mut key = Zeroizing::new([0u8; 16]);
    Hkdf::<Sha256>::new(Some(&pad_bytes(u)), &ikm)
        .expand(KEY_INFO, &mut key[..])
        .expect("16 bytes are a valid HKDF-SHA256 output length");
    key
}

/// PASSWORD_CLAIM_SIGNATURE = base64(HMAC-SHA256(key, utf8(poolName) ||
/// utf8(userId) || secretBlock || utf8(timestamp))), where secretBlock is the
/// base64-decoded SECRET_BLOCK.
pub fn compute_claim_signature(
    key: &[u8; 16],
    pool_name: &str,
    user_id: &str,
    secret_block: &[u8],
    timestamp: &str,
) -> String {
    let mac = hmac_sha256(
        key,
        &[
            pool_name.as_bytes(),
            user_id.as_bytes(),
            secret_block,
            timestamp.as_bytes(),
        ],
    );
    Base64::encode_string(&mac)
}

/// SECRET_HASH = base64(HMAC-SHA256(key = clientSecret, utf8(username || clientId))).
pub fn compute_secret_hash(username: &str, client_id: &str, client_secret: &str) -> String {
    let mac = hmac_sha256(
        client_secret.as_bytes(),
        &[username.as_bytes(), client_id.as_bytes()],
    );
    Base64::encode_string(&mac)
}

/// The client's half of one SRP exchange: the secret `a` and A = g^a mod N.
/// Consumed by [`SrpClient::password_claim`], so `a` serves one exchange only.
pub struct SrpClient {
    a: Uint,
    a_bits: usize,
    public_a: Uint,
}

/// The size of `a` this client draws: 384 bits. See docs/security.md: it
/// exceeds the 256 bits of NIST SP 800-56A Rev. 3 and the 275 bits RFC 7919
/// gives for 3072-bit groups, and the 380 bits of RFC 3526's higher estimate.
pub const SECRET_BYTES: usize = 48;

/// Step `step` of the preparation of sign-ins: builds the comb table of
/// powers of g (public values) that g^a needs next, of the
/// `residue::comb_tables_for(8 * SECRET_BYTES)` = 8 it uses; whether a step
/// remains. A table is about 105 Montgomery operations: a page runs one
/// step per task after the module loads, beside a first sign-in (which
/// computes g^a without them, and g^x with the six first ones, built by
/// then or on use), instead of building them all in one long task.
pub fn prepare_step(step: usize) -> bool {
    residue::build_comb_table(step);
    step + 1 < residue::comb_tables_for(8 * SECRET_BYTES)
}

/// The server's PASSWORD_VERIFIER (or DEVICE_PASSWORD_VERIFIER) parameters
/// that the claim needs.
pub struct VerifierChallenge<'a> {
    pub salt_hex: &'a str,
    pub srp_b_hex: &'a str,
    pub secret_block_b64: &'a str,
}

/// Who proves knowledge of which password: for a user, the pool name, the
/// USER_ID_FOR_SRP and the password; for a device, the DeviceGroupKey, the
/// DeviceKey and the device's random password.
pub struct SrpIdentity<'a> {
    pub pool_name: &'a str,
    pub user_id: &'a str,
    pub password: &'a str,
}

impl SrpClient {
    /// Starts an exchange from 32 to 128 random bytes: a = those bytes as a
    /// number (the reference clients draw 128; this crate draws
    /// [`SECRET_BYTES`]). Refuses a = 0.
    pub fn new(random: &[u8]) -> Result<Self, SrpError> {
        if !(32..=128).contains(&random.len()) {
            return Err(SrpError::RandomLength);
        }
        let a = Uint::from_be_bytes(random).expect("128 bytes fit in 3072 bits");
        if a.is_zero() {
            return Err(SrpError::ZeroSecret);
        }
        let a_bits = random.len() * 8;
        // A = g^a mod N is never 0 mod N for a prime N, so the protocol's
        // A mod N != 0 check holds by construction.
        let public_a = compute_public_a(&a, a_bits);
        Ok(SrpClient {
            a,
            a_bits,
            public_a,
        })
    }

    /// SRP_A as the server expects it: plain hex.
    pub fn public_a_hex(&self) -> String {
        self.public_a.to_hex()
    }

    /// PASSWORD_CLAIM_SIGNATURE for the server's challenge at `timestamp`
    /// (the service's TIMESTAMP text, `EEE MMM d HH:mm:ss UTC yyyy`). Checks
    /// B mod N != 0 and u != 0.
    pub fn password_claim(
        self,
        identity: &SrpIdentity<'_>,
        challenge: &VerifierChallenge<'_>,
        timestamp: &str,
    ) -> Result<String, SrpError> {
        let public_b = parse_hex(challenge.srp_b_hex, SrpError::SrpBNotHex)?;
        if group::reduce(&public_b).is_zero() {
            return Err(SrpError::UnsafeB);
        }
        let u = compute_u(&self.public_a, &public_b);
        if u.is_zero() {
            return Err(SrpError::UnsafeU);
        }
        let salt = parse_hex(challenge.salt_hex, SrpError::SaltNotHex)?;
        let secret_block = Base64::decode_vec(challenge.secret_block_b64)
            .map_err(|_| SrpError::SecretBlockNotBase64)?;
        let x = compute_x(
            &salt,
            identity.pool_name,
            identity.user_id,
            identity.password,
        );
        let s = compute_s(&public_b, &x, &self.a, self.a_bits, &u);
        let key = compute_key(&s, &u);
        Ok(compute_claim_signature(
            &key,
            identity.pool_name,
            identity.user_id,
            &secret_block,
            timestamp,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preparing_builds_the_comb_tables_of_a_in_eight_steps() {
        // 384 bits of a, 48 exponent bits per table.
        let steps = (0..).take_while(|&step| prepare_step(step)).count() + 1;
        assert_eq!(steps, 8);
        assert!(residue::comb_tables_built(8 * SECRET_BYTES));
        // g^a from the prepared tables, against the windowed power.
        let a = Uint::from_hex(&"9b".repeat(SECRET_BYTES)).unwrap();
        let windowed = Residue::new(&generator())
            .pow(&a, 8 * SECRET_BYTES)
            .retrieve();
        assert_eq!(compute_public_a(&a, 8 * SECRET_BYTES), windowed);
    }

    #[test]
    fn pad_hex_follows_java_to_byte_array() {
        let hex = |v: u32| pad_hex(&Uint::from_u32(v));
        assert_eq!(hex(0), "00");
        assert_eq!(hex(0x7f), "7f");
        assert_eq!(hex(0x80), "0080");
        assert_eq!(hex(0xf), "0f");
        assert_eq!(hex(0x123), "0123");
        assert_eq!(hex(0x8123), "008123");
        assert_eq!(pad_bytes(&Uint::from_u32(0x8123)), vec![0, 0x81, 0x23]);
        assert!(pad_hex(modulus()).starts_with("00ffffffffffffffffc90f"));
    }

    #[test]
    fn the_group_multiplier_is_k_by_its_formula() {
        assert_eq!(&compute_k(), multiplier());
    }

    #[test]
    fn parse_hex_accepts_odd_length_and_rejects_junk() {
        let salt = |hex: &str| parse_hex(hex, SrpError::SaltNotHex);
        assert_eq!(salt("abc").unwrap(), Uint::from_u32(0xabc));
        assert_eq!(salt("000ABC").unwrap(), Uint::from_u32(0xabc));
        assert_eq!(salt(""), Err(SrpError::SaltNotHex));
        assert!(salt("12g4").is_err());
        assert!(salt("-12").is_err());
        assert!(salt(&"f".repeat(769)).is_err());
    }

    #[test]
    fn safety_checks_refuse_b_multiple_of_n_and_u_zero() {
        let n_hex = modulus().to_hex();
        let identity = SrpIdentity {
            pool_name: "p",
            user_id: "u",
            password: "pw",
        };
        for b in ["0", n_hex.as_str()] {
            let challenge = VerifierChallenge {
                salt_hex: "01",
                srp_b_hex: b,
                secret_block_b64: "AA==",
            };
            let err = SrpClient::new(&[7u8; 128])
                .unwrap()
                .password_claim(&identity, &challenge, "t")
                .unwrap_err();
            assert_eq!(err, SrpError::UnsafeB, "B = {b}");
        }
        assert_eq!(
            SrpClient::new(&[0u8; 128]).err(),
            Some(SrpError::ZeroSecret),
            "a = 0 is refused"
        );
        assert!(
            SrpClient::new(&[7u8; 31]).is_err(),
            "fewer than 256 bits is refused"
        );
        assert!(SrpClient::new(&[7u8; 129]).is_err());
    }
}
