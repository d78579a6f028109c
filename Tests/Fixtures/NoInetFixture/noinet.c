/*
 * A test fixture, loaded with LD_PRELOAD: socket() and socketpair() refuse every address family
 * but AF_UNIX with EAFNOSUPPORT, as systemd's RestrictAddressFamilies=AF_UNIX makes the kernel do
 * for the receptiond service. The notifier tests run the daemon (and the notifier it spawns)
 * under it, so that a notifier that needs an inet socket (Foundation's Process did, for its
 * CFSocket wakeup pair) fails here as it failed under the shipped unit.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <sys/socket.h>

#include "noinet.h"

typedef int (*socket_fn)(int, int, int);
typedef int (*socketpair_fn)(int, int, int, int[2]);

int socket(int domain, int type, int protocol) {
    if (domain != AF_UNIX) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    socket_fn real = (socket_fn)dlsym(RTLD_NEXT, "socket");
    if (real == NULL) {
        errno = ENOSYS;
        return -1;
    }
    return real(domain, type, protocol);
}

int socketpair(int domain, int type, int protocol, int sv[2]) {
    if (domain != AF_UNIX) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    socketpair_fn real = (socketpair_fn)dlsym(RTLD_NEXT, "socketpair");
    if (real == NULL) {
        errno = ENOSYS;
        return -1;
    }
    return real(domain, type, protocol, sv);
}

int receptiond_noinet_fixture_loaded(void) { return 1; }
