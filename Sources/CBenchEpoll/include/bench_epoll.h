// Linux epoll for reception-bench's load client: Swift's Glibc module does not export
// <sys/epoll.h>, so this target makes it visible (nothing else).
#ifndef RECEPTION_BENCH_EPOLL_H
#define RECEPTION_BENCH_EPOLL_H
#include <sys/epoll.h>
#endif
