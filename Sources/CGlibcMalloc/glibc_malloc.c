// Header-only: see include/glibc_malloc.h.
#include "glibc_malloc.h"
