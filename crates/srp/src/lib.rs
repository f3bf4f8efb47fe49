//! cognito-srp: the SRP-6a maths of Amazon Cognito user pools.
//!
//! | module | what it holds |
//! |---|---|
//! | [`uint`] | fixed-width 3072-bit numbers: bytes, hex, plain add and multiply |
//! | [`group`] | the group: N (RFC 3526's 3072-bit prime), g = 2, reduction mod N |
//! | [`residue`] | constant-time Montgomery arithmetic mod N, and the exponentiations |
//! | [`srp`] | one function per protocol quantity (k, u, x, S, the key, the claim), SECRET_HASH, TIMESTAMP |
//!
//! Module dependencies run one way: `uint` ← `group` ← `residue` ← `srp`.
//!
//! Hand-written on purpose: the 3072-bit arithmetic (measured: a sign-in's
//! maths takes about 4 ms here against 140 ms for jsbn in
//! amazon-cognito-identity-js; docs/size.md has the comparison with
//! crypto-bigint). Hashes, MACs, HKDF and base64 come from RustCrypto.
//!
//! This crate is optimized for speed (`opt-level = 3`) even inside the
//! size-optimized wasm modules: per-package optimization levels are per crate.

#![cfg_attr(not(test), no_std)]

extern crate alloc;

#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

pub mod error;
pub mod group;
pub mod residue;
pub mod srp;
pub mod uint;

pub use error::SrpError;
