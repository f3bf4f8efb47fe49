//! A value computed on first use and then shared: std's `OnceLock`, except
//! on single-threaded wasm32, where the crate links no std and a `OnceCell`
//! with the same two methods does.

#[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
extern crate std;
#[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
pub(crate) use std::sync::OnceLock;

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
pub(crate) struct OnceLock<T>(core::cell::OnceCell<T>);

// SAFETY: wasm32 without the atomics feature runs a single thread, so the
// cell is never reached from two threads.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
unsafe impl<T> Sync for OnceLock<T> {}

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
impl<T> OnceLock<T> {
    pub(crate) const fn new() -> Self {
        OnceLock(core::cell::OnceCell::new())
    }

    pub(crate) fn get_or_init(&self, init: impl FnOnce() -> T) -> &T {
        self.0.get_or_init(init)
    }
}
