//! Known-answer vectors from two independent reference clients,
//! amazon-cognito-identity-js and pycognito, which agree with each other on every
//! value (scripts/gen-vectors/gen.mjs checks that and writes tests/vectors/srp.json).
//! Here our maths must match each labelled intermediate, and the whole path through
//! `SrpClient`, for every vector.
//!
//! Regenerate the vectors with `node scripts/gen-vectors/gen.mjs`.

#![allow(clippy::disallowed_macros, clippy::disallowed_methods)]

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod common;

use base64::Engine;
use cognito_srp::srp::*;
use cognito_srp::uint::Uint;
use cognito_srp::SrpError;
use common::hex;
use serde::Deserialize;

const VECTORS: &str = include_str!("../../../tests/vectors/srp.json");

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Vectors {
    generated_by: GeneratedBy,
    srp: Vec<SrpVector>,
    secret_hash: Vec<SecretHashVector>,
    /// TIMESTAMP vectors: cognito-core's tests/timestamp_vectors.rs reads them.
    #[serde(rename = "timestamps")]
    _timestamps: serde::de::IgnoredAny,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GeneratedBy {
    #[serde(rename = "amazon-cognito-identity-js")]
    amazon_cognito_identity_js: String,
    pycognito: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct SrpVector {
    name: String,
    pool_name: String,
    user_id_for_srp: String,
    password: String,
    a: String,
    #[serde(rename = "A")]
    public_a: String,
    salt: String,
    #[serde(rename = "B")]
    public_b: String,
    k: String,
    u: String,
    x: String,
    #[serde(rename = "S")]
    s: String,
    key: String,
    secret_block: String,
    timestamp: String,
    signature: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct SecretHashVector {
    username: String,
    client_id: String,
    client_secret: String,
    secret_hash: String,
}

fn vectors() -> Vectors {
    let vectors: Vectors =
        serde_json::from_str(VECTORS).expect("tests/vectors/srp.json follows the schema");
    assert!(
        !vectors.generated_by.amazon_cognito_identity_js.is_empty()
            && !vectors.generated_by.pycognito.is_empty(),
        "srp.json names the oracle versions"
    );
    vectors
}

/// Parses hex from the JSON (as the server sent it, or as the oracle printed it).
fn num(vector: &str, quantity: &str, hex: &str) -> Uint {
    Uint::from_hex(hex)
        .unwrap_or_else(|| panic!("vector {vector}: {quantity} is not hex of at most 3072 bits"))
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn srp_intermediates_match_the_oracles() {
    let vectors = vectors();
    assert!(!vectors.srp.is_empty(), "srp.json has no SRP vectors");
    for v in &vectors.srp {
        let name = v.name.as_str();
        let a = num(name, "a", &v.a);
        let salt = parse_hex(&v.salt, SrpError::SaltNotHex)
            .unwrap_or_else(|e| panic!("vector {name}: SALT refused: {e:?}"));
        let public_b = parse_hex(&v.public_b, SrpError::SrpBNotHex)
            .unwrap_or_else(|e| panic!("vector {name}: SRP_B refused: {e:?}"));
        let secret_block = base64::engine::general_purpose::STANDARD
            .decode(&v.secret_block)
            .unwrap_or_else(|e| panic!("vector {name}: secretBlock is not base64: {e}"));

        // The oracles print lower-case hex without leading zeros, as to_hex does;
        // the numbers are compared, the hex shows up in a failure message. Every
        // vector's `a` has at most 1024 bits, the reference clients' size.
        let a_bits = 1024;
        let public_a = compute_public_a(&a, a_bits);
        assert_eq!(public_a.to_hex(), v.public_a, "vector {name}: A");
        assert_eq!(compute_k(), num(name, "k", &v.k), "vector {name}: k");
        assert_eq!(
            *cognito_srp::group::multiplier(),
            num(name, "k", &v.k),
            "vector {name}: the group's k"
        );
        let u = compute_u(&public_a, &public_b);
        assert_eq!(u, num(name, "u", &v.u), "vector {name}: u");
        let x = compute_x(&salt, &v.pool_name, &v.user_id_for_srp, &v.password);
        assert_eq!(x, num(name, "x", &v.x), "vector {name}: x");
        let s = compute_s(&public_b, &x, &a, a_bits, &u);
        assert_eq!(s, num(name, "S", &v.s), "vector {name}: S");
        let key = compute_key(&s, &u);
        assert_eq!(hex(&key[..]), v.key, "vector {name}: key");
        let signature = compute_claim_signature(
            &key,
            &v.pool_name,
            &v.user_id_for_srp,
            &secret_block,
            &v.timestamp,
        );
        assert_eq!(signature, v.signature, "vector {name}: signature");
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn srp_client_whole_path_matches_the_oracles() {
    let vectors = vectors();
    assert!(!vectors.srp.is_empty(), "srp.json has no SRP vectors");
    for v in &vectors.srp {
        let name = v.name.as_str();
        // SrpClient takes 32 to 128 random bytes; leading zeros keep a's value.
        let a_bytes = num(name, "a", &v.a).to_be_bytes_trimmed();
        let a_bytes = [vec![0; 32usize.saturating_sub(a_bytes.len())], a_bytes].concat();
        let client = SrpClient::new(&a_bytes)
            .unwrap_or_else(|e| panic!("vector {name}: SrpClient::new refused a: {e:?}"));
        assert_eq!(client.public_a_hex(), v.public_a, "vector {name}: SRP_A");
        let signature = client
            .password_claim(
                &SrpIdentity {
                    pool_name: &v.pool_name,
                    user_id: &v.user_id_for_srp,
                    password: &v.password,
                },
                &VerifierChallenge {
                    salt_hex: &v.salt,
                    srp_b_hex: &v.public_b,
                    secret_block_b64: &v.secret_block,
                },
                &v.timestamp,
            )
            .unwrap_or_else(|e| panic!("vector {name}: password_claim failed: {e:?}"));
        assert_eq!(
            signature, v.signature,
            "vector {name}: SrpClient::password_claim signature"
        );
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn secret_hash_matches_the_oracles() {
    let vectors = vectors();
    assert!(
        !vectors.secret_hash.is_empty(),
        "srp.json has no secretHash vectors"
    );
    for v in &vectors.secret_hash {
        assert_eq!(
            compute_secret_hash(&v.username, &v.client_id, &v.client_secret),
            v.secret_hash,
            "secretHash vector {:?} / {:?}: SECRET_HASH",
            v.username,
            v.client_id
        );
    }
}
