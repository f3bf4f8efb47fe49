//! `cognito-wasm/admin`: the JS bindings of the IAM-signed admin API
//! (`CognitoAdmin`). All the work (shapes, validation, SigV4) is in the core
//! crate's `admin` and `sigv4` modules; this file only moves values between
//! JS and Rust, reads the clock and calls `fetch`. It never panics: every
//! failure is a JS `Error` whose `name` is the Cognito exception or a local
//! error name.

#[cfg(target_arch = "wasm32")]
mod bindings;
