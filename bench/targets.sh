#!/usr/bin/env bash
# The issue-18 sitting: ping, verify, pending and durable receive at 50 and 1 connections, the
# parcels history reads, every department's rows (bench/sitting.sh), the storage floor (also on
# BEFORE_DIR, a state directory of the schema before, if given), and the references (Redis,
# PostgreSQL) on the same machine, one after the other.
#
#   bench/targets.sh --state-dir DIR [--before-dir BEFORE_DIR] [--build .build/release] [--runs 3]
#                    [--duration 8s] [--skip-peers] [--skip-departments]
#
# DIR is a state directory made by `reception-bench seed` (never written: every daemon here runs
# on a copy, a fresh copy for each write row, synced first). Prints one line per row:
#   row  connections  req/s  p50(ms)  p99(ms)  errors  command
# and, for floor, the floor tool's own lines. Run nothing else on the machine meanwhile.
set -euo pipefail

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }

state="" before="" build=".build/release" runs=3 duration="8s" peers=1 departments=1
while [ $# -gt 0 ]; do
    case "$1" in
        --state-dir) state="${2:?--state-dir needs a directory}"; shift 2 ;;
        --build) build="${2:?--build needs a directory}"; shift 2 ;;
        --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
        --duration) duration="${2:?--duration needs a duration}"; shift 2 ;;
        --skip-peers) peers=0; shift ;;
        --skip-departments) departments=0; shift ;;
        --before-dir) before="${2:?--before-dir needs a directory}"; shift 2 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "targets.sh: unknown argument $1 (see --help)" >&2; exit 1 ;;
    esac
done
[ -n "$state" ] || { echo "targets.sh: --state-dir is required (see --help)" >&2; exit 1; }
[ -f "$state/receptiond.sqlite" ] || { echo "targets.sh: $state/receptiond.sqlite not found: seed it first" >&2; exit 1; }
bench="$build/reception-bench" daemon="$build/receptiond"
[ -x "$bench" ] && [ -x "$daemon" ] || { echo "targets.sh: build first (swift build -c release)" >&2; exit 1; }
export TZ=Asia/Shanghai
work=$(mktemp -d /tmp/targets.XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT INT TERM

# Starts the daemon on a fresh copy of the state directory.
start() {
    stop
    rm -rf "$work/state" && cp -a "$state" "$work/state" && sync
    "$daemon" --socket "$work/s.sock" --state-dir "$work/state" >"$work/daemon.log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do [ -S "$work/s.sock" ] && return; sleep 0.1; done
    echo "targets.sh: the daemon did not start: $(tail -3 "$work/daemon.log")" >&2; exit 1
}
stop() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; pid=""; fi; rm -f "$work/s.sock"; }

cat >"$work/line.py" <<'PY'
import json, sys
d = json.load(sys.stdin)
l = d["latencyMicroseconds"]
name, connections, command = sys.argv[1:4]
print("%-22s %4s  %9s  %7.2f  %7.2f  %4d  run --connections %s %s" % (
    name, connections, format(round(d["throughput"]), ","), l["p50"] / 1000, l["p99"] / 1000, d["errors"], connections, command))
PY

# row NAME CONNECTIONS ARGS...: one run of `reception-bench run`, one line.
row() {
    local name=$1 connections=$2; shift 2
    "$bench" run --socket "$work/s.sock" --connections "$connections" "$@" --json |
        python3 "$work/line.py" "$name" "$connections" "$*"
}

echo "row                    conn      req/s  p50(ms)  p99(ms)  errs  command"
start
row ping 50 --workload ping --duration "$duration"
row ping 1 --workload ping --duration 5s
for _ in $(seq "$runs"); do row verify 50 --workload verify --duration "$duration" --state-dir "$work/state"; done
row verify 1 --workload verify --duration 5s --state-dir "$work/state"
for _ in $(seq "$runs"); do row pending 50 --workload pending --duration "$duration" --state-dir "$work/state"; done
row pending 1 --workload pending --duration 5s --state-dir "$work/state"
for workload in list-unit list-recipient; do
    row "$workload" 1 --workload "$workload" --duration 5s --state-dir "$work/state"
    row "$workload" 50 --workload "$workload" --duration "$duration" --state-dir "$work/state"
done
row stats 1 --workload stats --duration "$duration" --state-dir "$work/state"
row stats 50 --workload stats --requests 200 --state-dir "$work/state"
for _ in $(seq "$runs"); do
    start
    row "receive (durable)" 50 --workload receive --duration "$duration"
done
for _ in $(seq "$runs"); do
    start
    row "receive (durable)" 1 --workload receive --duration "$duration"
done
if [ "$departments" = 1 ]; then
    echo
    echo "every department (bench/sitting.sh, 1 and 50 connections, a fresh copy):"
    start
    BENCH="$bench" DURATION="$duration" "$(dirname "$0")/sitting.sh" "$work/s.sock" "$work/state"
fi
stop

echo
echo "floor (bare SQLite, the plugin's INSERT with its indexes, no daemon):"
for dir in "$state" ${before:+"$before"}; do
    for group in 50 25 1; do
        rows=20000; [ "$group" = 1 ] && rows=3000
        echo "  $dir --group $group --rows $rows:"
        "$bench" floor --state-dir "$dir" --group "$group" --rows "$rows" | grep -E "rows/s|commit|fsync|per row" | sed 's/^/    /' || true
    done
done

if [ "$peers" = 1 ]; then
    echo
    echo "PostgreSQL peer:"
    "$(dirname "$0")/postgres-peer.sh" --state-dir "$state" 2>&1 | sed -n '/summary (/,$p'
    if command -v redis-server >/dev/null && command -v redis-benchmark >/dev/null; then
        echo
        echo "Redis (appendonly yes, appendfsync always):"
        redis-server --port 0 --unixsocket "$work/redis.sock" --dir "$work" --appendonly yes --appendfsync always \
            --save "" --daemonize no >"$work/redis.log" 2>&1 &
        rpid=$!
        for _ in $(seq 50); do [ -S "$work/redis.sock" ] && break; sleep 0.1; done
        redis-benchmark -s "$work/redis.sock" -c 50 -n 500000 -t ping_inline -q
        redis-benchmark -s "$work/redis.sock" -c 50 -n 300000 -t set -q
        redis-benchmark -s "$work/redis.sock" -c 1 -n 20000 -t set -q
        kill "$rpid"; wait "$rpid" 2>/dev/null || true
    fi
fi
