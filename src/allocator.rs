//! The memory allocator of the whole crate, its command line, tests and benchmarks:
//! jemalloc where it builds (everywhere but MSVC), the system's elsewhere.
//!
//! A build allocates and frees millions of small values (Markdown events, template
//! values, search terms) from two threads while holding a large heap. glibc's allocator
//! spent about 15 % of a 10,000-article build in `malloc` and `free` (merging and
//! splitting free chunks); with jemalloc's thread caches and size classes the whole build
//! took 12 % less CPU in 15 alternated builds (README's performance section).
//!
//! The search index's large tables stay on ordinary pages. Asked to take huge pages
//! (`madvise`), they made a 10,000-article build of running Chinese text slower and
//! unsteady on the development VM (medians 968 ms with the advice and 934 ms without,
//! 15 alternated builds): a huge-page fault zeroes 2 MiB at once, and that zeroing
//! cost one thread of the index up to 300 profile samples against the other's 10
//! (perf, 4 kHz), where small pages cost either fewer than 15.

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's control that purges every arena (4096 is its `MALLCTL_ARENAS_ALL`).
#[cfg(not(target_env = "msvc"))]
const PURGE_EVERY_ARENA: &std::ffi::CStr = c"arena.4096.purge";

/// Hands the free pages of the heap back to the system. The bodies and texts a build
/// releases lie scattered between values it keeps, so the allocator would otherwise keep
/// their pages until its ten-second decay, and the next stage's allocations would raise
/// the peak memory instead of reusing them (10,000 articles: 264 MB without this, 220 MB
/// with it).
pub fn return_freed_memory() {
    // A purge that fails leaves only memory unreturned, so its status is not checked.
    #[cfg(not(target_env = "msvc"))]
    // SAFETY: the purge reads and writes no value; the name is a NUL-terminated string,
    // as `mallctl` requires.
    unsafe {
        tikv_jemalloc_sys::mallctl(
            PURGE_EVERY_ARENA.as_ptr(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            0,
        );
    }
}
