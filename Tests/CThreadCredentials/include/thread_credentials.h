#ifndef RECEPTIOND_THREAD_CREDENTIALS_H
#define RECEPTIOND_THREAD_CREDENTIALS_H
// Tests connect as another user from inside the test process: the raw setresuid system call
// changes the calling thread's credentials only (glibc's setresuid() changes every thread's),
// and SO_PEERCRED reports the effective uid at connect() time. Root only.
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

/// Sets the calling thread's effective uid and gid (-1 keeps one). Returns 0 or -1 (errno).
static inline int reception_thread_set_effective(long uid, long gid) {
    if (gid != -1 && syscall(SYS_setresgid, -1L, gid, -1L) != 0) return -1;
    if (uid != -1 && syscall(SYS_setresuid, -1L, uid, -1L) != 0) return -1;
    return 0;
}

/// Gives the calling thread back the effective uid and gid 0 (its real ids stay root).
static inline int reception_thread_restore_root(void) {
    if (syscall(SYS_setresuid, -1L, 0L, -1L) != 0) return -1;
    return (int)syscall(SYS_setresgid, -1L, 0L, -1L);
}
#endif
