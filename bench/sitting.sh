#!/bin/sh
# The per-department rows of the README's performance table in one sitting: each workload at 1
# and at 50 connections, 8 s measured (after reception-bench's 1 s warm-up), against a running
# receptiond, one line per row: workload, connections, req/s, p50 and p99 (µs), errors.
#
#   TZ=Asia/Shanghai bench/sitting.sh SOCKET STATE_DIR [WORKLOAD...]
#
# STATE_DIR is the daemon's state directory, seeded with `reception-bench seed` (the workloads
# read units, held codes, badge numbers and booked slots from it, read-only). The durable
# workloads write into it: run the sitting on a copy of a freshly seeded one, in the default order
# (see below). Without WORKLOAD arguments it runs every
# department's rows; BENCH (default .build/release/reception-bench), DURATION (8s),
# HANDOVER_REQUESTS (100: the handover row is measured by count) and CONNECTIONS ("1 50") may be
# set in the environment. Needs jq.
set -eu

if [ $# -lt 2 ]; then
    echo "usage: $0 SOCKET STATE_DIR [WORKLOAD...]" >&2
    exit 2
fi
socket=$1
state=$2
shift 2
bench=${BENCH:-.build/release/reception-bench}
duration=${DURATION:-8s}
connections=${CONNECTIONS:-"1 50"}
if [ $# -eq 0 ]; then
    # Reads first, then the handover (its snapshot reads every department), then counter, then the
    # durable writes: each write row adds rows that later rows would read (8 s of utility-request
    # leaves some 30,000 requests at the desk, and utilities.cashOnHand lists every card: over
    # max_reply_bytes, a `limit` error).
    set -- cash-on-hand agenda on-site cases-report handover counter utility-request book visitors-register cases-open
fi
command -v jq >/dev/null || { echo "$0: needs jq" >&2; exit 2; }
[ -x "$bench" ] || { echo "$0: no $bench (swift build -c release, or set BENCH)" >&2; exit 2; }

printf '%-18s %5s %10s %9s %9s %7s\n' workload conns req/s p50_us p99_us errors
for workload in "$@"; do
    for n in $connections; do
        # A handover takes a few hundred ms on the writer, one after another: at 50 connections
        # each waits for the 49 before it, longer than the 8 s, so it is measured by count.
        length="--duration $duration"
        [ "$workload" = handover ] && length="--requests ${HANDOVER_REQUESTS:-100}"
        # shellcheck disable=SC2086 # $length is two words on purpose
        report=$("$bench" run --socket "$socket" --state-dir "$state" --workload "$workload" \
            --connections "$n" $length --json) || {
            printf '%-18s %5s %s\n' "$workload" "$n" "failed (see the message above)"
            continue
        }
        printf '%s\n' "$report" | jq -r --arg w "$workload" --arg n "$n" \
            '[$w, $n, ((.throughput * 10 | floor) / 10), .latencyMicroseconds.p50, .latencyMicroseconds.p99, .errors]
             | @tsv' | awk -F'\t' '{ printf "%-18s %5s %10s %9s %9s %7s\n", $1, $2, $3, $4, $5, $6 }'
    done
done
