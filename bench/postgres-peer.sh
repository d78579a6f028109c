#!/usr/bin/env bash
# postgres-peer.sh: the PostgreSQL peer for durable writes (issue 18).
#
# What a web front-desk product on PostgreSQL would get on this machine for the daemon's
# durable `parcels.receive`: the same table, the same indexes, the same million rows and the
# same INSERT, committed one row per transaction with `synchronous_commit = on`.
#
# The script:
#  1. installs PostgreSQL 15 from apt when it is missing (as root: `apt-get update` once, then
#     `postgresql postgresql-contrib sqlite3`), and starts a private cluster of its own: initdb
#     into a temporary directory, its own Unix socket directory, no TCP listener (the port only
#     names the socket), `fsync = on`, `synchronous_commit = on`, default WAL settings otherwise
#     (`full_page_writes = on`, `max_wal_size = 1GB`, `checkpoint_timeout = 5min`),
#     `shared_buffers` 1GB by default (the table and its indexes fit, as they do in the page
#     cache under SQLite). As root the server runs as the `postgres` user. The cluster is
#     stopped and removed when the script exits, also on Ctrl-C.
#  2. creates `parcels_items` with the table and every index that the state directory's SQLite
#     file has (`.schema parcels_items`), translated to PostgreSQL (INTEGER → BIGINT, the rowid
#     primary key → an identity column; partial and expression indexes as they are), and prints
#     the DDL it used: a leaner schema in the state directory is followed as it is.
#  3. loads every row of that table (exported from SQLite as CSV into `COPY`), builds the
#     indexes, then ANALYZE and CHECKPOINT. The SQLite file is only read.
#  4. runs the parcels plugin's receive INSERT through pgbench (`-M prepared`, Unix socket, one
#     row per transaction) for each connection count: the columns `ParcelItem` inserts (read from
#     Plugins/Parcels/ParcelItem.swift), with the values the bench's `receive` workload sends: an
#     express item from SF for a real recipient and unit of the seed (20,000 of them, sampled as
#     `reception-bench floor` does), shelf B-1..B-12, a tracking number unique per connection,
#     and a random 8-character pickup code (letters and digits alternating, as `floor` draws
#     them). `ON CONFLICT DO NOTHING` stands in for the plugin's draw-again on a taken code
#     (a few in a million); the rows actually inserted are counted and printed beside the tps.
#     Before each run the rows of earlier runs are deleted (VACUUM), and a CHECKPOINT is taken,
#     so every connection count starts from the seeded table.
#     Per run it prints pgbench's report, then rows inserted, tps, latency p50/p99 (from
#     pgbench's per-transaction log) and WAL bytes per row; a summary line per connection count
#     closes the output.
#
# Usage:
#   bench/postgres-peer.sh --state-dir DIR [--duration SECS] [--connections "50 1"]
#                          [--shared-buffers SIZE] [--work-dir DIR]
#
#   --state-dir DIR      a state directory made by `reception-bench seed` (required; read only;
#                        use a copy if a daemon might run on it)
#   --duration SECS      seconds per pgbench run (default 10; `10s` is accepted too)
#   --connections LIST   connection counts, one run each (default "50 1")
#   --shared-buffers S   PostgreSQL shared_buffers (default 1GB)
#   --work-dir DIR       where the temporary cluster goes (default $TMPDIR or /tmp; put it on the
#                        same file system as the daemon's state directory for a fair comparison)
#   -h, --help           this text
#
# Environment: PGBIN, the PostgreSQL 15 binaries (default /usr/lib/postgresql/15/bin).
# This is a measurement, not a test: .ci/run does not run it.
set -euo pipefail

readonly PROG=postgres-peer
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly REPO
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

# ---------------------------------------------------------------- arguments

usage() {
    sed -n '/^# Usage:/,/^# This is a measurement/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

die() {
    echo "$PROG: error: $*" >&2
    exit 1
}

say() { echo "$PROG: $*"; }

STATE_DIR=""
DURATION=10
CONNECTIONS="50 1"
SHARED_BUFFERS=1GB
WORK_PARENT=${TMPDIR:-/tmp}

while [[ $# -gt 0 ]]; do
    case "$1" in
    -h | --help)
        usage
        exit 0
        ;;
    --state-dir | --duration | --connections | --shared-buffers | --work-dir)
        [[ $# -ge 2 ]] || die "$1 needs a value (see --help)"
        case "$1" in
        --state-dir) STATE_DIR=$2 ;;
        --duration) DURATION=${2%s} ;;
        --connections) CONNECTIONS=$2 ;;
        --shared-buffers) SHARED_BUFFERS=$2 ;;
        --work-dir) WORK_PARENT=$2 ;;
        esac
        shift 2
        ;;
    --state-dir=* | --duration=* | --connections=* | --shared-buffers=* | --work-dir=*)
        set -- "${1%%=*}" "${1#*=}" "${@:2}"
        ;;
    *) die "unknown option '$1' (see --help)" ;;
    esac
done

[[ -n $STATE_DIR ]] || die "--state-dir DIR is required: a state directory made by 'reception-bench seed' (see --help)"
[[ -d $STATE_DIR ]] || die "--state-dir $STATE_DIR: no such directory"
[[ $DURATION =~ ^[1-9][0-9]*$ ]] || die "--duration takes whole seconds (e.g. 10 or 10s), not '$DURATION'"
read -r -a CONNECTION_COUNTS <<<"$CONNECTIONS"
[[ ${#CONNECTION_COUNTS[@]} -gt 0 ]] || die "--connections needs at least one count"
MAX_CONNECTIONS=0
for c in "${CONNECTION_COUNTS[@]}"; do
    [[ $c =~ ^[1-9][0-9]*$ ]] || die "--connections takes whole numbers (e.g. \"50 1\"), not '$c'"
    if ((c > MAX_CONNECTIONS)); then MAX_CONNECTIONS=$c; fi
done
[[ -d $WORK_PARENT ]] || die "--work-dir $WORK_PARENT: no such directory"
ITEM_SWIFT="$REPO/Plugins/Parcels/ParcelItem.swift"
[[ -f $ITEM_SWIFT ]] || die "$ITEM_SWIFT is missing: run the script from its place in the repository"

# ---------------------------------------------------------------- tools

APT_UPDATED=0
apt_install() {
    [[ $(id -u) -eq 0 ]] || die "$* missing: install it (apt-get install $*) or run this script as root"
    command -v apt-get >/dev/null || die "$* missing and there is no apt-get: install PostgreSQL 15 by hand, set PGBIN"
    if [[ $APT_UPDATED -eq 0 ]]; then
        say "apt-get update"
        apt-get update -qq
        APT_UPDATED=1
    fi
    say "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

command -v sqlite3 >/dev/null || apt_install sqlite3
for tool in initdb pg_ctl postgres pgbench psql createdb; do
    if [[ ! -x $PGBIN/$tool ]]; then
        apt_install postgresql postgresql-contrib
        break
    fi
done
for tool in initdb pg_ctl postgres pgbench psql createdb; do
    [[ -x $PGBIN/$tool ]] || die "$PGBIN/$tool is missing after installing PostgreSQL (is PGBIN right?)"
done
PG_VERSION=$("$PGBIN/postgres" --version)
[[ $PG_VERSION == *" 15."* ]] || say "warning: $PG_VERSION is not PostgreSQL 15 (issue 18 asks for 15)"

# ---------------------------------------------------------------- the SQLite file

DB=""
if [[ -f $STATE_DIR/receptiond.sqlite ]]; then
    DB=$STATE_DIR/receptiond.sqlite
else
    for candidate in "$STATE_DIR"/*.sqlite "$STATE_DIR"/*.db; do
        [[ -f $candidate ]] || continue
        if [[ -n $(sqlite3 -readonly "$candidate" "SELECT name FROM sqlite_master WHERE name = 'parcels_items'") ]]; then
            DB=$candidate
            break
        fi
    done
fi
[[ -n $DB ]] || die "$STATE_DIR has no SQLite file with a parcels_items table (seed it with reception-bench seed)"
sq() { sqlite3 -readonly -batch "$DB" "$@"; }
[[ -n $(sq "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'parcels_items'") ]] ||
    die "$DB has no parcels_items table (seed it with reception-bench seed)"
SQLITE_ROWS=$(sq "SELECT count(*) FROM parcels_items")
((SQLITE_ROWS > 0)) || die "$DB: parcels_items is empty (seed it with reception-bench seed)"
mapfile -t TABLE_COLUMNS < <(sq "SELECT name FROM pragma_table_info('parcels_items') ORDER BY cid")

# ---------------------------------------------------------------- the cluster

if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "there is no postgres user to run the server as (install postgresql from apt)"
    as_server() { runuser -u postgres -- "$@"; }
else
    as_server() { "$@"; }
fi

WORK=$(mktemp -d "$WORK_PARENT/postgres-peer.XXXXXX")
DATA=$WORK/data
SOCKET_DIR=$WORK/socket
SERVER_STARTED=0

cleanup() {
    local status=$?
    set +e
    if [[ $SERVER_STARTED -eq 1 ]]; then
        as_server "$PGBIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null 2>&1 ||
            say "warning: pg_ctl stop failed; see $WORK/server.log"
    fi
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'echo; say "interrupted"; exit 130' INT
trap 'say "terminated"; exit 143' TERM

chmod 755 "$WORK"
mkdir -m 700 "$DATA" "$SOCKET_DIR"
mkdir "$WORK/runs"
touch "$WORK/server.log"
if [[ $(id -u) -eq 0 ]]; then chown postgres: "$DATA" "$SOCKET_DIR" "$WORK/server.log"; fi

# No TCP listener: the port only names the socket (.s.PGSQL.PORT) in our own directory, so no
# other server on this machine can clash with it.
PORT=54329
say "initdb into $DATA ($PG_VERSION)"
as_server "$PGBIN/initdb" -D "$DATA" -A trust -U postgres -E UTF8 --locale=C >"$WORK/initdb.log" 2>&1 ||
    {
        cat "$WORK/initdb.log" >&2
        die "initdb failed"
    }
cat >>"$DATA/postgresql.conf" <<EOF

# postgres-peer.sh
listen_addresses = ''
port = $PORT
unix_socket_directories = '$SOCKET_DIR'
max_connections = $((MAX_CONNECTIONS + 10))
shared_buffers = $SHARED_BUFFERS
fsync = on
synchronous_commit = on
EOF
as_server "$PGBIN/pg_ctl" -D "$DATA" -l "$WORK/server.log" -w -t 120 start >/dev/null ||
    {
        tail -20 "$WORK/server.log" >&2
        die "the server did not start"
    }
SERVER_STARTED=1

PSQL=("$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKET_DIR" -p "$PORT" -U postgres)
"$PGBIN/createdb" -h "$SOCKET_DIR" -p "$PORT" -U postgres peer
pg() { "${PSQL[@]}" -d peer -At "$@"; }
say "server up: socket $SOCKET_DIR/.s.PGSQL.$PORT, synchronous_commit $(pg -c 'SHOW synchronous_commit')," \
    "fsync $(pg -c 'SHOW fsync'), wal_level $(pg -c 'SHOW wal_level'), full_page_writes $(pg -c 'SHOW full_page_writes')," \
    "shared_buffers $(pg -c 'SHOW shared_buffers')"

# ---------------------------------------------------------------- schema

# SQLite's DDL, one statement per element (`.schema` ends each with `;` at the end of a line).
mapfile -d '' -t STATEMENTS < <(sq ".schema parcels_items" | awk '
    { statement = statement $0 "\n" }
    /;[[:space:]]*$/ { printf "%s%c", statement, 0; statement = "" }
    END { if (statement ~ /[^[:space:]]/) printf "%s%c", statement, 0 }')

# Into PostgreSQL: column types, the rowid primary key, and the table options SQLite alone has.
translate() {
    sed -E \
        -e 's/\bINTEGER[[:space:]]+PRIMARY[[:space:]]+KEY([[:space:]]+AUTOINCREMENT)?/BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY/I' \
        -e 's/\bINTEGER\b/BIGINT/gI' \
        -e 's/\bREAL\b/DOUBLE PRECISION/gI' \
        -e 's/\bBLOB\b/BYTEA/gI' \
        -e 's/\bCOLLATE[[:space:]]+BINARY\b//gI' \
        -e 's/\)[[:space:]]*(WITHOUT[[:space:]]+ROWID|STRICT)([[:space:]]*,[[:space:]]*(WITHOUT[[:space:]]+ROWID|STRICT))*[[:space:]]*;/);/I'
}

TABLE_DDL=""
INDEX_DDL=""
for statement in "${STATEMENTS[@]}"; do
    [[ $statement =~ [^[:space:]] ]] || continue
    shopt -s nocasematch
    if [[ $statement =~ ^[[:space:]]*CREATE[[:space:]]+(TRIGGER|VIEW) ]]; then
        shopt -u nocasematch
        die "parcels_items has a ${BASH_REMATCH[1]}, which this script does not translate to PostgreSQL: $statement"
    fi
    if [[ $statement =~ COLLATE[[:space:]]+(NOCASE|RTRIM) ]]; then
        shopt -u nocasematch
        die "COLLATE ${BASH_REMATCH[1]} has no PostgreSQL twin; translate this by hand: $statement"
    fi
    if [[ $statement =~ ^[[:space:]]*CREATE[[:space:]]+(UNIQUE[[:space:]]+)?INDEX ]]; then
        INDEX_DDL+=$(translate <<<"$statement")$'\n'
    else
        TABLE_DDL+=$(translate <<<"$statement")$'\n'
    fi
    shopt -u nocasematch
done
[[ -n $TABLE_DDL ]] || die "no CREATE TABLE parcels_items in $DB"

echo
say "the DDL used (from $DB, translated):"
printf '%s%s\n' "$TABLE_DDL" "$INDEX_DDL" | sed 's/^/    /'
pg -c "$TABLE_DDL"

# ---------------------------------------------------------------- the rows

COLUMN_LIST=$(
    IFS=,
    echo "${TABLE_COLUMNS[*]}"
)
say "loading $SQLITE_ROWS rows (sqlite3 -csv | COPY), then the indexes, ANALYZE, CHECKPOINT"
LOAD_STARTED=$SECONDS
# NULL travels as \N, so that an empty string stays an empty string.
sq -csv -nullvalue '\N' "SELECT $COLUMN_LIST FROM parcels_items" |
    pg -c "COPY parcels_items ($COLUMN_LIST) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
PG_ROWS=$(pg -c "SELECT count(*) FROM parcels_items")
[[ $PG_ROWS -eq $SQLITE_ROWS ]] || die "loaded $PG_ROWS rows, the SQLite table has $SQLITE_ROWS"
pg -c "SET maintenance_work_mem = '512MB'" -c "$INDEX_DDL"
pg -c "ANALYZE" -c "CHECKPOINT"
BASE_MAX_ID=$(pg -c "SELECT coalesce(max(id), 0) FROM parcels_items")
pg -c "SELECT setval(pg_get_serial_sequence('parcels_items', 'id'), $BASE_MAX_ID)" >/dev/null
INDEX_COUNT=$(pg -c "SELECT count(*) FROM pg_indexes WHERE tablename = 'parcels_items'")
say "loaded $PG_ROWS rows in $((SECONDS - LOAD_STARTED)) s; $(pg -c "SELECT count(*) FROM parcels_items WHERE status IN ('held','notified')") held;" \
    "$INDEX_COUNT indexes with the primary key; table $(pg -c "SELECT pg_size_pretty(pg_table_size('parcels_items'))")," \
    "indexes $(pg -c "SELECT pg_size_pretty(pg_indexes_size('parcels_items'))")"

# Real recipients of real units, spread over the whole register, as `reception-bench floor` takes them.
has_column() {
    local column
    for column in "${TABLE_COLUMNS[@]}"; do [[ $column == "$1" ]] && return 0; done
    return 1
}
UNIT_KEY_SOURCE=unit
has_column unit_key && UNIT_KEY_SOURCE=unit_key
pg -c "CREATE TABLE peer_people AS
         SELECT row_number() OVER (ORDER BY id) AS n, unit, $UNIT_KEY_SOURCE AS unit_key, recipient
         FROM parcels_items WHERE id % 50 = 7 ORDER BY id LIMIT 20000" \
    -c "ALTER TABLE peer_people ADD PRIMARY KEY (n)" -c "ANALYZE peer_people"
PEOPLE=$(pg -c "SELECT count(*) FROM peer_people")
((PEOPLE > 0)) || die "no recipients to address items to (parcels_items has fewer than 8 rows?)"

# ---------------------------------------------------------------- the receive INSERT

# The columns the plugin's INSERT names: every @Column of ParcelItem but the id, snake_cased.
mapfile -t INSERT_COLUMNS < <(grep -E '^[[:space:]]*@Column' "$ITEM_SWIFT" |
    sed -E 's/.*[[:space:]]var[[:space:]]+([A-Za-z0-9_]+).*/\1/' |
    sed -E 's/([a-z0-9])([A-Z])/\1_\2/g' | tr '[:upper:]' '[:lower:]' | grep -vx id)
[[ ${#INSERT_COLUMNS[@]} -gt 0 ]] || die "no @Column found in $ITEM_SWIFT"

# What `parcels.receive` stores for the bench's receive workload; the other columns are NULL.
CODE_EXPRESSION="substr('ABCDEFGHJKLMNPQRSTUVWXYZ', :c1, 1) || substr('23456789', :c2, 1)"
CODE_EXPRESSION+=" || substr('ABCDEFGHJKLMNPQRSTUVWXYZ', :c3, 1) || substr('23456789', :c4, 1)"
CODE_EXPRESSION+=" || substr('ABCDEFGHJKLMNPQRSTUVWXYZ', :c5, 1) || substr('23456789', :c6, 1)"
CODE_EXPRESSION+=" || substr('ABCDEFGHJKLMNPQRSTUVWXYZ', :c7, 1) || substr('23456789', :c8, 1)"
value_of() {
    case "$1" in
    code) echo "$CODE_EXPRESSION" ;;
    kind) echo "'express'" ;;
    recipient) echo "p.recipient" ;;
    unit) echo "p.unit" ;;
    unit_key) echo "p.unit_key" ;;
    carrier) echo "'SF'" ;;
    # Unique per connection and increasing, as the bench's SF<run><connection>N<sequence>.
    tracking) echo "'SF' || CAST(:client_id AS text) || 'N' || (extract(epoch FROM clock_timestamp()) * 1000000)::bigint" ;;
    condition) echo "'intact'" ;;
    shelf) echo "'B-' || CAST(:shelf AS text)" ;;
    status) echo "'held'" ;;
    # 2026-12-06T19:23:45.678+08:00, written without a colon: pgbench would take :MI for a variable.
    received_at) echo "replace(to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD\"T\"HH24#MI#SS.MS\"+08#00\"'), '#', chr(58))" ;;
    received_ms) echo "(extract(epoch FROM now()) * 1000)::bigint" ;;
    received_by) echo "'li.na'" ;;
    notify_count | reminder_count) echo "0" ;;
    *) echo "NULL" ;;
    esac
}
SELECT_LIST=""
for column in "${INSERT_COLUMNS[@]}"; do
    has_column "$column" || die "ParcelItem has a column '$column' that parcels_items in $DB lacks: is the state directory from this tree?"
    SELECT_LIST+="${SELECT_LIST:+, }$(value_of "$column")"
done
INSERT_LIST=$(
    IFS=,
    echo "${INSERT_COLUMNS[*]}"
)
SCRIPT=$WORK/receive.sql
{
    echo "\\set who random(1, $PEOPLE)"
    for i in 1 3 5 7; do echo "\\set c$i random(1, 24)"; done
    for i in 2 4 6 8; do echo "\\set c$i random(1, 8)"; done
    echo "\\set shelf random(1, 12)"
    echo "INSERT INTO parcels_items ($INSERT_LIST)"
    echo "SELECT $SELECT_LIST"
    echo "FROM peer_people p WHERE p.n = :who"
    echo "ON CONFLICT DO NOTHING;"
} >"$SCRIPT"
echo
say "the pgbench script (${#INSERT_COLUMNS[@]} columns, as ParcelItem inserts them):"
sed 's/^/    /' "$SCRIPT"

# ---------------------------------------------------------------- runs

# The value at quantile $2 (0..1) of the sorted numbers in file $1.
quantile() { awk -v q="$2" '{ v[NR] = $1 } END { if (NR == 0) { print "n/a"; exit } i = int(q * NR + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR; printf "%.2f", v[i] / 1000 }' "$1"; }

# The first value that the sed expression $1 prints from file $2.
report_value() {
    local values
    values=$(sed -nE "$1" "$2")
    echo "${values%%$'\n'*}"
}

SUMMARY=()
for c in "${CONNECTION_COUNTS[@]}"; do
    threads=$((c < 2 ? c : 2))
    run_dir=$WORK/runs/c$c
    mkdir -p "$run_dir"
    # Every run starts from the seeded rows, checkpointed.
    pg -c "DELETE FROM parcels_items WHERE id > $BASE_MAX_ID" >/dev/null
    pg -c "VACUUM parcels_items" -c "CHECKPOINT"
    pg -c "SELECT setval(pg_get_serial_sequence('parcels_items', 'id'), $BASE_MAX_ID)" >/dev/null
    wal_before=$(pg -c "SELECT pg_current_wal_lsn()")
    echo
    say "run: $c connection(s), $DURATION s:" \
        "pgbench -n -M prepared -f receive.sql -c $c -j $threads -T $DURATION --log (Unix socket)"
    (cd "$run_dir" && "$PGBIN/pgbench" -n -M prepared -f "$SCRIPT" -c "$c" -j "$threads" -T "$DURATION" \
        --log --log-prefix=tx -h "$SOCKET_DIR" -p "$PORT" -U postgres peer >report.txt 2>errors.txt) ||
        {
            cat "$run_dir/report.txt" "$run_dir/errors.txt" >&2
            die "pgbench failed at $c connection(s)"
        }
    sed 's/^/    /' "$run_dir/report.txt"
    if [[ -s $run_dir/errors.txt ]]; then sed 's/^/    pgbench: /' "$run_dir/errors.txt" | head -5; fi
    wal_bytes=$(pg -c "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$wal_before')::bigint")
    rows=$(pg -c "SELECT count(*) FROM parcels_items WHERE id > $BASE_MAX_ID")
    tps=$(report_value 's/^tps = ([0-9.]+) .*/\1/p' "$run_dir/report.txt")
    average=$(report_value 's/^latency average = ([0-9.]+ ms).*/\1/p' "$run_dir/report.txt")
    transactions=$(report_value 's/^number of transactions actually processed: ([0-9]+).*/\1/p' "$run_dir/report.txt")
    # pgbench --log: one line per transaction, its latency in µs third (one file per thread).
    awk '{ print $3 }' "$run_dir"/tx.* | sort -n >"$run_dir/latencies"
    p50=$(quantile "$run_dir/latencies" 0.50)
    p99=$(quantile "$run_dir/latencies" 0.99)
    wal_per_row=$(awk -v b="$wal_bytes" -v r="$rows" 'BEGIN { if (r > 0) printf "%.1f KiB", b / r / 1024; else print "n/a" }')
    say "  $rows rows inserted in ${transactions:-?} transactions ($((${transactions:-0} - rows)) skipped: code taken);" \
        "WAL $wal_per_row per row"
    say "  tps ${tps:-?}, latency average ${average:-?}, p50 $p50 ms, p99 $p99 ms"
    SUMMARY+=("$(printf '%3d connection(s): %s inserts/s (tps %s; %s rows in %s s), latency avg %s, p50 %s ms, p99 %s ms, WAL %s per row' \
        "$c" "$(printf '%.0f' "${tps:-0}")" "${tps:-?}" "$rows" "$DURATION" "${average:-?}" "$p50" "$p99" "$wal_per_row")")
done

echo
say "summary ($PG_VERSION, $PG_ROWS seeded rows, $INDEX_COUNT indexes with the primary key, synchronous_commit on):"
for line in "${SUMMARY[@]}"; do say "  $line"; done
