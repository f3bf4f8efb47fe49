//! Arithmetic modulo the SRP group prime N in Montgomery form: constant time,
//! and shaped for wasm32.
//!
//! A residue is 110 limbs of 28 bits (R = 2^3080). A product of two limbs is
//! below 2^56, so a 64-bit accumulator can sum 256 of them without overflow.
//! The Montgomery loops therefore add products without propagating carries
//! ("lazy carries": one `i64.mul` and one `i64.add` per product, no carry
//! chain between columns) and settle the carries once per multiplication.
//! Every column sums at most 2 * 110 products plus carries, below 2^63.8.
//!
//! No branch and no memory index depends on a value: the final subtraction
//! is a masked select, and exponent windows read their table entry by
//! scanning the whole table. Residues are wiped when dropped.

use alloc::vec::Vec;

use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::once::OnceLock;
use crate::uint::{self, Uint};

/// Bits per limb.
const LIMB_BITS: usize = 28;
const MASK: u64 = (1 << LIMB_BITS) - 1;
/// Limbs per residue: 110 * 28 = 3080 bits >= 3072.
const LIMBS: usize = 110;

type Limbs = [u32; LIMBS];

/// N and its Montgomery constants, in 28-bit limbs.
struct Constants {
    n: Limbs,
    /// -N^-1 mod 2^28.
    n0_inv: u32,
    /// R mod N: one in Montgomery form.
    one: Limbs,
    /// R^2 mod N: multiplying by it enters Montgomery form.
    r2: Limbs,
}

fn constants() -> &'static Constants {
    static CONSTANTS: OnceLock<Constants> = OnceLock::new();
    CONSTANTS.get_or_init(|| {
        let n = uint::modulus();
        // Newton's iteration doubles the number of correct low bits of N^-1.
        let mut inv = 1u32;
        for _ in 0..5 {
            inv = inv.wrapping_mul(2u32.wrapping_sub(n.0[0].wrapping_mul(inv)));
        }
        Constants {
            n: to_limbs(n),
            n0_inv: inv.wrapping_neg() & MASK as u32,
            one: to_limbs(&uint::pow2_mod_n(LIMBS * LIMB_BITS)),
            r2: to_limbs(&uint::pow2_mod_n(2 * LIMBS * LIMB_BITS)),
        }
    })
}

fn to_limbs(value: &Uint) -> Limbs {
    let mut limbs = [0u32; LIMBS];
    for (i, limb) in limbs.iter_mut().enumerate() {
        let bit = i * LIMB_BITS;
        let (word, shift) = (bit / 32, bit % 32);
        let low = u64::from(value.0.get(word).copied().unwrap_or(0));
        let high = u64::from(value.0.get(word + 1).copied().unwrap_or(0));
        *limb = (((high << 32 | low) >> shift) & MASK) as u32;
    }
    limbs
}

fn from_limbs(limbs: &Limbs) -> Uint {
    let mut value = Uint::ZERO;
    for (i, &limb) in limbs.iter().enumerate() {
        let bit = i * LIMB_BITS;
        let (word, shift) = (bit / 32, bit % 32);
        let spread = u64::from(limb) << shift;
        value.0[word] |= spread as u32;
        if let Some(next) = value.0.get_mut(word + 1) {
            *next |= (spread >> 32) as u32;
        }
    }
    value
}

/// A residue mod N in Montgomery form (value * R mod N), fully reduced.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Residue(Limbs);

impl Residue {
    /// `value` into Montgomery form; values of N or more are reduced first.
    pub fn new(value: &Uint) -> Residue {
        Residue(mont_mul(&to_limbs(&value.reduce()), &constants().r2))
    }

    pub fn one() -> Residue {
        Residue(constants().one)
    }

    /// The plain value, in [0, N).
    pub fn retrieve(&self) -> Uint {
        let mut one = [0u32; LIMBS];
        one[0] = 1;
        from_limbs(&mont_mul(&self.0, &one))
    }

    pub fn mul(&self, other: &Residue) -> Residue {
        Residue(mont_mul(&self.0, &other.0))
    }

    pub fn square(&self) -> Residue {
        Residue(mont_square(&self.0))
    }

    /// self + other mod N.
    pub fn add(&self, other: &Residue) -> Residue {
        let mut sum = [0u32; LIMBS];
        let mut carry = 0u64;
        for ((s, &a), &b) in sum.iter_mut().zip(&self.0).zip(&other.0) {
            let t = u64::from(a) + u64::from(b) + carry;
            *s = (t & MASK) as u32;
            carry = t >> LIMB_BITS;
        }
        // The sum is below 2N < 2^3080, so no carry leaves the top limb.
        Residue(subtract_n_if_not_below(sum))
    }

    /// self - other mod N.
    pub fn sub(&self, other: &Residue) -> Residue {
        let (difference, borrow) = sub_limbs(&self.0, &other.0);
        let (wrapped, _) = sub_limbs(&difference, &negated_n());
        Residue(select(borrow, &wrapped, &difference))
    }

    /// self^exponent for an exponent of `bits` bits (a public length),
    /// four bits at a time, each window's table entry found by a full scan.
    pub fn pow(&self, exponent: &Uint, bits: usize) -> Residue {
        const WINDOW: usize = 4;
        let mut table: Vec<Residue> = Vec::with_capacity(1 << WINDOW);
        table.push(Residue::one());
        for i in 1..(1 << WINDOW) {
            let next = table[i - 1].mul(self);
            table.push(next);
        }
        let mut acc = Residue::one();
        for w in (0..bits.div_ceil(WINDOW)).rev() {
            for _ in 0..WINDOW {
                acc = acc.square();
            }
            acc = acc.mul(&select_entry(
                &table,
                exponent_bits(exponent, w * WINDOW, WINDOW),
            ));
        }
        acc
    }

    /// 2^exponent for an exponent of `bits` bits: per bit, a squaring and a
    /// masked choice of the doubled value, since multiplying by g = 2 is an
    /// addition.
    pub fn pow_of_two(exponent: &Uint, bits: usize) -> Residue {
        let mut acc = Residue::one();
        for bit in (0..bits).rev() {
            acc = acc.square();
            let doubled = acc.add(&acc);
            acc = Residue(select(exponent_bits(exponent, bit, 1), &doubled.0, &acc.0));
        }
        acc
    }
}

/// Bits [start, start + len) of `value`, len <= 32.
fn exponent_bits(value: &Uint, start: usize, len: usize) -> u32 {
    let (word, shift) = (start / 32, start % 32);
    let low = u64::from(value.0.get(word).copied().unwrap_or(0));
    let high = u64::from(value.0.get(word + 1).copied().unwrap_or(0));
    (((high << 32 | low) >> shift) & ((1 << len) - 1)) as u32
}

/// `if choice == 1 { a } else { b }`, without a branch.
fn select(choice: u32, a: &Limbs, b: &Limbs) -> Limbs {
    let mask = 0u32.wrapping_sub(choice);
    let mut out = [0u32; LIMBS];
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        *o = (x & mask) | (y & !mask);
    }
    out
}

/// table[index], reading every entry so the access pattern hides `index`.
fn select_entry(table: &[Residue], index: u32) -> Residue {
    let mut out = [0u32; LIMBS];
    for (i, entry) in table.iter().enumerate() {
        let diff = i as u32 ^ index;
        let hit = 1 ^ ((diff | diff.wrapping_neg()) >> 31); // i == index
        out = select(hit, &entry.0, &out);
    }
    Residue(out)
}

/// a - b over 28-bit limbs, and the borrow out of the top (1 when a < b).
fn sub_limbs(a: &Limbs, b: &Limbs) -> (Limbs, u32) {
    let mut difference = [0u32; LIMBS];
    let mut borrow = 0u32;
    for ((d, &x), &y) in difference.iter_mut().zip(a).zip(b) {
        let t = x.wrapping_sub(y).wrapping_sub(borrow);
        *d = t & MASK as u32;
        borrow = t >> 31;
    }
    (difference, borrow)
}

/// 2^3080 - N, so that adding N is subtracting this.
fn negated_n() -> Limbs {
    sub_limbs(&[0; LIMBS], &constants().n).0
}

/// x - N when x >= N, else x, for x < 2N.
fn subtract_n_if_not_below(x: Limbs) -> Limbs {
    let (reduced, borrow) = sub_limbs(&x, &constants().n);
    select(borrow, &x, &reduced)
}

/// Settles the lazy carries of the upper half of a Montgomery accumulator
/// and reduces the result (below 2N) to [0, N).
fn finish(columns: &[u64]) -> Limbs {
    let mut limbs = [0u32; LIMBS];
    let mut carry = 0u64;
    for (limb, &column) in limbs.iter_mut().zip(columns) {
        let t = column + carry;
        *limb = (t & MASK) as u32;
        carry = t >> LIMB_BITS;
    }
    subtract_n_if_not_below(limbs)
}

/// a * b * R^-1 mod N. Row i adds a * b_i and m * N, where m makes the
/// lowest live column a multiple of 2^28, then moves that column's carry up.
fn mont_mul(a: &Limbs, b: &Limbs) -> Limbs {
    let c = constants();
    let mut t = [0u64; 2 * LIMBS];
    for (i, &bi) in b.iter().enumerate() {
        let row: &mut [u64; LIMBS] = (&mut t[i..i + LIMBS]).try_into().expect("LIMBS columns");
        let first = row[0] + u64::from(a[0]) * u64::from(bi);
        let m = (first as u32).wrapping_mul(c.n0_inv) & MASK as u32;
        add_products(row, a, bi, &c.n, m);
        let carry = row[0] >> LIMB_BITS;
        t[i + 1] += carry;
    }
    let result = finish(&t[LIMBS..]);
    t.zeroize();
    result
}

/// row[j] += a[j] * b + n[j] * m for every column j: two products per
/// column, no carries (see the module comment). Fixed-size arrays let the
/// compiler drop every bounds check from the hot loop.
fn add_products(row: &mut [u64; LIMBS], a: &Limbs, b: u32, n: &Limbs, m: u32) {
    let (b, m) = (u64::from(b), u64::from(m));
    for ((column, &aj), &nj) in row.iter_mut().zip(a).zip(n) {
        *column += u64::from(aj) * b + m * u64::from(nj);
    }
}

/// a^2 * R^-1 mod N: the square with each cross product computed once and
/// doubled, then the Montgomery reduction row by row.
fn mont_square(a: &Limbs) -> Limbs {
    let c = constants();
    let mut t = [0u64; 2 * LIMBS];
    for (i, &ai) in a.iter().enumerate() {
        let ai = u64::from(ai);
        t[2 * i] += ai * ai;
        let twice = 2 * ai;
        for (column, &aj) in t[2 * i + 1..i + LIMBS].iter_mut().zip(&a[i + 1..]) {
            *column += twice * u64::from(aj);
        }
    }
    for i in 0..LIMBS {
        let row: &mut [u64; LIMBS] = (&mut t[i..i + LIMBS]).try_into().expect("LIMBS columns");
        let m = u64::from((row[0] as u32).wrapping_mul(c.n0_inv)) & MASK;
        for (column, &nj) in row.iter_mut().zip(&c.n) {
            *column += m * u64::from(nj);
        }
        let carry = row[0] >> LIMB_BITS;
        t[i + 1] += carry;
    }
    let result = finish(&t[LIMBS..]);
    t.zeroize();
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;

    fn big(x: &Uint) -> BigUint {
        BigUint::from_bytes_be(&x.to_be_bytes())
    }

    fn n() -> BigUint {
        big(uint::modulus())
    }

    /// Deterministic values below N from a xorshift stream, so failures
    /// reproduce; the first ones are the extremes 0, 1 and N - 1.
    fn values(count: usize) -> Vec<Uint> {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut out = vec![
            Uint::ZERO,
            Uint::from_u32(1),
            Uint::from_be_bytes(&(n() - 1u32).to_bytes_be()).unwrap(),
        ];
        while out.len() < count {
            let mut x = Uint::ZERO;
            for limb in x.0.iter_mut() {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                *limb = seed as u32;
            }
            out.push(x.reduce());
        }
        out
    }

    #[test]
    fn limb_conversion_round_trips() {
        for x in values(10) {
            assert_eq!(from_limbs(&to_limbs(&x)), x);
        }
    }

    #[test]
    fn montgomery_constants_are_right() {
        let c = constants();
        assert_eq!(
            (c.n[0].wrapping_mul(c.n0_inv) as u64 + 1) & MASK,
            0,
            "n0_inv"
        );
        let r = BigUint::from(1u32) << 3080usize;
        assert_eq!(big(&from_limbs(&c.one)), &r % n(), "R mod N");
        assert_eq!(big(&from_limbs(&c.r2)), (&r * &r) % n(), "R^2 mod N");
    }

    #[test]
    fn arithmetic_matches_num_bigint() {
        let n = n();
        let values = values(24);
        for pair in values.chunks(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let (ra, rb) = (Residue::new(a), Residue::new(b));
            assert_eq!(big(&ra.retrieve()), big(a), "round trip");
            assert_eq!(big(&ra.mul(&rb).retrieve()), big(a) * big(b) % &n, "mul");
            assert_eq!(big(&ra.square().retrieve()), big(a) * big(a) % &n, "square");
            assert_eq!(big(&ra.add(&rb).retrieve()), (big(a) + big(b)) % &n, "add");
            assert_eq!(
                big(&ra.sub(&rb).retrieve()),
                (big(a) + &n - big(b)) % &n,
                "sub"
            );
            assert_eq!(
                big(&rb.sub(&ra).retrieve()),
                (big(b) + &n - big(a)) % &n,
                "sub"
            );
        }
    }

    #[test]
    fn pow_matches_num_bigint_for_every_exponent_length() {
        let n = n();
        let values = values(30);
        let two = BigUint::from(2u32);
        for (k, bits) in [1usize, 4, 31, 32, 33, 255, 256, 257, 512, 1024, 1536, 3072]
            .into_iter()
            .enumerate()
        {
            let base = &values[3 + 2 * k];
            let mut exponent = values[4 + 2 * k].clone();
            for (i, limb) in exponent.0.iter_mut().enumerate() {
                let keep = bits.saturating_sub(32 * i).min(32);
                *limb &= if keep == 32 {
                    u32::MAX
                } else {
                    (1u32 << keep) - 1
                };
            }
            let e = big(&exponent);
            let got = Residue::new(base).pow(&exponent, bits).retrieve();
            assert_eq!(big(&got), big(base).modpow(&e, &n), "pow, {bits} bits");
            let got = Residue::pow_of_two(&exponent, bits).retrieve();
            assert_eq!(big(&got), two.modpow(&e, &n), "pow_of_two, {bits} bits");
        }
    }

    #[test]
    fn values_at_or_above_n_are_reduced() {
        let above = Uint::from_be_bytes(&[0xff; uint::BYTES]).unwrap();
        assert_eq!(big(&Residue::new(&above).retrieve()), big(&above) % n());
        assert!(Residue::new(uint::modulus()).retrieve().is_zero());
    }
}
