//! cognito-wasm: the JS bindings of the Cognito user-pool client, compiled
//! to WebAssembly. No protocol logic lives here: the requests, the answers
//! and every state machine are `cognito-core`'s, the maths `cognito-srp`'s.
//! This crate moves values between JS and Rust, shapes results for JS in
//! one place each, and speaks the step protocol with the few lines of JS
//! that call `fetch` (`glue`).
//!
//! The crate is built as two wasm modules (scripts/build.sh):
//! - `sign-in` (the default feature): `CognitoAuth` — sign-in, sessions,
//!   remembered devices (`sign_in`);
//! - `account`: `AccountCalls` — sign-up, password reset, attributes, MFA
//!   and device management, which index.js loads on the first account call
//!   so that apps that only sign in do not carry them (`account`), and the
//!   AWS credentials of an identity pool (`account::identity`).
//!
//! Each module is linked by `crates/module` (no std: an allocator and a
//! panic handler instead). Nothing is expected to panic: every failure is a
//! rejected promise holding a JS `Error`.

#![no_std]

extern crate alloc;

#[cfg(all(target_arch = "wasm32", feature = "account"))]
mod account;
#[cfg(target_arch = "wasm32")]
mod glue;
#[cfg(all(target_arch = "wasm32", feature = "sign-in"))]
mod sign_in;
