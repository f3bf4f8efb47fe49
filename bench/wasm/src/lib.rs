//! The client's SRP maths, exported for the benchmark only.

use cognito_srp::residue::Residue;
use cognito_srp::srp::{SrpClient, SrpIdentity, VerifierChallenge};
use cognito_srp::uint::Uint;
use wasm_bindgen::prelude::*;

/// One sign-in's SRP maths: A from `random`, then the password claim for the
/// given server values. Returns the claim so the work cannot be skipped.
#[wasm_bindgen(js_name = signInMaths)]
pub fn sign_in_maths(random: &[u8], salt_hex: &str, srp_b_hex: &str, secret_block: &str) -> String {
    let client = SrpClient::new(random).expect("random bytes give a usable a");
    let _ = client.public_a_hex();
    client
        .password_claim(
            &SrpIdentity {
                pool_name: "Pool",
                user_id: "user",
                password: "password",
            },
            &VerifierChallenge {
                salt_hex,
                srp_b_hex,
                secret_block_b64: secret_block,
            },
            "Tue Feb 1 03:04:05 UTC 2000",
        )
        .expect("the benchmark's server values are valid")
}

/// base^exponent mod N with an exponent of `bits` bits: the unit the
/// JS BigInt baseline is compared on at equal exponent sizes.
#[wasm_bindgen(js_name = modPow)]
pub fn mod_pow(base_hex: &str, exponent_hex: &str, bits: usize) -> String {
    let base = cognito_srp::group::reduce(&Uint::from_hex(base_hex).expect("hex"));
    let exponent = Uint::from_hex(exponent_hex).expect("hex");
    Residue::new(&base).pow(&exponent, bits).retrieve().to_hex()
}

/// `modPow` on crypto-bigint 0.6 (`MontyForm<U3072>::pow_bounded_exp`,
/// constant-time like ours): the library the hand-written arithmetic of
/// crates/srp is measured against (docs/size.md, "Hand-written, and why").
#[wasm_bindgen(js_name = modPowCryptoBigint)]
pub fn mod_pow_crypto_bigint(base_hex: &str, exponent_hex: &str, bits: u32) -> String {
    use crypto_bigint::modular::{MontyForm, MontyParams};
    use crypto_bigint::{Odd, U3072};
    // from_be_hex takes exactly 768 digits.
    let wide = |hex: &str| U3072::from_be_hex(&format!("{hex:0>768}"));
    let modulus = Odd::new(wide(cognito_srp::group::N_HEX)).expect("N is odd");
    let params = MontyParams::new(modulus);
    let base = MontyForm::new(&wide(base_hex), params);
    let result = base.pow_bounded_exp(&wide(exponent_hex), bits).retrieve();
    format!("{result:x}")
}

/// Builds the comb tables of g that an `a` of `bits` bits uses, as the
/// package's `prepare` does at load for its own size: until they are built,
/// a sign-in computes g^a by squarings and doublings
/// (`srp::compute_public_a`).
#[wasm_bindgen]
pub fn prepare(bits: usize) {
    for table in 0..cognito_srp::residue::comb_tables_for(bits) {
        cognito_srp::residue::build_comb_table(table);
    }
}

/// How many random bytes the library draws for `a` (its secret's size), so
/// the benchmark times "ours" at the size the package really uses.
#[wasm_bindgen(js_name = secretBytes)]
pub fn secret_bytes() -> usize {
    cognito_srp::srp::SECRET_BYTES
}
