//! Links the wasm module with its data first (at address 1024) and the stack
//! after it, instead of rustc's default for wasm32 (`--stack-first`: a 1 MB
//! stack at 0..1 MB, the data above it). Every address of a string or static
//! the code names is then below 16 KB, most below 8 KB, and an `i32.const`
//! below 8 KB takes two bytes of LEB128 instead of three: about 950 bytes
//! raw, 260 gzip (issue #6, size).
//!
//! What it costs: with the stack first, a stack overflow runs below address
//! 0 and traps; here it would run into the data. The stack is 1 MB, and
//! nothing here recurses without a bound (JSON nesting is capped at 64), so
//! it is never near full. Binaryen's `--low-memory-unused` (scripts/build.sh)
//! still holds: nothing lies below address 1024 (wasm-ld's default
//! `--global-base`).

fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-cdylib=--no-stack-first");
    }
}
