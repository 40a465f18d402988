//! The memory allocator of the whole crate, its command line, tests and benchmarks:
//! jemalloc where it builds (everywhere but MSVC), the system's elsewhere.
//!
//! A build allocates and frees millions of small values (Markdown events, template
//! values, search terms) from two threads while holding a large heap. glibc's allocator
//! spent about 15 % of a 10,000-article build in `malloc` and `free` (merging and
//! splitting free chunks); with jemalloc's thread caches and size classes the whole build
//! took 12 % less CPU in 15 alternated builds (README's performance section).

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

/// The size of a huge page with 4 KiB base pages (x86-64, most aarch64 kernels). A kernel
/// with larger pages takes the advice too, and uses its own larger huge pages only where
/// one fits inside the range.
#[cfg(target_os = "linux")]
const HUGE_PAGE: usize = 2 << 20;

/// `count` copies of `value`, on huge pages where the vector is large enough to have
/// whole ones ([`prefer_huge_pages`]): for tables read or written at random places.
pub fn filled_vec<T: Clone>(count: usize, value: T) -> Vec<T> {
    let mut filled = huge_page_vec(count);
    filled.resize(count, value);
    filled
}

/// An empty vector with room for `capacity` values, the room on huge pages where it is
/// large enough to have whole ones ([`prefer_huge_pages`]): for a buffer written from
/// start to end, whose memory is taken only as it is written.
pub fn huge_page_vec<T>(capacity: usize) -> Vec<T> {
    let mut vec = Vec::with_capacity(capacity);
    prefer_huge_pages(vec.spare_capacity_mut());
    vec
}

/// Asks the system to back `memory` with huge pages, where it does so only when asked
/// (Linux's transparent huge pages set to `madvise`, the usual default). For a table of
/// many megabytes read at random places, nearly every read missed the address
/// translation cache too, and every 4 KiB touched first was a page fault of its own.
/// Call it before the memory is first written; the advice is only advice, so its
/// failure is ignored.
fn prefer_huge_pages<T>(memory: &mut [std::mem::MaybeUninit<T>]) {
    #[cfg(target_os = "linux")]
    {
        let start = memory.as_mut_ptr() as usize;
        let end = start + std::mem::size_of_val(memory);
        // Only the whole huge pages inside the memory: advice on any other byte would
        // also change how its neighbours are mapped.
        let first = start.next_multiple_of(HUGE_PAGE);
        let last = end / HUGE_PAGE * HUGE_PAGE;
        if first < last {
            // SAFETY: the range lies inside `memory`, which the caller owns and which
            // holds no value yet; this advice changes how pages are backed, never their
            // contents.
            let _ = unsafe {
                rustix::mm::madvise(
                    first as *mut std::ffi::c_void,
                    last - first,
                    rustix::mm::Advice::LinuxHugepage,
                )
            };
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = memory;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filled_vector_large_enough_for_huge_pages_holds_its_values() {
        let count = 3 * (2 << 20) / 8 + 5;
        let filled = filled_vec(count, 7u64);
        assert_eq!(filled.len(), count);
        assert!(filled.iter().all(|&value| value == 7));
    }
}
