//! The public known-answer vector of alexrudd/cognito-srp (`cognitosrp_test.go`),
//! quoted in shared/cognito-protocol.md. Its B is tiny, so B - k*g^x is negative.

#![allow(clippy::disallowed_macros, clippy::disallowed_methods)]

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod common;

use base64::Engine;
use cognito_srp::srp::*;
use cognito_srp::uint::Uint;
use cognito_srp::SrpError;
use common::hex;

const POOL_NAME: &str = "myPool"; // from eu-west-1_myPool
const USER: &str = "test";
const PASSWORD: &str = "test";
const SALT_HEX: &str = "499602d2";
const SRP_B_HEX: &str = "499602d2";
const TIMESTAMP: &str = "Tue Jul 10 11:01:00 UTC 2018";

fn secret_block() -> Vec<u8> {
    b"secretssecrestssecrets".to_vec()
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn derived_key_matches() {
    let a = Uint::from_u32(1_234_567_890);
    let a_bits = 32;
    let public_a = compute_public_a(&a, a_bits);
    let public_b = parse_hex(SRP_B_HEX, SrpError::SrpBNotHex).unwrap();
    let salt = parse_hex(SALT_HEX, SrpError::SaltNotHex).unwrap();
    let u = compute_u(&public_a, &public_b);
    let x = compute_x(&salt, POOL_NAME, USER, PASSWORD);
    let s = compute_s(&public_b, &x, &a, a_bits, &u);
    let key = compute_key(&s, &u);
    assert_eq!(hex(&key[..]), "d96cde6c95dda17175c1293140c5a81f", "key");
    let signature = compute_claim_signature(&key, POOL_NAME, USER, &secret_block(), TIMESTAMP);
    assert_eq!(
        signature, "tdvQu/Li/qWl8Nni0aFPs+MwY4rvKZm0kSMrGIMSUHk=",
        "PASSWORD_CLAIM_SIGNATURE"
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn srp_client_gives_the_same_signature() {
    let mut a = [0u8; 32];
    a[28..].copy_from_slice(&1_234_567_890u32.to_be_bytes());
    let client = SrpClient::new(&a).unwrap();
    let secret_block_b64 = base64::engine::general_purpose::STANDARD.encode(secret_block());
    let signature = client
        .password_claim(
            &SrpIdentity {
                pool_name: POOL_NAME,
                user_id: USER,
                password: PASSWORD,
            },
            &VerifierChallenge {
                salt_hex: SALT_HEX,
                srp_b_hex: SRP_B_HEX,
                secret_block_b64: &secret_block_b64,
            },
            TIMESTAMP,
        )
        .unwrap();
    assert_eq!(signature, "tdvQu/Li/qWl8Nni0aFPs+MwY4rvKZm0kSMrGIMSUHk=");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn secret_hash_matches() {
    assert_eq!(
        compute_secret_hash("test", "123abd", "clientSecret"),
        "LoIX/oPJWZzFYv8liJYRo+CHv16FNDY10JlZEDjL3Vg="
    );
}
