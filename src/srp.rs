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

use zeroize::Zeroizing;

use crate::base64;
use crate::error::{Error, Result};
use crate::once::OnceLock;
use crate::residue::Residue;
use crate::sha256::{hkdf_16, hmac, sha256};
use crate::text::{concat, push_decimal};
use crate::uint::{self, Uint};

/// The 3072-bit MODP prime of RFC 3526 (group 15), as hex.
pub use cognito_wasm_arith::N_HEX;

/// The HKDF `info` string Cognito uses.
const KEY_INFO: &[u8] = b"Caldera Derived Key";

/// N, the group modulus.
pub fn modulus() -> &'static Uint {
    uint::modulus()
}

/// g = 2, the group generator.
pub fn generator() -> Uint {
    Uint::from_u32(2)
}

/// Bits of a SHA-256 digest, so of u and x: their exponent length.
pub const HASH_BITS: usize = 256;

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
/// accepted, as the reference clients accept them; more than 3072 bits is not.
pub fn parse_hex(field: &str, hex: &str) -> Result<Uint> {
    Uint::from_hex(hex).ok_or_else(|| {
        Error::bad_response(concat(&[
            field,
            " from the server is not a hex number of at most 3072 bits",
        ]))
    })
}

/// k = H(padHex(N) || padHex(g))
pub fn compute_k() -> &'static Uint {
    static K: OnceLock<Uint> = OnceLock::new();
    K.get_or_init(|| hash_to_uint(&sha256(&[&pad_bytes(modulus()), &pad_bytes(&generator())])))
}

fn hash_to_uint(digest: &[u8; 32]) -> Uint {
    Uint::from_be_bytes(digest).expect("256 bits fit in 3072")
}

/// A = g^a mod N, for a secret `a` of `a_bits` bits (a public length).
pub fn compute_public_a(a: &Uint, a_bits: usize) -> Uint {
    Residue::pow_of_two(a, a_bits).retrieve()
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
    let k_gx = Residue::new(compute_k()).mul(&Residue::pow_of_two(x, HASH_BITS));
    let base = Residue::new(public_b).sub(&k_gx);
    let exponent = a.add(&u.mul_wide(x));
    base.pow(&exponent, a_bits.max(2 * HASH_BITS) + 1)
        .retrieve()
}

/// key = HKDF-SHA256(ikm = bytes(padHex(S)), salt = bytes(padHex(u)),
/// info = "Caldera Derived Key"), first 16 bytes.
pub fn compute_key(s: &Uint, u: &Uint) -> Zeroizing<[u8; 16]> {
    let ikm = Zeroizing::new(pad_bytes(s));
    hkdf_16(&pad_bytes(u), &ikm, KEY_INFO)
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
    let mac = hmac(
        key,
        &[
            pool_name.as_bytes(),
            user_id.as_bytes(),
            secret_block,
            timestamp.as_bytes(),
        ],
    );
    base64::encode(&mac)
}

/// SECRET_HASH = base64(HMAC-SHA256(key = clientSecret, utf8(username || clientId))).
pub fn compute_secret_hash(username: &str, client_id: &str, client_secret: &str) -> String {
    let mac = hmac(
        client_secret.as_bytes(),
        &[username.as_bytes(), client_id.as_bytes()],
    );
    base64::encode(&mac)
}

/// TIMESTAMP = `EEE MMM d HH:mm:ss UTC yyyy` for a Unix time in seconds, in
/// UTC with English names and an unpadded day: `Tue Feb 1 03:04:05 UTC 2000`.
pub fn format_timestamp(unix_seconds: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = unix_seconds.div_euclid(86_400);
    let secs = unix_seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let mut out = String::with_capacity(28);
    out.push_str(DAYS[days.rem_euclid(7) as usize]);
    out.push(' ');
    out.push_str(MONTHS[(month - 1) as usize]);
    out.push(' ');
    push_decimal(&mut out, day as u64, 1);
    for (separator, value) in [(' ', secs / 3600), (':', secs / 60 % 60), (':', secs % 60)] {
        out.push(separator);
        push_decimal(&mut out, value as u64, 2);
    }
    out.push_str(" UTC ");
    if year < 0 {
        out.push('-');
    }
    push_decimal(&mut out, year.unsigned_abs(), 1);
    out
}

/// Proleptic Gregorian (year, month 1-12, day 1-31) of a count of days since
/// 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
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
    pub fn new(random: &[u8]) -> Result<Self> {
        if !(32..=128).contains(&random.len()) {
            return Err(Error::Validation(
                "the SRP secret needs 32 to 128 random bytes".into(),
            ));
        }
        let a = Uint::from_be_bytes(random).expect("128 bytes fit in 3072 bits");
        if a.is_zero() {
            return Err(Error::Validation(
                "the random SRP secret is 0; draw new random bytes".into(),
            ));
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
    /// (already formatted by [`format_timestamp`]). Checks B mod N != 0 and u != 0.
    pub fn password_claim(
        self,
        identity: &SrpIdentity<'_>,
        challenge: &VerifierChallenge<'_>,
        timestamp: &str,
    ) -> Result<String> {
        let public_b = parse_hex("SRP_B", challenge.srp_b_hex)?;
        if public_b.reduce().is_zero() {
            return Err(Error::bad_response(
                "SRP_B mod N is 0; the server's SRP answer is unsafe and was refused",
            ));
        }
        let u = compute_u(&self.public_a, &public_b);
        if u.is_zero() {
            return Err(Error::bad_response(
                "SRP u = H(A, B) is 0; the server's SRP answer is unsafe and was refused",
            ));
        }
        let salt = parse_hex("SALT", challenge.salt_hex)?;
        let secret_block = base64::decode(challenge.secret_block_b64)
            .ok_or_else(|| Error::bad_response("SECRET_BLOCK from the server is not base64"))?;
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
    fn modulus_is_the_3072_bit_safe_prime() {
        // N = 2^3072 - 2^3008 - 1 + 2^64 * (floor(2^2942 pi) + 1690314): its low
        // and high 64 bits are all ones.
        let n = modulus().to_be_bytes();
        assert_eq!(n[..8], [0xff; 8]);
        assert_eq!(n[n.len() - 8..], [0xff; 8]);
        assert_eq!(n[8], 0xc9, "the first bits of pi follow");
    }

    #[test]
    fn parse_hex_accepts_odd_length_and_rejects_junk() {
        assert_eq!(parse_hex("SALT", "abc").unwrap(), Uint::from_u32(0xabc));
        assert_eq!(parse_hex("SALT", "000ABC").unwrap(), Uint::from_u32(0xabc));
        assert!(parse_hex("SALT", "").is_err());
        assert!(parse_hex("SALT", "12g4").is_err());
        assert!(parse_hex("SALT", "-12").is_err());
        assert!(parse_hex("SRP_B", &"f".repeat(769)).is_err());
    }

    #[test]
    fn timestamp_matches_the_java_pattern() {
        assert_eq!(format_timestamp(949_374_245), "Tue Feb 1 03:04:05 UTC 2000");
        assert_eq!(format_timestamp(0), "Thu Jan 1 00:00:00 UTC 1970");
        // 2018-07-10 11:01:00 UTC, the public vector's time.
        assert_eq!(
            format_timestamp(1_531_220_460),
            "Tue Jul 10 11:01:00 UTC 2018"
        );
        // Leap day and the last second of a year.
        assert_eq!(
            format_timestamp(1_709_164_800),
            "Thu Feb 29 00:00:00 UTC 2024"
        );
        assert_eq!(
            format_timestamp(1_767_225_599),
            "Wed Dec 31 23:59:59 UTC 2025"
        );
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
            assert_eq!(err.name(), "InvalidServerResponse", "B = {b}");
        }
        assert!(SrpClient::new(&[0u8; 128]).is_err(), "a = 0 is refused");
        assert!(
            SrpClient::new(&[7u8; 31]).is_err(),
            "fewer than 256 bits is refused"
        );
        assert!(SrpClient::new(&[7u8; 129]).is_err());
    }
}
