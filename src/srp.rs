//! The SRP-6a client maths of Cognito user pools, one function per quantity.
//!
//! Each doc comment states the formula exactly as `shared/cognito-protocol.md`
//! gives it. `padHex` is the hex of Java's `BigInteger.toByteArray()`, and every
//! hash `H` is SHA-256 over the *bytes* that hex spells.
//!
//! Secrets (`a`, `x`, `S`, the derived key) are held in [`Zeroizing`] so they
//! are wiped when dropped. Intermediate limbs that `num-bigint` allocates
//! inside `modpow` are not under our control; see docs/security.md.

use std::sync::OnceLock;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use num_bigint::BigUint;
use num_traits::Zero;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

type HmacSha256 = Hmac<Sha256>;

/// The 3072-bit MODP prime of RFC 3526 (group 15).
pub const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05",
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB",
    "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718",
    "3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33",
    "A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864",
    "D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2",
    "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

/// The HKDF `info` string Cognito uses.
const KEY_INFO: &[u8] = b"Caldera Derived Key";

/// N, the group modulus.
pub fn modulus() -> &'static BigUint {
    static N: OnceLock<BigUint> = OnceLock::new();
    N.get_or_init(|| BigUint::parse_bytes(N_HEX.as_bytes(), 16).expect("N_HEX is valid hex"))
}

/// g = 2, the group generator.
pub fn generator() -> BigUint {
    BigUint::from(2u32)
}

/// padHex(x): lower-case hex of x, even length, with a `00` byte in front when
/// the first nibble is 8-f (so a signed reader sees a positive number).
pub fn pad_hex(x: &BigUint) -> String {
    let mut hex = x.to_str_radix(16);
    if hex.len() % 2 == 1 {
        hex.insert(0, '0');
    } else if matches!(hex.as_bytes()[0], b'8'..=b'f') {
        hex.insert_str(0, "00");
    }
    hex
}

/// The bytes that padHex(x) spells.
pub fn pad_bytes(x: &BigUint) -> Vec<u8> {
    let bytes = x.to_bytes_be();
    if bytes[0] & 0x80 != 0 {
        let mut padded = Vec::with_capacity(bytes.len() + 1);
        padded.push(0);
        padded.extend_from_slice(&bytes);
        padded
    } else {
        bytes
    }
}

/// Reads hex from the server. Odd lengths, leading zeros and either case are
/// accepted, as the reference clients accept them.
pub fn parse_hex(field: &str, hex: &str) -> Result<BigUint> {
    if hex.is_empty() || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
        return Err(Error::bad_response(format!(
            "{field} from the server is not a hex number"
        )));
    }
    BigUint::parse_bytes(hex.as_bytes(), 16)
        .ok_or_else(|| Error::bad_response(format!("{field} from the server is not a hex number")))
}

fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

/// k = H(padHex(N) || padHex(g))
pub fn compute_k() -> &'static BigUint {
    static K: OnceLock<BigUint> = OnceLock::new();
    K.get_or_init(|| {
        let digest = sha256(&[&pad_bytes(modulus()), &pad_bytes(&generator())]);
        BigUint::from_bytes_be(&digest)
    })
}

/// A = g^a mod N
pub fn compute_public_a(a: &BigUint) -> BigUint {
    generator().modpow(a, modulus())
}

/// u = H(padHex(A) || padHex(B))
pub fn compute_u(public_a: &BigUint, public_b: &BigUint) -> BigUint {
    BigUint::from_bytes_be(&sha256(&[&pad_bytes(public_a), &pad_bytes(public_b)]))
}

/// x = H(padHex(salt) || H(utf8(poolName || userId || ":" || password))),
/// the inner hash taken as its 32 raw bytes.
pub fn compute_x(
    salt: &BigUint,
    pool_name: &str,
    user_id: &str,
    password: &str,
) -> Zeroizing<BigUint> {
    let identity = Zeroizing::new(sha256(&[
        pool_name.as_bytes(),
        user_id.as_bytes(),
        b":",
        password.as_bytes(),
    ]));
    Zeroizing::new(BigUint::from_bytes_be(&sha256(&[
        &pad_bytes(salt),
        &identity[..],
    ])))
}

/// S = (B - k * g^x)^(a + u*x) mod N, reduced to [0, N).
///
/// B - k*g^x may be negative (a small B); it is taken mod N first, which gives
/// the same S as the reference clients.
pub fn compute_s(public_b: &BigUint, x: &BigUint, a: &BigUint, u: &BigUint) -> Zeroizing<BigUint> {
    let n = modulus();
    let k_gx = Zeroizing::new((compute_k() * generator().modpow(x, n)) % n);
    let base = Zeroizing::new(((public_b % n) + n - &*k_gx) % n);
    let exponent = Zeroizing::new(a + u * x);
    Zeroizing::new(base.modpow(&exponent, n))
}

/// key = HKDF-SHA256(ikm = bytes(padHex(S)), salt = bytes(padHex(u)),
/// info = "Caldera Derived Key"), first 16 bytes.
pub fn compute_key(s: &BigUint, u: &BigUint) -> Zeroizing<[u8; 16]> {
    let ikm = Zeroizing::new(pad_bytes(s));
    let hkdf = Hkdf::<Sha256>::new(Some(&pad_bytes(u)), &ikm);
    let mut key = Zeroizing::new([0u8; 16]);
    hkdf.expand(KEY_INFO, &mut key[..])
        .expect("16 bytes is a valid HKDF-SHA256 length");
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
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(pool_name.as_bytes());
    mac.update(user_id.as_bytes());
    mac.update(secret_block);
    mac.update(timestamp.as_bytes());
    BASE64.encode(mac.finalize().into_bytes())
}

/// SECRET_HASH = base64(HMAC-SHA256(key = clientSecret, utf8(username || clientId))).
pub fn compute_secret_hash(username: &str, client_id: &str, client_secret: &str) -> String {
    let mut mac =
        HmacSha256::new_from_slice(client_secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    BASE64.encode(mac.finalize().into_bytes())
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
    format!(
        "{} {} {} {:02}:{:02}:{:02} UTC {}",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[(month - 1) as usize],
        day,
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        year
    )
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
    a: Zeroizing<BigUint>,
    public_a: BigUint,
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
    /// Starts an exchange from random bytes (the reference clients use 128).
    /// `a` = bytes mod N; fails when A mod N == 0 so the caller draws again.
    pub fn new(random: &[u8]) -> Result<Self> {
        let a = Zeroizing::new(BigUint::from_bytes_be(random) % modulus());
        let public_a = compute_public_a(&a);
        if (&public_a % modulus()).is_zero() || a.is_zero() {
            return Err(Error::Validation(
                "the random SRP secret gave A mod N = 0; draw new random bytes".into(),
            ));
        }
        Ok(SrpClient { a, public_a })
    }

    /// SRP_A as the server expects it: plain hex.
    pub fn public_a_hex(&self) -> String {
        self.public_a.to_str_radix(16)
    }

    /// PASSWORD_CLAIM_SIGNATURE for the server's challenge at `timestamp`
    /// (already formatted by [`format_timestamp`]). Checks B mod N != 0 and u != 0.
    pub fn password_claim(
        self,
        identity: &SrpIdentity<'_>,
        challenge: &VerifierChallenge<'_>,
        timestamp: &str,
    ) -> Result<String> {
        let n = modulus();
        let public_b = parse_hex("SRP_B", challenge.srp_b_hex)?;
        if (&public_b % n).is_zero() {
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
        let secret_block = BASE64
            .decode(challenge.secret_block_b64)
            .map_err(|_| Error::bad_response("SECRET_BLOCK from the server is not base64"))?;
        let x = compute_x(
            &salt,
            identity.pool_name,
            identity.user_id,
            identity.password,
        );
        let s = compute_s(&public_b, &x, &self.a, &u);
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
        assert_eq!(pad_hex(&BigUint::from(0x7fu32)), "7f");
        assert_eq!(pad_hex(&BigUint::from(0x80u32)), "0080");
        assert_eq!(pad_hex(&BigUint::from(0xfu32)), "0f");
        assert_eq!(pad_hex(&BigUint::from(0x123u32)), "0123");
        assert_eq!(pad_hex(&BigUint::from(0x8123u32)), "008123");
        for v in [1u32, 0x7f, 0x80, 0xff, 0x100, 0x8000, 0xabcdef] {
            let n = BigUint::from(v);
            assert_eq!(hex_bytes(&pad_hex(&n)), pad_bytes(&n), "value {v:#x}");
        }
    }

    fn hex_bytes(hex: &str) -> Vec<u8> {
        (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn modulus_is_the_3072_bit_safe_prime() {
        assert_eq!(modulus().bits(), 3072);
        // N = 2^3072 - 2^3008 - 1 + 2^64 * (floor(2^2942 pi) + 1690314): its low
        // and high 64 bits are all ones.
        let ones = BigUint::from(u64::MAX);
        assert_eq!(modulus() & &ones, ones);
        assert_eq!(modulus() >> 3008usize, ones);
    }

    #[test]
    fn parse_hex_accepts_odd_length_and_rejects_junk() {
        assert_eq!(parse_hex("SALT", "abc").unwrap(), BigUint::from(0xabcu32));
        assert_eq!(
            parse_hex("SALT", "000ABC").unwrap(),
            BigUint::from(0xabcu32)
        );
        assert!(parse_hex("SALT", "").is_err());
        assert!(parse_hex("SALT", "12g4").is_err());
        assert!(parse_hex("SALT", "-12").is_err());
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
        let client = SrpClient::new(&[7u8; 128]).unwrap();
        let n_hex = modulus().to_str_radix(16);
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
        assert!(
            SrpClient::new(&[0u8; 128]).is_err(),
            "a = 0 gives A = 1, refused as a = 0"
        );
        drop(client);
    }
}
