// Intentionally empty: the target only exports <sys/epoll.h> (see include/bench_epoll.h).
#include "bench_epoll.h"
