//! cognito-wasm: Amazon Cognito user-pool sign-in for browsers and JS runtimes.
//!
//! The core (`srp`, `protocol`, `sign_in`, `tokens`) is plain Rust that
//! `cargo test` runs natively: maths, request and response types, and the
//! sign-in state machine, with randomness and the clock passed in. Only
//! `bindings` touches wasm-bindgen and `fetch`. `sigv4` and `admin` are the
//! IAM-signed server-side API, bound to JS by the separate `admin/` crate.

pub mod admin;
pub mod error;
pub mod json;
pub mod protocol;
pub mod residue;
pub mod sign_in;
pub mod sigv4;
pub mod srp;
pub mod tokens;
pub mod uint;

#[cfg(all(target_arch = "wasm32", feature = "bindings"))]
mod bindings;

pub use error::{Error, Result};
