//! The server half of Cognito's SRP-6a, one function per quantity, built on
//! the client crate's shared maths (`cognito_wasm::srp`): N, g, k, u, x, the
//! HKDF key and the claim signature are the very functions the client uses.

use cognito_wasm::srp::{
    compute_claim_signature, compute_k, compute_key, compute_u, compute_x, generator, modulus,
};
use num_bigint::BigUint;
use num_traits::Zero;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// What the server keeps per user instead of the password.
#[derive(Debug, Clone)]
pub struct Verifier {
    pub salt: BigUint,
    pub v: BigUint,
}

impl Verifier {
    /// Derives the verifier for `password` under a fresh `salt`.
    pub fn new(salt: &[u8], pool_name: &str, user_id: &str, password: &str) -> Self {
        let salt = BigUint::from_bytes_be(salt);
        let v = verifier(&salt, pool_name, user_id, password);
        Verifier { salt, v }
    }

    /// Whether `password` gives this verifier (USER_PASSWORD_AUTH), compared
    /// in constant time.
    pub fn matches(&self, pool_name: &str, user_id: &str, password: &str) -> bool {
        let candidate = verifier(&self.salt, pool_name, user_id, password);
        bool::from(candidate.to_bytes_be().ct_eq(&self.v.to_bytes_be()))
    }
}

/// v = g^x mod N, with x = H(padHex(salt) || H(poolName || userId || ":" || password)).
pub fn verifier(salt: &BigUint, pool_name: &str, user_id: &str, password: &str) -> BigUint {
    let x = compute_x(salt, pool_name, user_id, password);
    generator().modpow(&x, modulus())
}

/// B = (k*v + g^b) mod N
pub fn public_b(v: &BigUint, b: &BigUint) -> BigUint {
    let n = modulus();
    (compute_k() * v + generator().modpow(b, n)) % n
}

/// B = g^b mod N: the made-up B for a user that does not exist (no verifier).
pub fn decoy_public_b(b: &BigUint) -> BigUint {
    generator().modpow(b, modulus())
}

/// S = (A * v^u)^b mod N
pub fn server_s(public_a: &BigUint, v: &BigUint, u: &BigUint, b: &BigUint) -> Zeroizing<BigUint> {
    let n = modulus();
    let base = Zeroizing::new((public_a * v.modpow(u, n)) % n);
    Zeroizing::new(base.modpow(b, n))
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
    pub public_a: &'a BigUint,
    pub public_b: &'a BigUint,
    pub b: &'a BigUint,
}

/// Whether `signature` proves knowledge of the password behind `v`. The
/// expected PASSWORD_CLAIM_SIGNATURE is
/// base64(HMAC-SHA256(HKDF(S, u), poolName || userId || secretBlock || timestamp)),
/// with u = H(padHex(A) || padHex(B)) and S = [`server_s`]; the comparison is
/// constant-time.
pub fn claim_is_valid(
    exchange: &Exchange<'_>,
    v: &BigUint,
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
pub fn public_a_is_valid(public_a: &BigUint) -> bool {
    !(public_a % modulus()).is_zero()
}

#[cfg(test)]
mod tests {
    use super::*;
    use cognito_wasm::srp::compute_s;

    #[test]
    fn server_and_client_agree_on_s() {
        let salt = BigUint::from(0x1234_5678u32);
        let x = compute_x(&salt, "Pool", "alice", "pw");
        let v = verifier(&salt, "Pool", "alice", "pw");
        let a = BigUint::from(987_654_321u64);
        let b = BigUint::from(123_456_789u64);
        let public_a = generator().modpow(&a, modulus());
        let public_b = public_b(&v, &b);
        let u = compute_u(&public_a, &public_b);
        assert_eq!(
            *server_s(&public_a, &v, &u, &b),
            *compute_s(&public_b, &x, &a, &u)
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
        assert!(!public_a_is_valid(&BigUint::from(0u32)));
        assert!(!public_a_is_valid(modulus()));
        assert!(public_a_is_valid(&BigUint::from(2u32)));
    }
}
