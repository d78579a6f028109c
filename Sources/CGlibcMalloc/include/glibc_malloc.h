#ifndef RECEPTIOND_GLIBC_MALLOC_H
#define RECEPTIOND_GLIBC_MALLOC_H
// glibc's malloc.h is not part of Swift's Glibc module: the daemon gives freed memory back to the
// system (malloc_trim) and reads the allocator's own figures (mallinfo2) through this header.
#include <malloc.h>
#include <stddef.h>

/// Fixes glibc's thresholds: allocations of 128 KiB and more are mapped and unmapped on their
/// own, and an arena's free top past 1 MiB is given back. (By default glibc raises both after a
/// large block is freed, so after one 4 MB reply every later reply of up to 4 MB stays in the
/// arenas when freed.) Returns whether both settings were taken.
static inline int reception_malloc_configure(void) {
    return mallopt(M_MMAP_THRESHOLD, 128 * 1024) == 1 && mallopt(M_TRIM_THRESHOLD, 1024 * 1024) == 1;
}

/// Returns free memory at the top of every arena and in whole free pages to the system.
static inline int reception_malloc_trim(void) { return malloc_trim(0); }

/// Bytes the allocator has handed out and not yet been given back (mallinfo2's uordblks).
static inline size_t reception_malloc_in_use(void) { return mallinfo2().uordblks; }

/// Bytes the allocator has handed out, mapped blocks included (mallinfo2's uordblks + hblkhd).
static inline size_t reception_malloc_allocated(void) {
    struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
}
#endif
