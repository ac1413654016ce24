#!/usr/bin/env bash
# Where the time of an append goes, against the baseline INSERT: runs one
# case per side under pgbench and samples the whole machine with perf while
# it runs, then writes, per side, the top functions of the postgres backends
# (self time and inclusive), the WAL records the run wrote (pg_waldump
# --stats), and summary.md: CPU microseconds per transaction by function
# (perf_summary.py), side by side. Needs the database bench/append/run.sh leaves behind, perf
# (Debian linux-perf) and a server whose pg_wal this user can read.
#
#   bench/append/profile.sh [side ...]      sides: ours baseline ours_ids [ours baseline]
#
# Environment: PROFILE_EVENTS (events per call) [1], PROFILE_CLIENTS [8],
# PROFILE_STREAMS random|hot [random], PROFILE_SECONDS [10],
# PROFILE_OUT [bench/results/profile-<timestamp>], PROFILE_KEEP_DATA=1 keeps perf.data.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build}
case "$build" in /*) ;; *) build=$root/$build ;; esac
if [ -z "${PGHOST:-}" ] && [ -f "$build/cluster.env" ]; then
  # shellcheck disable=SC1091
  source "$build/cluster.env"
fi

db=${BENCH_DB:-eventstore_bench}
batch=${PROFILE_EVENTS:-1}
clients=${PROFILE_CLIENTS:-8}
dist=${PROFILE_STREAMS:-random}
seconds=${PROFILE_SECONDS:-10}
out=${PROFILE_OUT:-$root/bench/results/profile-$(date -u +%Y%m%d-%H%M%S)}
sides=("$@")
[ ${#sides[@]} -gt 0 ] || sides=(ours baseline)

command -v perf >/dev/null || { echo "perf is missing: apt-get install linux-perf" >&2; exit 1; }
perf stat -e cpu-clock true >/dev/null 2>&1 || { echo "perf cannot sample here (perf_event_paranoid?)" >&2; exit 1; }
psql -X -At -d "$db" -c "SELECT 1 FROM bench_seed.events LIMIT 1" >/dev/null ||
  { echo "run bench/append/run.sh first (it leaves the database $db)" >&2; exit 1; }

# The same payloads as run.sh.
event_type=OrderPlaced
data=$(sed -n "s/^data='\(.*\)'$/\1/p" "$here/run.sh")
meta=$(sed -n "s/^meta='\(.*\)'$/\1/p" "$here/run.sh")
nstreams=100000
[ "$dist" = hot ] && nstreams=${BENCH_HOT_STREAMS:-4}
threads=$clients
[ "$threads" -gt "$(nproc)" ] && threads=$(nproc)
data_dir=$(psql -X -At -d "$db" -c "SHOW data_directory")
mkdir -p "$out"
summary_args=()

for side in "${sides[@]}"; do
  reset=baseline
  case "$side" in ours*) reset=ours ;; esac
  psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$here/reset-$reset.sql" >/dev/null
  start_lsn=$(psql -X -At -d "$db" -c "SELECT pg_current_wal_insert_lsn()")
  pgbench -n -M prepared -c "$clients" -j "$threads" -T $((seconds + 2)) -f "$here/$side-$batch.sql" \
    -D nstreams="$nstreams" -D event_type="$event_type" -D data="$data" -D meta="$meta" "$db" \
    >"$out/$side.pgbench.txt" 2>&1 &
  bench_pid=$!
  sleep 1
  # This cluster's processes doing the work: the benchmark's backends and the
  # WAL writer, checkpointer and background writer (not other clusters' postgres).
  pids=$(psql -X -At -d "$db" -c "SELECT string_agg(pid::text, ',') FROM pg_stat_activity
    WHERE (datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid())
       OR backend_type IN ('walwriter', 'checkpointer', 'background writer')")
  perf record -q -F 999 -g -a -o "$out/$side.perf.data" -- sleep "$seconds" 2>/dev/null
  wait "$bench_pid"
  end_lsn=$(psql -X -At -d "$db" -c "SELECT pg_current_wal_insert_lsn()")
  transactions=$(sed -n 's/^number of transactions actually processed: //p' "$out/$side.pgbench.txt")

  {
    echo "# $side, $batch event(s) per call, $clients clients, $dist streams, ${seconds}s sampled"
    grep -E '^(tps|latency average|number of transactions actually)' "$out/$side.pgbench.txt"
    echo
    echo "## this cluster's backends of the run, WAL writer, checkpointer, bgwriter: self time by function"
    perf report -i "$out/$side.perf.data" --pid "$pids" --no-children --sort dso,symbol --percent-limit 0.7 \
      --stdio -g none 2>/dev/null | grep -v '^$'
    echo
    echo "## the same processes: inclusive time (children) by function"
    perf report -i "$out/$side.perf.data" --pid "$pids" --children --sort symbol --percent-limit 2 \
      --stdio -g none 2>/dev/null | grep -v '^$'
    echo
    echo "## all processes: share of samples by command"
    perf report -i "$out/$side.perf.data" --sort comm --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$'
    echo
    echo "## WAL written during the run ($start_lsn .. $end_lsn, $transactions transactions; whole cluster)"
    pg_waldump_bin=$(dirname "$(command -v pg_config 2>/dev/null || echo /usr/lib/postgresql/15/bin/pg_config)")/pg_waldump
    [ -x "$pg_waldump_bin" ] || pg_waldump_bin=/usr/lib/postgresql/15/bin/pg_waldump
    "$pg_waldump_bin" -p "$data_dir/pg_wal" -s "$start_lsn" -e "$end_lsn" --stats=record 2>/dev/null |
      awk 'NR <= 2 || $2 > 0' | head -40 || echo "(pg_waldump could not read $data_dir/pg_wal)"
  } >"$out/$side.txt"
  summary_args+=("$side=$out/$side.perf.data:$transactions:$pids")
  echo "written: $out/$side.txt" >&2
done

{
  echo "# CPU per transaction, $batch event(s) per call, $clients clients, $dist streams"
  echo
  python3 "$here/perf_summary.py" --hz 999 "${summary_args[@]}"
  echo
  for side in "${sides[@]}"; do
    echo "$side: $(grep '^tps' "$out/$side.pgbench.txt")"
  done
} >"$out/summary.md"
cat "$out/summary.md"
[ "${PROFILE_KEEP_DATA:-0}" = 1 ] || rm -f "$out"/*.perf.data
