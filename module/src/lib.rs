//! The sign-in wasm module of the npm package (`pkg/`): cognito-wasm's
//! `CognitoAuth` (its `#[wasm_bindgen]` items come along with the crate),
//! linked without std, with the allocator and panic handler of `heap/`.
//! `scripts/build.sh` builds this crate with the `wasm-release` profile; on
//! other targets it is empty.

#![cfg_attr(all(target_arch = "wasm32", not(test)), no_std)]

// The exports: cognito-wasm's `#[wasm_bindgen]` items.
#[cfg(all(target_arch = "wasm32", not(test)))]
extern crate cognito_wasm;
#[cfg(all(target_arch = "wasm32", not(test)))]
extern crate cognito_wasm_heap;
