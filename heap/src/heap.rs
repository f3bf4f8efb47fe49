//! The wasm module's allocator: free lists of power-of-two blocks.
//!
//! A request is rounded up to a power of two (at least 16 bytes, at least
//! its alignment), its "class". Freed blocks go on their class's list and are
//! handed out again first; otherwise a block is cut from the end of the
//! heap, aligned to its size, and the heap grows by whole wasm pages when it
//! must. Blocks are never split or merged, so the memory a class holds is
//! its peak use: a few hundred KB for a sign-in, reused by the next one.
//! About 300 bytes of wasm, where dlmalloc (std's choice) is about 7 KB.
//!
//! Single-threaded only: wasm32 without the atomics feature (lib.rs refuses
//! anything else).

use core::alloc::Layout;
use core::ptr;

/// The smallest class: 2^4 = 16 bytes, room for a free-list link.
const MIN_CLASS: u32 = 4;
/// Classes 2^4 ..= 2^31.
const CLASSES: usize = 28;
const PAGE: usize = 65536;

pub struct Heap {
    /// The first free block of each class; each free block holds the next.
    free: [*mut u8; CLASSES],
    /// The unused end of the heap: [next, end).
    next: usize,
    end: usize,
}

impl Heap {
    pub const fn new() -> Self {
        Heap {
            free: [ptr::null_mut(); CLASSES],
            next: 0,
            end: 0,
        }
    }

    /// The class index of `layout`, or `None` above 2^31 bytes.
    fn class(layout: Layout) -> Option<usize> {
        let size = layout.size().max(layout.align()).max(1 << MIN_CLASS);
        let bits = usize::BITS - (size - 1).leading_zeros();
        let index = (bits - MIN_CLASS) as usize;
        (index < CLASSES).then_some(index)
    }

    /// A block for `layout`, or null. `grow(bytes)` adds at least `bytes`
    /// bytes of memory and returns where the new memory starts (wasm's
    /// `memory.grow`, times the page size), or `None` when it cannot.
    ///
    /// # Safety
    /// Free blocks must be as [`Self::dealloc`] left them.
    pub unsafe fn alloc(
        &mut self,
        layout: Layout,
        grow: impl Fn(usize) -> Option<usize>,
    ) -> *mut u8 {
        let Some(class) = Self::class(layout) else {
            return ptr::null_mut();
        };
        let head = self.free[class];
        if !head.is_null() {
            self.free[class] = unsafe { *head.cast::<*mut u8>() };
            return head;
        }
        let size = 1usize << (class as u32 + MIN_CLASS);
        loop {
            // Align up to the block size; saturating keeps `start` from wrapping.
            let start = self.next.saturating_add(size - 1) & !(size - 1);
            if let Some(block_end) = start.checked_add(size).filter(|&e| e <= self.end) {
                self.next = block_end;
                return start as *mut u8;
            }
            // The new memory starts where the heap ends, unless something
            // else grew the memory since: then the heap moves there.
            let needed = start
                .saturating_add(size)
                .saturating_sub(self.end)
                .max(PAGE);
            let Some(new_start) = grow(needed) else {
                return ptr::null_mut();
            };
            if new_start != self.end {
                self.next = new_start;
            }
            self.end = new_start + needed.div_ceil(PAGE) * PAGE;
        }
    }

    /// Puts `block` on its class's free list.
    ///
    /// # Safety
    /// `block` came from [`Self::alloc`] with the same `layout` and is not used again.
    pub unsafe fn dealloc(&mut self, block: *mut u8, layout: Layout) {
        if let Some(class) = Self::class(layout) {
            unsafe { *block.cast::<*mut u8>() = self.free[class] };
            self.free[class] = block;
        }
    }

    /// Whether a block for `old` also fits `new` (same class): realloc then
    /// keeps the block.
    pub fn same_class(old: Layout, new: Layout) -> bool {
        Self::class(old) == Self::class(new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// A heap over a 64 KB-aligned test buffer, grown page by page.
    struct TestMemory {
        buffer: Vec<u8>,
        base: usize,
        used: Cell<usize>,
    }

    impl TestMemory {
        fn new(pages: usize) -> Self {
            let buffer = vec![0u8; (pages + 1) * PAGE];
            let base = (buffer.as_ptr() as usize).next_multiple_of(PAGE);
            TestMemory {
                buffer,
                base,
                used: Cell::new(0),
            }
        }

        fn grow(&self, bytes: usize) -> Option<usize> {
            let used = self.used.get();
            let added = bytes.div_ceil(PAGE) * PAGE;
            (used + added + PAGE <= self.buffer.len()).then(|| {
                self.used.set(used + added);
                self.base + used
            })
        }
    }

    fn layout(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).unwrap()
    }

    #[test]
    fn classes_are_powers_of_two_of_at_least_16_bytes() {
        assert_eq!(Heap::class(layout(0, 1)), Some(0));
        assert_eq!(Heap::class(layout(16, 8)), Some(0));
        assert_eq!(Heap::class(layout(17, 1)), Some(1));
        assert_eq!(Heap::class(layout(8, 64)), Some(2), "alignment counts");
        assert_eq!(Heap::class(layout(4096, 4)), Some(8));
        assert_eq!(Heap::class(layout(1 << 31, 1)), Some(27));
        assert_eq!(Heap::class(layout((1 << 31) + 1, 1)), None);
        assert!(Heap::same_class(layout(20, 1), layout(32, 1)));
        assert!(!Heap::same_class(layout(32, 1), layout(33, 1)));
    }

    #[test]
    fn blocks_are_aligned_disjoint_and_reused() {
        let memory = TestMemory::new(8);
        let mut heap = Heap::new();
        let grow = |bytes| memory.grow(bytes);
        let mut live: Vec<(usize, Layout)> = Vec::new();
        for (i, size) in [1, 16, 17, 100, 440, 4096, 7040, 3, 65536, 24, 2000]
            .into_iter()
            .enumerate()
        {
            let l = layout(size, 1 << (i % 4));
            let block = unsafe { heap.alloc(l, grow) } as usize;
            assert_ne!(block, 0);
            let class_size = 1 << (Heap::class(l).unwrap() as u32 + MIN_CLASS);
            assert_eq!(block % class_size, 0, "aligned to its class size");
            for &(other, ol) in &live {
                let other_size = 1 << (Heap::class(ol).unwrap() as u32 + MIN_CLASS);
                assert!(
                    block + class_size <= other || other + other_size <= block,
                    "overlap"
                );
            }
            // The whole block is usable.
            unsafe { ptr::write_bytes(block as *mut u8, 0xa5, class_size) };
            live.push((block, l));
        }
        // Freed blocks come back, last freed first, within their class.
        let (block, l) = live[3];
        unsafe { heap.dealloc(block as *mut u8, l) };
        assert_eq!(unsafe { heap.alloc(layout(128, 1), grow) } as usize, block);
        let before = memory.used.get();
        for _ in 0..1000 {
            let a = unsafe { heap.alloc(layout(300, 4), grow) };
            let b = unsafe { heap.alloc(layout(5000, 4), grow) };
            unsafe { heap.dealloc(b, layout(5000, 4)) };
            unsafe { heap.dealloc(a, layout(300, 4)) };
        }
        assert!(
            memory.used.get() - before <= PAGE,
            "steady use does not grow the heap"
        );
    }

    #[test]
    fn out_of_memory_is_null() {
        let memory = TestMemory::new(2);
        let mut heap = Heap::new();
        let grow = |bytes| memory.grow(bytes);
        assert!(!unsafe { heap.alloc(layout(PAGE, 8), grow) }.is_null());
        assert!(unsafe { heap.alloc(layout(4 * PAGE, 8), grow) }.is_null());
        assert!(unsafe { heap.alloc(layout(usize::MAX / 2, 1), grow) }.is_null());
        assert!(
            !unsafe { heap.alloc(layout(64, 8), grow) }.is_null(),
            "still usable"
        );
    }
}
