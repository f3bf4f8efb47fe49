//! What each wasm module of the npm package (`module/`, the sign-in module;
//! `module-account/`, the account module) links instead of std: a small
//! allocator and a panic handler. A module crate names this crate
//! (`extern crate cognito_wasm_heap;`) and gets both.
//!
//! Without std a module carries none of std's panic, formatting and I/O
//! machinery, and this allocator instead of dlmalloc: about half the size.
//! A panic (a bug: every expected failure is a rejected promise) traps,
//! which is what a panic does on wasm32 with std too. On other targets the
//! crate is the allocator's logic only, for its tests.

#![cfg_attr(all(target_arch = "wasm32", not(test)), no_std)]

#[cfg(any(target_arch = "wasm32", test))]
mod heap;

#[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
compile_error!("the allocator is single-threaded: build without the atomics feature");

#[cfg(all(target_arch = "wasm32", not(test)))]
mod wasm {
    use core::alloc::{GlobalAlloc, Layout};
    use core::arch::wasm32;
    use core::cell::UnsafeCell;
    use core::ptr;

    use crate::heap::Heap;

    #[panic_handler]
    fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
        wasm32::unreachable()
    }

    struct Allocator(UnsafeCell<Heap>);

    // SAFETY: wasm32 without atomics runs one thread, and no allocator call
    // re-enters another.
    unsafe impl Sync for Allocator {}

    #[global_allocator]
    static ALLOCATOR: Allocator = Allocator(UnsafeCell::new(Heap::new()));

    /// `memory.grow` by enough pages for `bytes`: where the new pages start.
    fn grow(bytes: usize) -> Option<usize> {
        let pages = bytes.div_ceil(65536);
        let old = wasm32::memory_grow(0, pages);
        (old != usize::MAX).then(|| old * 65536)
    }

    unsafe impl GlobalAlloc for Allocator {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            unsafe { (*self.0.get()).alloc(layout, grow) }
        }

        unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
            unsafe { (*self.0.get()).dealloc(block, layout) }
        }

        unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
            if Heap::same_class(layout, new_layout) {
                return block;
            }
            let new_block = unsafe { self.alloc(new_layout) };
            if !new_block.is_null() {
                unsafe {
                    ptr::copy_nonoverlapping(block, new_block, layout.size().min(new_size));
                    self.dealloc(block, layout);
                }
            }
            new_block
        }
    }
}
