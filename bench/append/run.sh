#!/usr/bin/env bash
# The append benchmark: eventstore.append of 1 and of 10 events per call
# against the physical limit (a plain INSERT of the same rows into a table of
# the same shape and indexes), with identical pgbench settings, in one
# invocation. Prints a markdown table of medians and writes
# bench/results/append-<timestamp>.{md,csv,json}; compares the ratios with
# bench/baseline/append.csv.
#
# Environment (defaults in brackets):
#   BENCH_SECONDS   seconds per measured run [15]
#   BENCH_REPS      repetitions; every cell runs ours and the baseline once per
#                   repetition, back to back, the order alternating [3]
#   BENCH_EXTRA_REPS, BENCH_SPREAD  a cell whose paired ratios spread more than
#                   BENCH_SPREAD ((max-min)/median) gets up to BENCH_EXTRA_REPS
#                   more repetitions [2, 0.15]
#   BENCH_QUICK=1   smoke test: BENCH_SECONDS=3, BENCH_REPS=1, BENCH_WARMUP=1
#                   unless those are set
#   BENCH_CLIENTS   client counts ["1 8 32"]
#   BENCH_BATCHES   events per call ["1 10"]
#   BENCH_STREAMS   stream choice: random (any of the seeded streams) and/or
#                   hot (one of BENCH_HOT_STREAMS streams) ["random hot"]
#   BENCH_SIDES     what runs in each cell: ours, baseline, and the variants
#                   ours_ids (client-supplied event ids), ours_select (SELECT f()
#                   instead of SELECT * FROM f()), baseline_stream (the INSERT
#                   plus an UPDATE of a per-stream row) ["ours baseline"]
#   BENCH_WARMUP    seconds of warm-up per script before the first run [5]
#   BENCH_SEED_STREAMS, BENCH_SEED_EVENTS  the store every run starts from
#                   [100000 streams x 3 events]
#   BENCH_HOT_STREAMS  [4]
#   BENCH_DB        database, dropped and created [eventstore_bench]
#   BENCH_RESULTS   folder for the results [bench/results]
#   BENCH_NAME      results are BENCH_RESULTS/BENCH_NAME-<timestamp>.* [append]
#   BENCH_BASELINE  the committed results to compare with [bench/baseline/append.csv]
#   BENCH_UPDATE_BASELINE=1  write this run's medians to BENCH_BASELINE
#   BENCH_KEEP_LOGS=1  keep the pgbench per-transaction logs (in the work folder)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build}
case "$build" in /*) ;; *) build=$root/$build ;; esac

if [ -z "${PGHOST:-}" ] && [ -f "$build/cluster.env" ]; then
  # shellcheck disable=SC1091
  source "$build/cluster.env"
fi

if [ "${BENCH_QUICK:-0}" = 1 ]; then
  : "${BENCH_SECONDS:=3}" "${BENCH_REPS:=1}" "${BENCH_WARMUP:=1}"
fi
seconds=${BENCH_SECONDS:-15}
reps=${BENCH_REPS:-3}
warmup=${BENCH_WARMUP:-5}
clients_list=${BENCH_CLIENTS:-1 8 32}
batches=${BENCH_BATCHES:-1 10}
distributions=${BENCH_STREAMS:-random hot}
sides=${BENCH_SIDES:-ours baseline}
seed_streams=${BENCH_SEED_STREAMS:-100000}
seed_events=${BENCH_SEED_EVENTS:-3}
hot_streams=${BENCH_HOT_STREAMS:-4}
db=${BENCH_DB:-eventstore_bench}
results=${BENCH_RESULTS:-$root/bench/results}
baseline_file=${BENCH_BASELINE:-$root/bench/baseline/append.csv}

for tool in psql pgbench python3; do
  command -v "$tool" >/dev/null || { echo "append benchmark: $tool is missing" >&2; exit 1; }
done
case " $sides " in *" baseline "*) ;; *) echo "append benchmark: BENCH_SIDES must include baseline" >&2; exit 1 ;; esac

# Realistic payloads: ~300 bytes of JSON data, ~100 bytes of metadata, sent
# as bind parameters (pgbench -M prepared -D ...).
event_type=OrderPlaced
data='{"order_id": "ord-7f3c2a91", "customer": {"id": "cust-000451", "name": "Ada Lovelace"}, "lines": [{"sku": "SKU-10023", "qty": 2, "price": 12.50}, {"sku": "SKU-20417", "qty": 1, "price": 45.00}, {"sku": "SKU-33102", "qty": 3, "price": 7.25}], "currency": "EUR", "total": 91.75, "placed_at": "2024-05-17T10:21:33Z"}'
meta='{"correlation_id": "6f1c2e7a-3b4d-4c5e-9f60-718293a4b5c6", "causation_id": "9a8b7c6d", "user": "u-42"}'

stamp=$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$results"
work=$(mktemp -d "${TMPDIR:-/tmp}/eventstore-bench-append.XXXXXX")
if [ "${BENCH_KEEP_LOGS:-0}" != 1 ]; then trap 'rm -rf "$work"' EXIT; fi
raw=$work/raw.jsonl
: >"$raw"
cpus=$(nproc)

say() { printf '%s\n' "$*" >&2; }
sql() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }
value() { psql -X -At -v ON_ERROR_STOP=1 -d "$db" -c "$1"; }

say "append benchmark: ${seconds}s per run, $reps repetition(s), clients: $clients_list, events per call: $batches, streams: $distributions, sides: $sides"
say "server: ${PGHOST:-local}:${PGPORT:-5432}, database $db; work folder $work"

# 1. A fresh database holding the seed, and the baseline table (setup.sql checks its shape).
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" 2>&1 |
  grep -v 'does not exist, skipping' >&2 || true
sql -v seed_streams="$seed_streams" -v seed_events="$seed_events" -v event_type="$event_type" \
  -v data="$data" -v meta="$meta" -f "$here/setup.sql" >"$work/setup.log"
say "seeded: $(value "SELECT count(*) FROM bench_seed.streams") streams, $(value "SELECT count(*) FROM bench_seed.events") events"

# 2. The settings every table is recorded with.
setting() { value "SELECT current_setting('$1')"; }
git_commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$root" diff --quiet HEAD -- extension 2>/dev/null || git_commit="$git_commit+changes"
# What the server actually loads (the tree may hold other, uninstalled changes).
library=$(value "SELECT setting FROM pg_config WHERE name = 'PKGLIBDIR'")/pg_eventstore.so
library_id=$( (md5sum "$library" 2>/dev/null || echo "unreadable") | cut -c1-12)
python3 "$here/report.py" settings \
  --field timestamp_utc="$stamp" \
  --field server_version="$(setting server_version)" \
  --field shared_buffers="$(setting shared_buffers)" \
  --field fsync="$(setting fsync)" \
  --field synchronous_commit="$(setting synchronous_commit)" \
  --field full_page_writes="$(setting full_page_writes)" \
  --field wal_level="$(setting wal_level)" \
  --field max_wal_size="$(setting max_wal_size)" \
  --field wal_buffers="$(setting wal_buffers)" \
  --field commit_delay="$(setting commit_delay)" \
  --field pgbench="$(pgbench --version)" \
  --field mode="pgbench -M prepared -n, payloads as -D bind parameters" \
  --field duration_s="$seconds" \
  --field repetitions="$reps" \
  --field warmup_s="$warmup" \
  --field clients="$clients_list" \
  --field threads="min(clients, nproc)" \
  --field events_per_call="$batches" \
  --field streams="$distributions (random: any of the seeded streams; hot: $hot_streams streams)" \
  --field sides="$sides" \
  --field seed="$seed_streams streams x $seed_events events, reset before every run" \
  --field payload_bytes="data ${#data}, metadata ${#meta} (JSON text)" \
  --field nproc="$cpus" \
  --field memory="$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)" \
  --field cpu="$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)" \
  --field kernel="$(uname -r)" \
  --field commit="$git_commit" \
  --field extension_library="$library (md5 $library_id, $(date -u -r "$library" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null))" \
  >"$work/settings.json"

# 3. One measured run: reset the side's tables to the seed (which also
#    empties the other side's, vacuums, analyzes and checkpoints), then pgbench.
side_of() { case "$1" in ours*) echo ours ;; *) echo baseline ;; esac; }

pgbench_run() { # script seconds clients nstreams logprefix
  local clients=$3 threads=$3
  [ "$threads" -gt "$cpus" ] && threads=$cpus
  pgbench -n -M prepared -c "$clients" -j "$threads" -T "$2" -f "$here/$1.sql" \
    -D nstreams="$4" -D event_type="$event_type" -D data="$data" -D meta="$meta" \
    ${5:+--log --log-prefix="$5"} "$db"
}

# Other sessions busy on the server at the start and end of a run (the
# cluster is shared): recorded with each run, to explain outliers.
others_sql="SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND datname IS DISTINCT FROM '$db'"

nstreams_of() { if [ "$1" = hot ]; then echo "$hot_streams"; else echo "$seed_streams"; fi; }

run_one() { # rep side batch distribution clients
  local rep=$1 side=$2 batch=$3 dist=$4 clients=$5
  local name="r$rep-$side-$batch-$dist-c$clients" logdir
  logdir=$work/log-$name
  mkdir -p "$logdir"
  sql -f "$here/reset-$(side_of "$side").sql" >/dev/null
  local load_before lsn_before others_before rc=0
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  others_before=$(value "$others_sql")
  lsn_before=$(value "SELECT pg_current_wal_insert_lsn()")
  pgbench_run "$side-$batch" "$seconds" "$clients" "$(nstreams_of "$dist")" "$logdir/tx" \
    >"$work/$name.out" 2>&1 || rc=$?
  local wal_bytes
  wal_bytes=$(value "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '$lsn_before')")
  if [ "$rc" -ne 0 ] || ! grep -q '^tps = ' "$work/$name.out"; then
    say "pgbench failed ($name, exit $rc):"; tail -5 "$work/$name.out" >&2; return 1
  fi
  python3 "$here/report.py" summarize --output "$work/$name.out" --logs "$logdir" \
    --field rep="$rep" --field side="$side" --field events_per_call="$batch" --field streams="$dist" \
    --field clients="$clients" --field seconds="$seconds" --field wal_bytes="$wal_bytes" \
    --field library_md5="$( (md5sum "$library" 2>/dev/null || echo unreadable) | cut -c1-12)" \
    --field load_before="$load_before" --field load_after="$(cut -d' ' -f1 /proc/loadavg)" \
    --field others_active_before="$others_before" --field others_active_after="$(value "$others_sql")" \
    >>"$raw"
  [ "${BENCH_KEEP_LOGS:-0}" = 1 ] || rm -rf "$logdir"
  python3 -c 'import json,sys; r=json.loads(sys.stdin.readlines()[-1]); print("  %-9s %2s ev %-6s c=%-2s  %9.0f tps %9.0f ev/s  p50 %6.2f ms  p99 %6.2f ms  %5.0f B WAL/ev" % (r["side"], r["events_per_call"], r["streams"], r["clients"], r["tps"], r["events_per_s"], r["p50_ms"], r["p99_ms"], r["wal_bytes_per_event"]))' <"$raw" >&2
}

# The server is shared with test suites, one of which may crash it (it then
# restarts): wait for it and run the case again, BENCH_RETRIES times at most.
wait_for_server() {
  local i
  for ((i = 0; i < 120; i++)); do
    psql -X -At -d "$db" -c 'SELECT 1' >/dev/null 2>&1 && return 0
    sleep 1
  done
  say "the server did not come back"; return 1
}

run_with_retries() {
  local attempt rc
  for ((attempt = 0; attempt <= ${BENCH_RETRIES:-2}; attempt++)); do
    set +e
    (set -e; run_one "$@")
    rc=$?
    set -e
    [ "$rc" -eq 0 ] && return 0
    say "  run failed; waiting for the server, then again"
    wait_for_server
  done
  say "giving up after ${BENCH_RETRIES:-2} retries"; exit 1
}

# 4. Warm-up: every script once (file cache, shared buffers, the OS).
if [ "$warmup" -gt 0 ]; then
  say "warm-up: ${warmup}s per script"
  for batch in $batches; do
    for side in $sides; do
      sql -f "$here/reset-$(side_of "$side").sql" >/dev/null
      pgbench_run "$side-$batch" "$warmup" 8 "$seed_streams" "" >"$work/warmup.out" 2>&1 ||
        { cat "$work/warmup.out" >&2; exit 1; }
    done
  done
fi

# 5. The runs: per repetition, every cell; within a cell the sides run back to
#    back, their order rotating from one repetition to the next.
read -r -a side_array <<<"$sides"
for ((rep = 1; rep <= reps; rep++)); do
  say "repetition $rep/$reps"
  n=${#side_array[@]}
  order=()
  for ((i = 0; i < n; i++)); do order+=("${side_array[$(((i + rep - 1) % n))]}"); done
  for batch in $batches; do
    for dist in $distributions; do
      for clients in $clients_list; do
        for side in "${order[@]}"; do run_with_retries "$rep" "$side" "$batch" "$dist" "$clients"; done
      done
    done
  done
done

# 6. Cells whose paired ratios spread more than BENCH_SPREAD (max-min over
#    median) ran into a disturbance: up to BENCH_EXTRA_REPS more repetitions of
#    just those cells, so that their median has more pairs to stand on.
extra=${BENCH_EXTRA_REPS:-2}
for ((more = 1; more <= extra && reps > 1; more++)); do
  mapfile -t cells < <(python3 "$here/report.py" unstable --raw "$raw" --spread "${BENCH_SPREAD:-0.15}")
  [ ${#cells[@]} -gt 0 ] || break
  rep=$((reps + more))
  say "repetition $rep (extra) for ${#cells[@]} cell(s) whose ratios spread more than ${BENCH_SPREAD:-0.15}"
  order=()
  for ((i = 0; i < n; i++)); do order+=("${side_array[$(((i + rep - 1) % n))]}"); done
  for cell in "${cells[@]}"; do
    read -r batch dist clients <<<"$cell"
    for side in "${order[@]}"; do run_with_retries "$rep" "$side" "$batch" "$dist" "$clients"; done
  done
done

# 7. The table, the raw runs, the comparison with the committed baseline.
report_args=(report --raw "$raw" --settings "$work/settings.json" --out "$results/${BENCH_NAME:-append}-$stamp"
  --baseline "$baseline_file")
[ "${BENCH_UPDATE_BASELINE:-0}" = 1 ] && report_args+=(--update-baseline)
python3 "$here/report.py" "${report_args[@]}"
