//! Arithmetic modulo the SRP group prime N in Montgomery form: constant time,
//! and shaped for wasm32 as V8 compiles it.
//!
//! A residue is 106 limbs of 29 bits (R = 2^3074 > 4N). A product of two
//! limbs is below 2^58, so a 64-bit accumulator column can sum 63 of them.
//! The Montgomery loops add products without propagating carries ("lazy
//! carries": no carry chain between columns), and every few row pairs
//! settle the columns still in use: each column keeps its low 29 bits plus
//! the bits above 29 of the column below (no chain: each carry comes from
//! one old column), and the column above them takes the top one's. A carry
//! is a column (below 2^64) shifted right by 29, so below 2^35. Bounds, in
//! whatever order the products of a pass are added:
//! - a column holds at most what it had at the last settling (`start`), the
//!   products added since, and three carries: one a settling moves into it,
//!   the one moved up from the two low columns a pair consumes (once in its
//!   life), and the one `finish` adds when settling the result;
//! - `mont_mul`: a pair adds at most four products (a b_i, m_i N,
//!   a b_(i+1), m_(i+1) N) to a column; settling every 15 pairs:
//!   2^29 + 3 * 2^35 + 60 (2^29 - 1)^2 < 2^64;
//! - `mont_square` adds each cross product a_i a_j (i < j) once, at most 53
//!   per column, with no settling: 53 (2^29 - 1)^2 < 2^64. It then settles
//!   all columns while doubling them and adds the squares a_i^2: each
//!   column below 2 (2^29 + 2^35) + 2^58, and no carry leaves the top
//!   column (no cross product reaches it). Its reduction adds two products
//!   per pair; settling every 31 pairs:
//!   2 (2^29 + 2^35) + 2^58 + 3 * 2^35 + 62 (2^29 - 1)^2 < 2^64.
//!
//! `column_fits` checks these sums at compile time.
//!
//! -N^-1 mod 2^29 is 1 (N = -1 mod 2^64), so a row's multiplier m_i is the
//! column's low limb itself (a test checks it against N).
//!
//! Speed (issue #6; each measured in V8 against the version before it):
//! - rows go in pairs: one pass over the columns adds rows i and i + 1 (four
//!   products per column in a multiplication, two in a square's passes), so
//!   each column is loaded and stored once per two rows, and the loops step
//!   several columns at a time. More rows per pass, a pass fusing the
//!   square's products with its reduction, one level of Karatsuba for the
//!   square, 31-bit limbs with in-loop carries and wasm SIMD (`i64x2`
//!   extended multiplies) were each measured no faster, or slower, and so
//!   were table scans limb by limb (each limb's sum in a register: 5-10%
//!   slower) or four entries per pass over the output;
//! - 29-bit limbs, 106 of them, with the settling above, instead of 110
//!   28-bit limbs that never needed settling: 7% fewer products, a sign-in's
//!   maths 4% faster in Chromium and 5% in Node. Settling by a carry chain
//!   (each column's carry added before the next one's is taken) kept only
//!   1% in Chromium;
//! - residues stay in [0, 2N), not [0, N): with R > 4N, a Montgomery product
//!   of two values below 2N is below 2N, so the final subtraction is needed
//!   only when leaving Montgomery form (`retrieve`);
//! - powers of g = 2 use a fixed-base comb whose tables of public powers of g
//!   are built on first use (see [`Residue::pow_of_two`]); g^a before its
//!   tables are built takes a squaring and a doubling per bit
//!   ([`Residue::pow_of_two_by_doubling`]).
//!
//! No branch and no memory index depends on a secret: loop counts and
//! exponent lengths are public, the final subtraction and the add and sub
//! reductions are masked selects, and exponent windows and comb columns read
//! their table entry by scanning the whole table. Residues and accumulators
//! are wiped when dropped.

use alloc::vec::Vec;

use zeroize::{Zeroize, ZeroizeOnDrop};

use spin::Once;

use crate::group::{self, modulus, pow2_mod_n};
use crate::uint::{self, Uint};

/// Bits per limb.
const LIMB_BITS: usize = 29;
const MASK: u64 = (1 << LIMB_BITS) - 1;
/// Limbs per residue: 106 * 29 = 3074 bits, so R = 2^3074 > 4N (N has 3072
/// bits), as residues below 2N need (see `mont_mul`).
const LIMBS: usize = 106;
const _: () = assert!(LIMBS * LIMB_BITS >= uint::LIMBS * 32 + 2 && LIMBS.is_multiple_of(2));

/// Row pairs of `mont_mul` between two settlings of its columns.
const MUL_PAIRS_PER_SETTLING: usize = 15;
/// Row pairs of `mont_square`'s reduction between two settlings.
const REDUCTION_PAIRS_PER_SETTLING: usize = 31;

/// The largest product of two limbs.
const PRODUCT: u128 = (MASK as u128) * (MASK as u128);
/// A carry out of a column: a u64 shifted right by LIMB_BITS is below this.
const CARRY: u128 = 1 << (64 - LIMB_BITS);

/// Whether an accumulator column that holds below `start` at a settling
/// stays below 2^64 with `products` limb products and three carries added
/// (see the module comment).
const fn column_fits(start: u128, products: usize) -> bool {
    start + 3 * CARRY + products as u128 * PRODUCT < 1 << 64
}
const _: () = assert!(column_fits(MASK as u128, 4 * MUL_PAIRS_PER_SETTLING));
// The square's cross products: at most LIMBS / 2 per column, nothing else.
const _: () = assert!(column_fits(0, LIMBS / 2));
// The square's reduction, from the doubled products plus the squares.
const _: () = assert!(column_fits(
    2 * (MASK as u128 + CARRY) + PRODUCT,
    2 * REDUCTION_PAIRS_PER_SETTLING
));

type Limbs = [u32; LIMBS];

/// N and its Montgomery constants, in 29-bit limbs.
struct Constants {
    n: Limbs,
    /// R mod N: one in Montgomery form.
    one: Limbs,
    /// R^2 mod N: multiplying by it enters Montgomery form.
    r2: Limbs,
    /// 2N: residues are kept below it.
    two_n: Limbs,
}

fn constants() -> &'static Constants {
    static CONSTANTS: Once<Constants> = Once::new();
    CONSTANTS.call_once(|| {
        let n_limbs = to_limbs(modulus());
        Constants {
            n: n_limbs,
            two_n: add_limbs(&n_limbs, &n_limbs),
            one: to_limbs(&pow2_mod_n(LIMBS * LIMB_BITS)),
            r2: to_limbs(&pow2_mod_n(2 * LIMBS * LIMB_BITS)),
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

/// A residue mod N in Montgomery form (value * R mod N), in [0, 2N): not
/// always fully reduced (see the module comment); `retrieve` reduces.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Residue(Limbs);

impl Residue {
    /// `value` into Montgomery form; values of N or more are reduced first.
    pub fn new(value: &Uint) -> Residue {
        Residue(mont_mul(&to_limbs(&group::reduce(value)), &constants().r2))
    }

    pub fn one() -> Residue {
        Residue(constants().one)
    }

    /// The plain value, in [0, N).
    pub fn retrieve(&self) -> Uint {
        let mut one = [0u32; LIMBS];
        one[0] = 1;
        // At most N (see `mont_mul`), and N only for a multiple of N.
        from_limbs(&subtract_if_not_below(
            mont_mul(&self.0, &one),
            &constants().n,
        ))
    }

    pub fn mul(&self, other: &Residue) -> Residue {
        Residue(mont_mul(&self.0, &other.0))
    }

    pub fn square(&self) -> Residue {
        Residue(mont_square(&self.0))
    }

    /// self = self^2, overwriting the old value (so no copy of it is left
    /// to wipe).
    fn square_in_place(&mut self) {
        self.0 = mont_square(&self.0);
    }

    /// self = self * other, overwriting the old value.
    fn mul_in_place(&mut self, other: &Residue) {
        self.0 = mont_mul(&self.0, &other.0);
    }

    /// self + other mod N.
    pub fn add(&self, other: &Residue) -> Residue {
        // Below 4N < 2^3074, so no carry leaves the top limb.
        let sum = add_limbs(&self.0, &other.0);
        Residue(subtract_if_not_below(sum, &constants().two_n))
    }

    /// self - other mod N.
    pub fn sub(&self, other: &Residue) -> Residue {
        let (difference, borrow) = sub_limbs(&self.0, &other.0);
        // On a borrow the difference has wrapped mod 2^3074; adding 2N
        // wraps it back into [0, 2N).
        let wrapped = add_limbs(&difference, &constants().two_n);
        Residue(select(borrow, &wrapped, &difference))
    }

    /// self^exponent for an exponent of `bits` bits (a public length),
    /// five bits at a time (fewer operations than four for S's 513-bit
    /// exponent), each window's table entry found by a full scan.
    pub fn pow(&self, exponent: &Uint, bits: usize) -> Residue {
        const WINDOW: usize = 5;
        // Opaque to the optimizer, so that it neither unrolls the 30
        // multiplications below nor the wiping of 32 entries on drop (code
        // size); it costs nothing at run time.
        let entries = core::hint::black_box(1 << WINDOW);
        let mut table: Vec<Residue> = Vec::with_capacity(entries);
        table.push(Residue::one());
        table.push(self.clone());
        for i in 2..entries {
            // Even powers by squaring, which is cheaper than multiplying.
            let next = if i % 2 == 0 {
                table[i / 2].square()
            } else {
                table[i - 1].mul(self)
            };
            table.push(next);
        }
        let window = |w: usize| select_entry(&table, exponent_bits(exponent, w * WINDOW, WINDOW));
        let windows = bits.div_ceil(WINDOW);
        if windows == 0 {
            return Residue::one();
        }
        let mut acc = window(windows - 1);
        for w in (0..windows - 1).rev() {
            for _ in 0..WINDOW {
                acc.square_in_place();
            }
            acc.mul_in_place(&window(w));
        }
        acc
    }

    /// 2^exponent for an exponent of `bits` bits (a public length), bit by
    /// bit from the top: a squaring, then a doubling (a modular addition, a
    /// small fraction of a multiplication) that the bit selects without a
    /// branch. A 384-bit exponent takes 384 squarings, against 490
    /// operations for [`Self::pow`] and 840 to build the comb tables of
    /// [`Self::pow_of_two`]: for a power of g before those exist.
    pub fn pow_of_two_by_doubling(exponent: &Uint, bits: usize) -> Residue {
        let mut acc = Residue::one();
        for bit in (0..bits).rev() {
            acc.square_in_place();
            let doubled = acc.add(&acc);
            acc.0 = select(exponent_bits(exponent, bit, 1), &doubled.0, &acc.0);
        }
        acc
    }

    /// 2^exponent for an exponent of `bits` bits (a public length), by a
    /// fixed-base comb (Lim and Lee, with one table per 48 exponent bits):
    /// for j from 7 down to 0, a squaring, then per comb table a
    /// multiplication by the entry that the table's exponent bits j, j + 8,
    /// ..., j + 40 pick (found by a full scan). A 384-bit exponent takes 7
    /// squarings and 64 multiplications (eight tables) instead of 384
    /// squarings; the 256-bit x takes 7 and 48 (six tables).
    pub fn pow_of_two(exponent: &Uint, bits: usize) -> Residue {
        // An exponent has no bits above the Uint's.
        let bits = bits.min(uint::LIMBS * 32);
        let blocks = bits.div_ceil(COMB_BITS);
        let mut acc = comb_entry(exponent, bits, COMB_SPACING - 1, 0);
        for block in 1..blocks {
            acc.mul_in_place(&comb_entry(exponent, bits, COMB_SPACING - 1, block));
        }
        for j in (0..COMB_SPACING - 1).rev() {
            acc.square_in_place();
            for block in 0..blocks {
                acc.mul_in_place(&comb_entry(exponent, bits, j, block));
            }
        }
        acc
    }
}

/// Exponent bits between the rows of a comb table. Shorter spacing means
/// fewer squarings per exponent (spacing - 1) but more tables to build and
/// keep: 8 takes a sign-in's g^a and g^x from 254 operations (one table,
/// spacing 64) to 126 (16: 142), for 217 KB of tables instead of 27 KB
/// (16: 108 KB); about 12% off a sign-in's maths, and 3% of it from 16 to 8.
const COMB_SPACING: usize = 8;
/// Rows per comb table: 2^6 = 64 entries (27 KB).
const COMB_ROWS: usize = 6;
/// Exponent bits per comb table: 48.
const COMB_BITS: usize = COMB_ROWS * COMB_SPACING;
/// Builds comb table `block` now, if it is not built yet (an app spreads
/// the building of the tables a sign-in uses over idle tasks: see
/// `srp::prepare_step`).
pub fn build_comb_table(block: usize) {
    if block < COMB_TABLES {
        comb_table(block);
    }
}

/// The comb tables an exponent of `bits` bits uses.
pub const fn comb_tables_for(bits: usize) -> usize {
    bits.div_ceil(COMB_BITS)
}

/// Whether the comb tables an exponent of `bits` bits uses are all built.
pub fn comb_tables_built(bits: usize) -> bool {
    COMB_TABLE_CELLS[..comb_tables_for(bits).min(COMB_TABLES)]
        .iter()
        .all(Once::is_completed)
}

/// Comb tables for exponents of up to 3072 bits, each built on first use: a
/// sign-in's `a` (384 bits) uses the first eight, x (256 bits) the first
/// six; the others serve longer exponents (the local endpoint's b, the
/// tests).
const COMB_TABLES: usize = 3072_usize.div_ceil(COMB_BITS);
/// The comb tables, each set once by [`comb_table`].
static COMB_TABLE_CELLS: [Once<Vec<Residue>>; COMB_TABLES] = [const { Once::new() }; COMB_TABLES];

/// The entry of comb table `block` for column j of the exponent: bit r of
/// its index is exponent bit 8 * (6 * block + r) + j, if below `bits`.
#[inline(never)] // one copy (code size)
fn comb_entry(exponent: &Uint, bits: usize, j: usize, block: usize) -> Residue {
    let first_bit = block * COMB_BITS;
    let rows = (bits - first_bit).div_ceil(COMB_SPACING).min(COMB_ROWS);
    let mut index = 0;
    for r in 0..rows {
        let bit = first_bit + r * COMB_SPACING + j;
        if bit < bits {
            index |= exponent_bits(exponent, bit, 1) << r;
        }
    }
    select_entry(&comb_table(block)[..1 << rows], index)
}

/// Comb table `block`: entry i is the product of 2^(2^(8 * (6 * block +
/// r))) over the set bits r of i; all public. Built on first use (40
/// squarings for the first table, 48 for each next one, and 57
/// multiplications each), then kept.
fn comb_table(block: usize) -> &'static [Residue] {
    COMB_TABLE_CELLS[block].call_once(|| {
        let mut row_base = if block == 0 {
            Residue::new(&Uint::from_u32(2))
        } else {
            raise_to_two_to_the_spacing(&comb_table(block - 1)[1 << (COMB_ROWS - 1)])
        };
        let mut table = Vec::with_capacity(1 << COMB_ROWS);
        table.push(Residue::one());
        for r in 0..COMB_ROWS {
            if r > 0 {
                row_base = raise_to_two_to_the_spacing(&row_base);
            }
            // Entries 2^r .. 2^(r+1): the earlier ones times row r's base.
            table.push(row_base.clone());
            for i in 1..1 << r {
                let entry = table[i].mul(&row_base);
                table.push(entry);
            }
        }
        table
    })
}

/// x^(2^8): the next row's base of a comb table.
fn raise_to_two_to_the_spacing(x: &Residue) -> Residue {
    let mut acc = x.square();
    for _ in 1..COMB_SPACING {
        acc.square_in_place();
    }
    acc
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
#[inline(never)] // one copy of the scan (code size); a call per scan costs nothing
fn select_entry(table: &[Residue], index: u32) -> Residue {
    let mut out = [0u32; LIMBS];
    for (i, entry) in table.iter().enumerate() {
        let diff = i as u32 ^ index;
        let miss = (diff | diff.wrapping_neg()) >> 31; // i != index
        let mask = miss.wrapping_sub(1);
        for (o, &e) in out.iter_mut().zip(&entry.0) {
            *o |= e & mask;
        }
    }
    Residue(out)
}

/// a - b over 29-bit limbs, and the borrow out of the top (1 when a < b).
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

/// a + b over 29-bit limbs, mod 2^3074.
fn add_limbs(a: &Limbs, b: &Limbs) -> Limbs {
    let mut sum = [0u32; LIMBS];
    let mut carry = 0u32;
    for ((s, &x), &y) in sum.iter_mut().zip(a).zip(b) {
        let t = x + y + carry;
        *s = t & MASK as u32;
        carry = t >> LIMB_BITS;
    }
    sum
}

/// x - m when x >= m, else x, for x < 2m.
fn subtract_if_not_below(x: Limbs, m: &Limbs) -> Limbs {
    let (reduced, borrow) = sub_limbs(&x, m);
    select(borrow, &x, &reduced)
}

/// Settles accumulator columns without changing their value (the sum of
/// column k * 2^(29k)): each column but the last keeps its low 29 bits plus
/// the carry (bits 29 and up) of the column below, which the last one also
/// receives. The carries come from the old columns, not from a chain.
#[inline(never)] // one copy (code size); called at most three times per product
fn settle(columns: &mut [u64; LIMBS]) {
    let (last, settled) = columns.split_last_mut().expect("columns");
    let mut carry = 0;
    for column in settled {
        let value = *column;
        *column = (value & MASK) + carry;
        carry = value >> LIMB_BITS;
    }
    *last += carry;
}

/// Settles the lazy carries of the upper half of a Montgomery accumulator:
/// the result, below 2N, as limbs.
fn finish(columns: &[u64]) -> Limbs {
    let mut limbs = [0u32; LIMBS];
    let mut carry = 0u64;
    for (limb, &column) in limbs.iter_mut().zip(columns) {
        let t = column + carry;
        *limb = (t & MASK) as u32;
        carry = t >> LIMB_BITS;
    }
    limbs
}

/// a * b * R^-1 mod N, below 2N for a and b below 2N (as R > 4N). Row i
/// adds a * b_i and m_i * N, where m_i makes column i a multiple of 2^29,
/// whose carry then moves up to column i + 1. Rows go in pairs, one pass over
/// the columns per pair; every 15 pairs the columns still in use are settled
/// (see the module comment).
#[inline(never)] // one copy of the hot loop, however many callers
fn mont_mul(a: &Limbs, b: &Limbs) -> Limbs {
    let c = constants();
    let n = &c.n;
    let mut t = [0u64; 2 * LIMBS];
    for i in (0..LIMBS).step_by(2) {
        let (b0, b1) = (u64::from(b[i]), u64::from(b[i + 1]));
        // Columns i and i + 1 first: m_i needs column i whole, and m_(i+1)
        // column i + 1 with row i's products and carry in it.
        let low = t[i] + u64::from(a[0]) * b0;
        let m0 = low_limb_multiplier(low);
        let next = t[i + 1]
            + u64::from(a[1]) * b0
            + u64::from(n[1]) * m0
            + ((low + u64::from(n[0]) * m0) >> LIMB_BITS)
            + u64::from(a[0]) * b1;
        let m1 = low_limb_multiplier(next);
        t[i + 2] += (next + u64::from(n[0]) * m1) >> LIMB_BITS;
        // Columns i + 2 .. i + LIMBS: a[k] b_i + n[k] m_i + a[k-1] b_(i+1) +
        // n[k-1] m_(i+1), with a[k-1] and n[k-1] kept from the previous step.
        let columns: &mut [u64; LIMBS - 2] =
            (&mut t[i + 2..i + LIMBS]).try_into().expect("columns");
        let (mut a_before, mut n_before) = (u64::from(a[1]), u64::from(n[1]));
        let steps = columns
            .chunks_exact_mut(STEP)
            .zip(a[2..].chunks_exact(STEP))
            .zip(n[2..].chunks_exact(STEP));
        for ((step, a_step), n_step) in steps {
            for ((column, &ak), &nk) in step.iter_mut().zip(a_step).zip(n_step) {
                let (ak, nk) = (u64::from(ak), u64::from(nk));
                *column += ak * b0 + nk * m0 + a_before * b1 + n_before * m1;
                (a_before, n_before) = (ak, nk);
            }
        }
        t[i + LIMBS] += a_before * b1 + n_before * m1;
        if i / 2 % MUL_PAIRS_PER_SETTLING == MUL_PAIRS_PER_SETTLING - 1 {
            // Columns i + 2 .. i + LIMBS are in use; the one above is empty.
            settle((&mut t[i + 2..=i + LIMBS + 1]).try_into().expect("columns"));
        }
    }
    let result = finish(&t[LIMBS..]);
    t.zeroize();
    result
}

/// Columns per step of the row loops: LIMBS - 2 = 104 of them is 26 steps.
/// Unrolled, the loops spend fewer instructions per column in V8.
const STEP: usize = 4;

/// m = column * (-N^-1) mod 2^29, which is the column's low limb as -N^-1 is
/// 1 mod 2^29: adding m * N clears the column's low limb.
fn low_limb_multiplier(column: u64) -> u64 {
    column & MASK
}

/// a^2 * R^-1 mod N, below 2N for a below 2N: the cross products a_i a_j
/// (i < j), each computed once, then all columns settled and doubled and the
/// squares a_i^2 added, then the Montgomery reduction; products and
/// reduction two rows per pass over the columns.
#[inline(never)] // one copy of the hot loop, however many callers
fn mont_square(a: &Limbs) -> Limbs {
    let c = constants();
    let n = &c.n;
    let mut t = [0u64; 2 * LIMBS];
    // Row i adds a_i * (a_(i+1), a_(i+2), ...) from column 2i + 1 on, so row
    // i + 1 starts two columns later and reads one limb behind row i. The
    // zero after a's limbs ends row i's part of the pass.
    let mut wide = [0u64; LIMBS + 1];
    for (w, &x) in wide.iter_mut().zip(a) {
        *w = u64::from(x);
    }
    for i in (0..LIMBS).step_by(2) {
        let (a0, a1) = (wide[i], wide[i + 1]);
        t[2 * i + 1] += a0 * a1;
        t[2 * i + 2] += a0 * wide[i + 2];
        // Columns 2i + 3 ..= i + LIMBS, as many as wide[i + 3..] has limbs.
        let mut d_before = wide[i + 2];
        let mut steps = t[2 * i + 3..=i + LIMBS].chunks_exact_mut(STEP);
        let mut d_steps = wide[i + 3..].chunks_exact(STEP);
        for (step, d_step) in (&mut steps).zip(&mut d_steps) {
            for (column, &d) in step.iter_mut().zip(d_step) {
                *column += a0 * d + a1 * d_before;
                d_before = d;
            }
        }
        for (column, &d) in steps.into_remainder().iter_mut().zip(d_steps.remainder()) {
            *column += a0 * d + a1 * d_before;
            d_before = d;
        }
    }
    // Twice the cross products plus the squares: columns 2i and 2i + 1
    // settled (as `settle` does) and doubled, and a_i^2 added to column 2i.
    // The top column's carry is 0: no cross product reaches it.
    let mut carry = 0;
    for (pair, &x) in t.chunks_exact_mut(2).zip(&wide) {
        let (low, high) = (pair[0], pair[1]);
        pair[0] = 2 * ((low & MASK) + carry) + x * x;
        pair[1] = 2 * ((high & MASK) + (low >> LIMB_BITS));
        carry = high >> LIMB_BITS;
    }
    wide.zeroize();
    for i in (0..LIMBS).step_by(2) {
        let m0 = low_limb_multiplier(t[i]);
        let next = t[i + 1] + u64::from(n[1]) * m0 + ((t[i] + u64::from(n[0]) * m0) >> LIMB_BITS);
        let m1 = low_limb_multiplier(next);
        t[i + 2] += (next + u64::from(n[0]) * m1) >> LIMB_BITS;
        let columns: &mut [u64; LIMBS - 2] =
            (&mut t[i + 2..i + LIMBS]).try_into().expect("columns");
        let mut n_before = u64::from(n[1]);
        for (step, n_step) in columns
            .chunks_exact_mut(STEP)
            .zip(n[2..].chunks_exact(STEP))
        {
            for (column, &nk) in step.iter_mut().zip(n_step) {
                let nk = u64::from(nk);
                *column += nk * m0 + n_before * m1;
                n_before = nk;
            }
        }
        t[i + LIMBS] += n_before * m1;
        if i / 2 % REDUCTION_PAIRS_PER_SETTLING == REDUCTION_PAIRS_PER_SETTLING - 1 {
            // Columns i + 2 .. i + LIMBS are in use, and the square's above.
            settle((&mut t[i + 2..=i + LIMBS + 1]).try_into().expect("columns"));
        }
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
        big(modulus())
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
            out.push(group::reduce(&x));
        }
        out
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn limb_conversion_round_trips() {
        for x in values(10) {
            assert_eq!(from_limbs(&to_limbs(&x)), x);
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn montgomery_constants_are_right() {
        let c = constants();
        let r = BigUint::from(1u32) << (LIMBS * LIMB_BITS);
        assert!(BigUint::from(4u32) * n() < r, "R > 4N");
        assert_eq!(big(&from_limbs(&c.one)), &r % n(), "R mod N");
        assert_eq!(big(&from_limbs(&c.r2)), (&r * &r) % n(), "R^2 mod N");
    }

    /// `low_limb_multiplier` takes -N^-1 mod 2^29 to be 1: computed here from
    /// N by Newton's iteration, which doubles the correct low bits of N^-1.
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn minus_n_inverse_is_one_mod_the_limb_base() {
        let n0 = modulus().0[0];
        let mut inverse = 1u32;
        for _ in 0..5 {
            inverse = inverse.wrapping_mul(2u32.wrapping_sub(n0.wrapping_mul(inverse)));
        }
        assert_eq!(n0.wrapping_mul(inverse), 1, "N^-1 mod 2^32");
        assert_eq!(
            u64::from(inverse.wrapping_neg()) & MASK,
            1,
            "-N^-1 mod 2^29"
        );
        let column = 0x1234_5678_9abc_def0u64;
        let m = low_limb_multiplier(column);
        assert_eq!(
            (column + m * u64::from(constants().n[0])) & MASK,
            0,
            "adding m N clears the low limb"
        );
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
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

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn pow_matches_num_bigint_for_every_exponent_length() {
        let n = n();
        let values = values(52);
        let two = BigUint::from(2u32);
        // Around the comb's row spacing (8), one table (48), a sign-in's
        // x (256) and a (384), 24 tables (1152), all 64 (3072), and pow's
        // windows.
        let lengths = [
            0usize, 1, 4, 7, 8, 9, 31, 32, 33, 47, 48, 49, 255, 256, 257, 383, 384, 385, 512, 1024,
            1152, 1153, 1536, 3072,
        ];
        for (k, bits) in lengths.into_iter().enumerate() {
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
            let got = Residue::pow_of_two_by_doubling(&exponent, bits).retrieve();
            assert_eq!(big(&got), two.modpow(&e, &n), "by doubling, {bits} bits");
        }
    }

    /// Residues live in [0, 2N), not always fully reduced: chains of every
    /// operation from the extremes (0, 1, N - 1) must still retrieve right.
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn long_chains_stay_right_in_the_lazy_range() {
        let n = n();
        let values = values(6);
        let mut x = Residue::new(&values[2]);
        let mut want = big(&values[2]);
        let mut above_n = 0;
        for (i, v) in values.iter().cycle().take(240).enumerate() {
            let (r, b) = (Residue::new(v), big(v));
            (x, want) = match i % 5 {
                0 => (x.add(&r), (want + b) % &n),
                1 => (x.sub(&r), (want + &n - b) % &n),
                2 => (x.mul(&r), want * b % &n),
                3 => (x.add(&x), (&want + &want) % &n),
                _ => (x.square(), &want * &want % &n),
            };
            assert_eq!(big(&x.retrieve()), want, "step {i}");
            above_n += usize::from(limbs_value(&x.0) >= n);
        }
        assert!(above_n > 0, "no step left the reduced range");
    }

    /// The largest residues, 2N - 1, values near it and the one of largest
    /// limbs, through `mont_mul`
    /// and `mont_square`: results below 2N and right mod N. Native tests
    /// keep overflow checks on, so a column passing 2^64 would panic here.
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn the_top_of_the_lazy_range_multiplies_right() {
        let n = n();
        let r = BigUint::from(1u32) << (LIMBS * LIMB_BITS);
        let two_n = limbs_value(&constants().two_n);
        let mut below_two_n = Vec::new();
        for minus in [1u32, 2, 0x1fff_ffff] {
            let (limbs, borrow) = sub_limbs(&constants().two_n, &to_limbs(&Uint::from_u32(minus)));
            assert_eq!(borrow, 0);
            below_two_n.push(limbs);
        }
        // Every limb at its largest but the top one: the largest products.
        let mut largest_limbs = [MASK as u32; LIMBS];
        largest_limbs[LIMBS - 1] = constants().two_n[LIMBS - 1] - 1;
        below_two_n.push(largest_limbs);
        for x in &below_two_n {
            for y in &below_two_n {
                let product = mont_mul(x, y);
                let got = limbs_value(&product);
                assert!(got < two_n, "mul below 2N");
                assert_eq!(&got * &r % &n, limbs_value(x) * limbs_value(y) % &n, "mul");
            }
            let square = limbs_value(&mont_square(x));
            assert!(square < two_n, "square below 2N");
            assert_eq!(
                &square * &r % &n,
                limbs_value(x) * limbs_value(x) % &n,
                "square"
            );
        }
    }

    /// The value of 29-bit limbs (which can exceed 3072 bits).
    fn limbs_value(limbs: &Limbs) -> BigUint {
        limbs
            .iter()
            .rev()
            .fold(BigUint::from(0u32), |acc, &limb| (acc << LIMB_BITS) + limb)
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn values_at_or_above_n_are_reduced() {
        let above = Uint::from_be_bytes(&[0xff; uint::BYTES]).unwrap();
        assert_eq!(big(&Residue::new(&above).retrieve()), big(&above) % n());
        assert!(Residue::new(modulus()).retrieve().is_zero());
    }
}
