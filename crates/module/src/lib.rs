//! A wasm module of the npm package: the bindings crate (`cognito-wasm`,
//! whose `#[wasm_bindgen]` items are the exports) linked without std.
//! scripts/build.sh builds it once per feature: `sign-in` (pkg/) and
//! `account` (pkg/account/).
//!
//! Why a crate of its own: the final link (LTO) runs at the optimization
//! level of the crate being linked. This one is at `opt-level = 2`, which
//! keeps the SRP arithmetic as fast as at 3, while the bindings and the
//! protocol core are compiled for size ("z"); see the workspace Cargo.toml.
//!
//! Without std a module carries none of std's panic, formatting and I/O
//! machinery; it needs an allocator and a panic handler instead.

#![cfg_attr(all(target_arch = "wasm32", not(test)), no_std)]

// The exports: cognito-wasm's `#[wasm_bindgen]` items.
#[cfg(target_arch = "wasm32")]
extern crate cognito_wasm;

/// Talc, an allocator made for small wasm modules.
#[cfg(all(target_arch = "wasm32", not(test)))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// A panic is a bug (every expected failure is a rejected promise): it
/// traps, as a panic does on wasm32 with std.
#[cfg(all(target_arch = "wasm32", not(test)))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
