//! The server half of Cognito's SRP-6a, one function per quantity, built on
//! the client crate's shared maths (`cognito_srp`): N, g, k, u, x, the
//! HKDF key and the claim signature are the very functions the client uses.

use cognito_srp::group::multiplier;
use cognito_srp::residue::Residue;
use cognito_srp::srp::{compute_claim_signature, compute_key, compute_u, compute_x, HASH_BITS};
use cognito_srp::uint::Uint;
use subtle::ConstantTimeEq;

/// What the server keeps per user instead of the password.
#[derive(Debug, Clone)]
pub struct Verifier {
    pub salt: Uint,
    pub v: Uint,
}

impl Verifier {
    /// Derives the verifier for `password` under a fresh `salt`.
    pub fn new(salt: &[u8], pool_name: &str, user_id: &str, password: &str) -> Self {
        let salt = Uint::from_be_bytes(salt).expect("a salt of at most 384 bytes");
        let v = verifier(&salt, pool_name, user_id, password);
        Verifier { salt, v }
    }

    /// Whether `password` gives this verifier (USER_PASSWORD_AUTH), compared
    /// in constant time.
    pub fn matches(&self, pool_name: &str, user_id: &str, password: &str) -> bool {
        let candidate = verifier(&self.salt, pool_name, user_id, password);
        bool::from(candidate.to_be_bytes().ct_eq(&self.v.to_be_bytes()))
    }
}

/// v = g^x mod N, with x = H(padHex(salt) || H(poolName || userId || ":" || password)).
pub fn verifier(salt: &Uint, pool_name: &str, user_id: &str, password: &str) -> Uint {
    let x = compute_x(salt, pool_name, user_id, password);
    Residue::pow_of_two(&x, HASH_BITS).retrieve()
}

/// The server's secret b, of `B_BITS` bits.
pub const B_BITS: usize = 2048;

/// B = (k*v + g^b) mod N
pub fn public_b(v: &Uint, b: &Uint) -> Uint {
    let k_v = Residue::new(multiplier()).mul(&Residue::new(v));
    k_v.add(&Residue::pow_of_two(b, B_BITS)).retrieve()
}

/// B = g^b mod N: the made-up B for a user that does not exist (no verifier).
pub fn decoy_public_b(b: &Uint) -> Uint {
    Residue::pow_of_two(b, B_BITS).retrieve()
}

/// S = (A * v^u)^b mod N
pub fn server_s(public_a: &Uint, v: &Uint, u: &Uint, b: &Uint) -> Uint {
    let base = Residue::new(public_a).mul(&Residue::new(v).pow(u, HASH_BITS));
    base.pow(b, B_BITS).retrieve()
}

/// What the claim signature covers besides the key.
pub struct ClaimCheck<'a> {
    pub pool_name: &'a str,
    pub user_id: &'a str,
    pub secret_block: &'a [u8],
    pub timestamp: &'a str,
}

/// The two public values and the server secret of one exchange.
pub struct Exchange<'a> {
    pub public_a: &'a Uint,
    pub public_b: &'a Uint,
    pub b: &'a Uint,
}

/// Whether `signature` proves knowledge of the password behind `v`. The
/// expected PASSWORD_CLAIM_SIGNATURE is
/// base64(HMAC-SHA256(HKDF(S, u), poolName || userId || secretBlock || timestamp)),
/// with u = H(padHex(A) || padHex(B)) and S = [`server_s`]; the comparison is
/// constant-time.
pub fn claim_is_valid(
    exchange: &Exchange<'_>,
    v: &Uint,
    check: &ClaimCheck<'_>,
    signature: &str,
) -> bool {
    let u = compute_u(exchange.public_a, exchange.public_b);
    let s = server_s(exchange.public_a, v, &u, exchange.b);
    let key = compute_key(&s, &u);
    let expected = compute_claim_signature(
        &key,
        check.pool_name,
        check.user_id,
        check.secret_block,
        check.timestamp,
    );
    bool::from(expected.as_bytes().ct_eq(signature.as_bytes()))
}

/// Whether SRP_A is usable: A mod N != 0.
pub fn public_a_is_valid(public_a: &Uint) -> bool {
    !cognito_srp::group::reduce(public_a).is_zero()
}

#[cfg(test)]
mod tests {
    use super::*;
    use cognito_srp::group::modulus;
    use cognito_srp::srp::{compute_public_a, compute_s};

    #[test]
    fn server_and_client_agree_on_s() {
        let salt = Uint::from_u32(0x1234_5678);
        let x = compute_x(&salt, "Pool", "alice", "pw");
        let v = verifier(&salt, "Pool", "alice", "pw");
        let (a, a_bits) = (Uint::from_u32(987_654_321), 32);
        let b = Uint::from_u32(123_456_789);
        let public_a = compute_public_a(&a, a_bits);
        let public_b = public_b(&v, &b);
        let u = compute_u(&public_a, &public_b);
        assert_eq!(
            server_s(&public_a, &v, &u, &b),
            compute_s(&public_b, &x, &a, a_bits, &u)
        );
    }

    #[test]
    fn verifier_matches_only_its_password() {
        let verifier = Verifier::new(&[7; 16], "Pool", "alice", "pw");
        assert!(verifier.matches("Pool", "alice", "pw"));
        assert!(!verifier.matches("Pool", "alice", "pW"));
        assert!(!verifier.matches("Pool", "bob", "pw"));
    }

    #[test]
    fn a_multiple_of_n_is_refused() {
        assert!(!public_a_is_valid(&Uint::ZERO));
        assert!(!public_a_is_valid(modulus()));
        assert!(public_a_is_valid(&Uint::from_u32(2)));
    }
}
