//! TIMESTAMP against amazon-cognito-identity-js's DateHelper and pycognito,
//! which agree on every value (scripts/gen-vectors/gen.mjs checks that and
//! writes the `timestamps` of tests/vectors/srp.json).

#![allow(clippy::disallowed_macros)]

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use cognito_core::timestamp::format_timestamp;
use serde::Deserialize;

#[derive(Deserialize)]
struct Vectors {
    timestamps: Vec<TimestampVector>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct TimestampVector {
    unix_seconds: i64,
    formatted: String,
}

fn vectors() -> Vectors {
    serde_json::from_str(include_str!("../../../tests/vectors/srp.json"))
        .expect("tests/vectors/srp.json has its timestamps")
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn timestamps_match_the_oracles() {
    let vectors = vectors();
    assert!(
        !vectors.timestamps.is_empty(),
        "srp.json has no timestamp vectors"
    );
    for v in &vectors.timestamps {
        assert_eq!(
            format_timestamp(v.unix_seconds),
            v.formatted,
            "timestamp vector {}: TIMESTAMP",
            v.unix_seconds
        );
    }
}
