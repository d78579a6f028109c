// An LD_PRELOAD shim for tests: makes the Swift runtime see an empty argv (argc 0), as a
// process started by `execve` with no arguments does on kernels that do not pad argv, and as
// some preload shims leave it. Linux (5.18 and later) turns an empty argv into `[""]`, so a
// test cannot get argc 0 from `execve` alone; the runtime's own override hook gives it.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>

#include "shim.h"

/// The Swift runtime's hook that replaces what `CommandLine` reads (argv, argc).
typedef void (*OverrideArguments)(char **argv, int argc);

static char *emptyArguments[] = {NULL};

__attribute__((constructor)) static void clearArguments(void) {
    OverrideArguments override = (OverrideArguments)dlsym(RTLD_DEFAULT, "_swift_stdlib_overrideUnsafeArgvArgc");
    if (override != NULL) override(emptyArguments, 0);
}

int empty_argv_shim_marker(void) { return 0; }
