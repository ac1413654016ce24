#!/usr/bin/env bash
# The subscription benchmarks (subscription_benchmark.cpp): catch-up against
# COPY TO STDOUT of the same rows, live latency at a fixed append rate with
# and without the wake-up, and resident memory with a slow handler. Writes
# bench/results/subscriptions-<timestamp>.md.
#
# Environment (defaults in brackets):
#   BENCH_EVENTS      events in the log [1000000]
#   BENCH_REPS        repetitions of each catch-up cell [3]
#   BENCH_PAGE_SIZES  catch-up page sizes [500,2000,5000]
#   BENCH_RATE        appends/s of the latency runs [1000]
#   BENCH_SECONDS     seconds of each latency run [20]
#   BENCH_SLOW_SECONDS  seconds of each memory run [20]
#   BENCH_PHASES      [catchup,latency,memory]
#   BENCH_QUICK=1     smoke test: 100,000 events, 1 repetition, 5-second runs
#   BENCH_RESULTS     folder for the results [bench/results]
#   BENCH_BINARY      the program [$BUILD_DIR/bench/subscriptions/subscription_benchmark]
# The append benchmark with and without the wake-up is append-wakeups.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build}
case "$build" in /*) ;; *) build=$root/$build ;; esac
# shellcheck disable=SC1091
source "$build/cluster.env"
if [ "${BENCH_QUICK:-0}" = 1 ]; then
  : "${BENCH_EVENTS:=100000}" "${BENCH_REPS:=1}" "${BENCH_SECONDS:=5}" "${BENCH_SLOW_SECONDS:=5}"
fi
events=${BENCH_EVENTS:-1000000}
reps=${BENCH_REPS:-3}
page_sizes=${BENCH_PAGE_SIZES:-500,2000,5000}
rate=${BENCH_RATE:-1000}
seconds=${BENCH_SECONDS:-20}
slow_seconds=${BENCH_SLOW_SECONDS:-20}
phases=${BENCH_PHASES:-catchup,latency,memory}
results=${BENCH_RESULTS:-$root/bench/results}
mkdir -p "$results"
stamp=$(date -u +%Y%m%d-%H%M%S)
out="$results/subscriptions-$stamp.md"
{
  echo "# Subscriptions, $stamp UTC"
  echo
  echo "PostgreSQL $(psql -X -At -d postgres -c 'SHOW server_version'), shared_buffers $(psql -X -At -d postgres -c 'SHOW shared_buffers'),"
  echo "fsync $(psql -X -At -d postgres -c 'SHOW fsync'), synchronous_commit $(psql -X -At -d postgres -c 'SHOW synchronous_commit'),"
  echo "shared_preload_libraries '$(psql -X -At -d postgres -c 'SHOW shared_preload_libraries')'; $(nproc) CPUs,"
  echo "$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo); commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)."
  echo "Events: ~300 B data, ~100 B metadata (jsonb), appended 1,000 per call over 200 streams."
  echo
  echo "Command: BENCH_EVENTS=$events BENCH_REPS=$reps BENCH_PAGE_SIZES=$page_sizes BENCH_RATE=$rate BENCH_SECONDS=$seconds BENCH_SLOW_SECONDS=$slow_seconds BENCH_PHASES=$phases bench/subscriptions/run.sh"
  echo
  "${BENCH_BINARY:-$build/bench/subscriptions/subscription_benchmark}" --events "$events" --reps "$reps" --page-sizes "$page_sizes" \
    --rate "$rate" --seconds "$seconds" --slow-seconds "$slow_seconds" --phases "$phases"
} | tee "$out"
echo "subscriptions: wrote $out" >&2
