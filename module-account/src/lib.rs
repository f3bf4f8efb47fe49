//! The account wasm module of the npm package (`pkg/account/`):
//! cognito-wasm's `AccountCalls` (the `account-bindings` feature: sign-up,
//! password reset, the signed-in account, attribute, MFA and device calls),
//! linked without std like the sign-in module (`module/`), with the same
//! allocator and panic handler (`heap/`). index.js loads it on the first
//! account call, so that the sign-in path does not carry these calls.
//! `scripts/build.sh` builds it with the `wasm-release` profile; on other
//! targets it is empty.

#![cfg_attr(all(target_arch = "wasm32", not(test)), no_std)]

// The exports: cognito-wasm's `#[wasm_bindgen]` items.
#[cfg(all(target_arch = "wasm32", not(test)))]
extern crate cognito_wasm;
#[cfg(all(target_arch = "wasm32", not(test)))]
extern crate cognito_wasm_heap;
