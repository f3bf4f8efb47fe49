//! cognito-admin: the IAM-signed admin API of cognito-wasm
//! (`cognito-wasm/admin`, for server runtimes with AWS credentials).
//!
//! - [`admin`]: the operations, their input rules and output shapes, as data;
//! - [`sigv4`]: AWS Signature Version 4 (hand-written: one small, fixed use,
//!   checked against botocore's vectors in tests/sigv4_vectors.rs);
//! - `bindings` (wasm32 only): `CognitoAdmin`, moving values between JS and
//!   Rust, reading the clock and calling `fetch`; no logic. It never panics:
//!   every failure is a JS `Error` whose `name` is the Cognito exception or a
//!   local error name.

extern crate alloc;

pub mod admin;
#[cfg(target_arch = "wasm32")]
mod bindings;
pub mod sigv4;
