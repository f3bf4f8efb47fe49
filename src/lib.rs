//! cognito-wasm: Amazon Cognito user-pool sign-in for browsers and JS runtimes.
//!
//! The core (`srp`, `protocol`, `sign_in`, `tokens`) is plain Rust that
//! `cargo test` runs natively: maths, request and response types, and the
//! sign-in state machine, with randomness and the clock passed in. Only
//! `bindings`, `account_bindings` and `glue` touch wasm-bindgen and `fetch`.
//! `sigv4` and `admin` are the IAM-signed server-side API, bound to JS by
//! the separate `admin/` crate.
//!
//! The crate uses `core` and `alloc` only (std too where it exists, for
//! `OnceLock`), so that the sign-in wasm module (`module/`) can link it
//! without std: std's panic and formatting machinery would be most of it.
//! The arithmetic (`uint`, `residue`) is compiled in its own crate (`arith/`)
//! so that it can be optimized for speed while the rest is optimized for size.

#![cfg_attr(not(test), no_std)]

extern crate alloc;

pub mod account;
pub mod admin;
pub mod base64;
pub mod device;
pub mod error;
pub mod json;
pub mod mfa;
mod once;
pub mod protocol;
pub mod session;
pub mod sha256;
pub mod sign_in;
pub mod sigv4;
pub mod srp;
#[cfg(test)]
mod test_support;
mod text;
pub mod tokens;

#[cfg(all(target_arch = "wasm32", feature = "bindings"))]
mod bindings;
// The account module's `AccountCalls` (`module-account/`), beside the
// sign-in bindings it is split from.
#[cfg(all(target_arch = "wasm32", feature = "account-bindings"))]
#[path = "bindings/account.rs"]
mod account_bindings;
// What both modules' bindings share.
#[cfg(all(
    target_arch = "wasm32",
    any(feature = "bindings", feature = "account-bindings")
))]
mod glue;

pub use cognito_wasm_arith::{residue, uint};
pub use error::{Error, Result};
