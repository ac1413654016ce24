#!/usr/bin/env bash
# Loading with snapshots: load() of a 1,000,000-event stream that has a
# snapshot every 100 events, against load() of a 100-event stream without
# one, in the same run (and, for scale, a full replay of the long stream).
# pgbench, 1 client, BENCH_SECONDS (default 10) per script, median of
# BENCH_REPS (default 3); BENCH_QUICK=1 for one 3-second run.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/bench/snapshots"
# shellcheck disable=SC1091
source "${BUILD_DIR:-$root/build}/cluster.env"
pgbench=$(/usr/lib/postgresql/15/bin/pg_config --bindir)/pgbench
seconds=${BENCH_SECONDS:-10}
reps=${BENCH_REPS:-3}
if [ "${BENCH_QUICK:-0}" = 1 ]; then seconds=3; reps=1; fi
database=eventstore_snapshot_bench
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" -c "CREATE DATABASE $database"
echo "snapshot benchmark: writing 1,000,100 events and 10,000 snapshots..." >&2
psql -X -q -d "$database" -f "$here/setup.sql" >/dev/null

latency() {  # script -> median latency in ms over the repetitions
  local script=$1 values=()
  for _ in $(seq "$reps"); do
    values+=("$("$pgbench" -n -M prepared -c 1 -T "$seconds" -f "$here/$script" "$database" 2>/dev/null |
      awk '/latency average/ {print $4}')")
  done
  printf '%s\n' "${values[@]}" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}

short=$(latency load-short.sql)
long=$(latency load-long.sql)
replay=$(latency replay-long.sql)
stamp=$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$root/bench/results"
{
  echo "# Loading with snapshots, $stamp UTC"
  echo
  echo "pgbench -M prepared, 1 client, ${seconds} s per script, median of $reps; PostgreSQL $(psql -X -At -d postgres -c 'SHOW server_version'), $(nproc) CPUs."
  echo
  echo "| load | rows returned | latency ms |"
  echo "| --- | ---: | ---: |"
  echo "| 100-event stream, no snapshot | 100 | $short |"
  echo "| 1,000,000-event stream, snapshot every 100 events | 1 snapshot + 100 events | $long |"
  echo "| 1,000,000-event stream, replayed (state schema without snapshots) | 1,000,000 | $replay |"
  echo
  awk -v s="$short" -v l="$long" 'BEGIN {printf "long with snapshot / short: %.2fx\n", l / s}'
} | tee "$root/bench/results/snapshots-$stamp.md"
