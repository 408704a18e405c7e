//! A deterministic stand-in for time in the scaling tests: the test binary's allocator
//! counts, per thread, how many allocations are made and how many bytes they ask for.
//! A pass that copies or formats once per item per item (a `-2, -3, …` suffix search
//! that formats every candidate, a source line cloned into every diagnostic) shows up
//! as a quadratic count without any clock. The core does not spawn threads, so what a
//! test thread calls is what its counters see, whatever other tests run beside it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

#[global_allocator]
static COUNTING: Counting = Counting;

thread_local! {
    // `const` and free of destructors: touching it never allocates.
    static COUNTS: Cell<Allocations> = const { Cell::new(Allocations { count: 0, bytes: 0 }) };
}

/// Allocations made by one piece of work.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Allocations {
    /// Calls to `alloc`, `alloc_zeroed` and `realloc`.
    pub(crate) count: u64,
    /// Bytes those calls asked for (a `realloc` counts its new size).
    pub(crate) bytes: u64,
}

fn record(size: usize) {
    let _ = COUNTS.try_with(|c| {
        let a = c.get();
        c.set(Allocations {
            count: a.count + 1,
            bytes: a.bytes + size as u64,
        });
    });
}

// SAFETY: every call is forwarded unchanged to the system allocator; the counters are
// plain thread-local cells that never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Runs `work` and returns its result with the allocations it made on this thread.
pub(crate) fn counted<T>(work: impl FnOnce() -> T) -> (T, Allocations) {
    let before = COUNTS.with(Cell::get);
    let result = work();
    let after = COUNTS.with(Cell::get);
    let used = Allocations {
        count: after.count - before.count,
        bytes: after.bytes - before.bytes,
    };
    (result, used)
}

#[test]
fn allocation_counts_see_quadratic_work() {
    let quadratic = |n: usize| {
        counted(|| {
            (0..n)
                .map(|i| (0..i).map(|j| format!("-{j}")).collect::<String>().len())
                .sum::<usize>()
        })
        .1
    };
    let (small, large) = (quadratic(100), quadratic(400));
    assert!(large.count > 12 * small.count, "{small:?} vs {large:?}");
    let linear = |n: usize| counted(|| vec![0u8; n]).1;
    assert_eq!(linear(1000).bytes, 1000);
}
