#ifndef RECEPTIOND_GLIBC_MALLOC_H
#define RECEPTIOND_GLIBC_MALLOC_H
// glibc's malloc.h is not part of Swift's Glibc module: the daemon gives freed memory back to the
// system (malloc_trim) and reads the allocator's own figures (mallinfo2) through this header.
#include <malloc.h>
#include <stddef.h>

/// Returns free memory at the top of every arena and in whole free pages to the system.
static inline int reception_malloc_trim(void) { return malloc_trim(0); }

/// Bytes the allocator has handed out and not yet been given back (mallinfo2's uordblks).
static inline size_t reception_malloc_in_use(void) { return mallinfo2().uordblks; }
#endif
