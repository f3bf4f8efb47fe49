//! The SRP group of Cognito user pools: N, the 3072-bit MODP prime of RFC
//! 3526 (group 15), g = 2, and SRP-6a's multiplier k of them; and the plain
//! reductions mod N that setting up the Montgomery arithmetic needs.

use crate::uint::{Uint, LIMBS};

/// N as hex (RFC 3526, group 15).
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

/// N, read from [`N_HEX`] when compiling.
pub fn modulus() -> &'static Uint {
    static N: Uint = Uint::from_hex_const(N_HEX);
    &N
}

/// g = 2, the group generator.
pub fn generator() -> Uint {
    Uint::from_u32(2)
}

/// k = H(padHex(N) || padHex(g)), as hex: a constant of the group, so it is
/// read when compiling, as N is (`srp::compute_k` is the formula, and a
/// test checks that they agree).
pub const K_HEX: &str = "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6";

/// k, read from [`K_HEX`] when compiling.
pub fn multiplier() -> &'static Uint {
    static K: Uint = Uint::from_hex_const(K_HEX);
    &K
}

/// x mod N, for any x < 2^3072 (< 2N, so one subtraction), without a branch.
pub fn reduce(x: &Uint) -> Uint {
    let (difference, borrow) = x.sub_with_borrow(modulus());
    Uint::select(borrow, x, &difference)
}

/// 2^bits mod N for `bits` of 3071 or more (setup of the Montgomery
/// constants), by doubling from 2^3071, which is below N (N has 3072 bits)
/// and so its own residue. Starting there rather than at 1 skips two thirds
/// of the doublings the constants took, which a page's first sign-in waits
/// for.
pub fn pow2_mod_n(bits: usize) -> Uint {
    debug_assert!(bits > 32 * LIMBS - 2, "2^{bits} is below 2^3071");
    let n = modulus();
    let mut value = Uint::ZERO;
    value.0[LIMBS - 1] = 1 << 31;
    for _ in 32 * LIMBS - 1..bits {
        let (doubled, carry) = value.add_with_carry(&value);
        let (reduced, borrow) = doubled.sub_with_borrow(n);
        // Keep `doubled` only when it did not overflow and was below N.
        value = Uint::select(borrow & !carry & 1, &doubled, &reduced);
    }
    value
}

const _: () = assert!(N_HEX.len() == LIMBS * 8, "N is a 3072-bit number");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::uint::BYTES;
    use num_bigint::BigUint;

    fn big(x: &Uint) -> BigUint {
        BigUint::from_bytes_be(&x.to_be_bytes())
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn modulus_and_reductions() {
        let n = big(modulus());
        // The limbs read when compiling are the runtime reader's.
        assert_eq!(Some(modulus()), Uint::from_hex(N_HEX).as_ref());
        assert_eq!(n, BigUint::parse_bytes(N_HEX.as_bytes(), 16).unwrap());
        assert_eq!(reduce(modulus()), Uint::ZERO, "N mod N");
        let above = Uint::from_be_bytes(&[0xff; BYTES]).unwrap();
        assert_eq!(big(&reduce(&above)), big(&above) % &n);
        for bits in [3071, 3072, 3073, 3080, 6148] {
            assert_eq!(
                big(&pow2_mod_n(bits)),
                (BigUint::from(1u32) << bits) % &n,
                "2^{bits} mod N"
            );
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn modulus_is_the_3072_bit_safe_prime() {
        // N = 2^3072 - 2^3008 - 1 + 2^64 * (floor(2^2942 pi) + 1690314): its low
        // and high 64 bits are all ones.
        let n = modulus().to_be_bytes();
        assert_eq!(n[..8], [0xff; 8]);
        assert_eq!(n[n.len() - 8..], [0xff; 8]);
        assert_eq!(n[8], 0xc9, "the first bits of pi follow");
    }
}
