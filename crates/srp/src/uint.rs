//! Fixed-width 3072-bit unsigned numbers: conversions, and the few plain
//! (non-modular) operations SRP needs. Modular arithmetic is in `residue`.
//!
//! A value is 96 little-endian 32-bit limbs. Nothing here branches on a
//! value or indexes memory with it, except where a doc comment says the
//! input is public. Values are wiped when dropped.

use alloc::string::String;
use alloc::vec::Vec;

use zeroize::{Zeroize, ZeroizeOnDrop};

/// Limbs of a 3072-bit number.
pub const LIMBS: usize = 96;
/// Bytes of a 3072-bit number.
pub const BYTES: usize = LIMBS * 4;

/// A number below 2^3072, as little-endian 32-bit limbs; wiped when dropped.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Uint(pub(crate) [u32; LIMBS]);

impl core::fmt::Debug for Uint {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Values may be secret: never print them.
        f.write_str("Uint(..)")
    }
}

impl Uint {
    pub const ZERO: Uint = Uint([0; LIMBS]);

    pub fn from_u32(value: u32) -> Self {
        let mut limbs = [0; LIMBS];
        limbs[0] = value;
        Uint(limbs)
    }

    /// Big-endian bytes, any length; `None` when the value needs more than
    /// 3072 bits.
    pub fn from_be_bytes(bytes: &[u8]) -> Option<Self> {
        let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
        let bytes = &bytes[first..];
        if bytes.len() > BYTES {
            return None;
        }
        let mut limbs = [0u32; LIMBS];
        for (i, &byte) in bytes.iter().rev().enumerate() {
            limbs[i / 4] |= u32::from(byte) << (8 * (i % 4));
        }
        Some(Uint(limbs))
    }

    /// Hex digits, any length and case; `None` for a non-hex digit, an empty
    /// string or a value of more than 3072 bits.
    pub fn from_hex(hex: &str) -> Option<Self> {
        let digits = hex.trim_start_matches('0').as_bytes();
        if hex.is_empty() || digits.len() > BYTES * 2 {
            return None;
        }
        let mut limbs = [0u32; LIMBS];
        for (i, &c) in digits.iter().rev().enumerate() {
            let nibble = (c as char).to_digit(16)?;
            limbs[i / 8] |= nibble << (4 * (i % 8));
        }
        Some(Uint(limbs))
    }

    /// `hex` (at most 768 digits), read when compiling (for constants such
    /// as N and k: the module then holds limbs, not hex text and a parse).
    pub const fn from_hex_const(hex: &str) -> Uint {
        let digits = hex.as_bytes();
        assert!(digits.len() <= LIMBS * 8, "at most 768 hex digits");
        let mut limbs = [0u32; LIMBS];
        let mut i = 0;
        while i < digits.len() {
            let c = digits[digits.len() - 1 - i];
            let nibble = match c {
                b'0'..=b'9' => c - b'0',
                b'A'..=b'F' => c - b'A' + 10,
                b'a'..=b'f' => c - b'a' + 10,
                _ => panic!("not a hex digit"),
            };
            limbs[i / 8] |= (nibble as u32) << (4 * (i % 8));
            i += 1;
        }
        Uint(limbs)
    }

    /// All 384 big-endian bytes.
    pub fn to_be_bytes(&self) -> [u8; BYTES] {
        let mut bytes = [0u8; BYTES];
        for (i, limb) in self.0.iter().enumerate() {
            bytes[BYTES - 4 * (i + 1)..BYTES - 4 * i].copy_from_slice(&limb.to_be_bytes());
        }
        bytes
    }

    /// Big-endian bytes without leading zeros (one `0` byte for zero).
    pub fn to_be_bytes_trimmed(&self) -> Vec<u8> {
        let bytes = self.to_be_bytes();
        let first = bytes.iter().position(|&b| b != 0).unwrap_or(BYTES - 1);
        bytes[first..].to_vec()
    }

    /// Lower-case hex without leading zeros (`0` for zero).
    pub fn to_hex(&self) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let bytes = self.to_be_bytes_trimmed();
        let mut hex = String::with_capacity(bytes.len() * 2);
        for byte in bytes {
            hex.push(DIGITS[usize::from(byte >> 4)] as char);
            hex.push(DIGITS[usize::from(byte & 15)] as char);
        }
        if hex.len() > 1 && hex.starts_with('0') {
            hex.remove(0);
        }
        hex
    }

    pub fn is_zero(&self) -> bool {
        self.0.iter().fold(0, |acc, &limb| acc | limb) == 0
    }

    /// How many low limbs hold the value (public: used for exponent lengths
    /// that are public, such as the 256-bit u and x).
    pub fn used_limbs(&self) -> usize {
        self.0.iter().rposition(|&l| l != 0).map_or(0, |i| i + 1)
    }

    /// self + other, and the carry out of the top limb.
    pub(crate) fn add_with_carry(&self, other: &Uint) -> (Uint, u32) {
        let mut sum = [0u32; LIMBS];
        let mut carry = 0u64;
        for ((s, &a), &b) in sum.iter_mut().zip(&self.0).zip(&other.0) {
            let t = u64::from(a) + u64::from(b) + carry;
            *s = t as u32;
            carry = t >> 32;
        }
        (Uint(sum), carry as u32)
    }

    /// self - other, and the borrow out of the top limb (1 when self < other).
    pub(crate) fn sub_with_borrow(&self, other: &Uint) -> (Uint, u32) {
        let mut difference = [0u32; LIMBS];
        let mut borrow = 0u64;
        for ((d, &a), &b) in difference.iter_mut().zip(&self.0).zip(&other.0) {
            let t = u64::from(a).wrapping_sub(u64::from(b)).wrapping_sub(borrow);
            *d = t as u32;
            borrow = (t >> 63) & 1;
        }
        (Uint(difference), borrow as u32)
    }

    /// `if choice { a } else { b }` for choice in {0, 1}, without a branch.
    pub(crate) fn select(choice: u32, a: &Uint, b: &Uint) -> Uint {
        let mask = 0u32.wrapping_sub(choice);
        let mut out = [0u32; LIMBS];
        for ((o, &x), &y) in out.iter_mut().zip(&a.0).zip(&b.0) {
            *o = (x & mask) | (y & !mask);
        }
        Uint(out)
    }

    /// self * other as a plain (not modular) product, for the exponent a + u*x.
    /// The product must fit in 3072 bits.
    pub fn mul_wide(&self, other: &Uint) -> Uint {
        let (la, lb) = (self.used_limbs(), other.used_limbs());
        assert!(la + lb <= LIMBS, "mul_wide is for products below 2^3072");
        let mut product = [0u32; LIMBS];
        for i in 0..la {
            let mut carry = 0u64;
            for j in 0..lb {
                let t = u64::from(product[i + j])
                    + u64::from(self.0[i]) * u64::from(other.0[j])
                    + carry;
                product[i + j] = t as u32;
                carry = t >> 32;
            }
            product[i + lb] = carry as u32;
        }
        Uint(product)
    }

    /// self + other as a plain sum; the sum must fit in 3072 bits.
    pub fn add(&self, other: &Uint) -> Uint {
        let (sum, carry) = self.add_with_carry(other);
        assert_eq!(carry, 0, "add is for sums below 2^3072");
        sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;

    fn big(x: &Uint) -> BigUint {
        BigUint::from_bytes_be(&x.to_be_bytes())
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn bytes_and_hex_round_trip() {
        let mut x = Uint::ZERO;
        for (i, limb) in x.0.iter_mut().enumerate() {
            *limb = (i as u32).wrapping_mul(0x9e37_79b9) ^ 0x5bd1_e995;
        }
        assert_eq!(Uint::from_be_bytes(&x.to_be_bytes()).unwrap(), x);
        assert_eq!(Uint::from_hex(&x.to_hex()).unwrap(), x);
        assert_eq!(x.to_hex(), big(&x).to_str_radix(16));
        assert_eq!(Uint::from_hex("00abc").unwrap(), Uint::from_u32(0xabc));
        assert_eq!(
            Uint::from_u32(0xabc).to_be_bytes_trimmed(),
            vec![0x0a, 0xbc]
        );
        assert_eq!(Uint::ZERO.to_hex(), "0");
        assert!(Uint::from_hex("").is_none());
        assert!(Uint::from_hex("xyz").is_none());
        assert!(
            Uint::from_hex(&"1".repeat(769)).is_none(),
            "more than 3072 bits"
        );
        assert!(Uint::from_be_bytes(&[1; 385]).is_none());
        assert_eq!(Uint::from_be_bytes(&[0; 400]).unwrap(), Uint::ZERO);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn plain_helpers() {
        let (wide, product) = (
            Uint::from_hex("ffffffffffffffff").unwrap(),
            BigUint::from(u64::MAX),
        );
        assert_eq!(big(&wide.mul_wide(&wide)), &product * &product);
        assert_eq!(big(&wide.add(&wide)), &product + &product);
    }
}
