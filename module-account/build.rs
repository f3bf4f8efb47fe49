//! Links the account module with its data first and the stack after it, as
//! module/build.rs does for the sign-in module (shorter addresses in the
//! code; that file says why, and what it costs).

fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-cdylib=--no-stack-first");
    }
}
