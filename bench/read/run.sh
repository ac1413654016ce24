#!/usr/bin/env bash
# Read throughput through the client against COPY of the same rows: a
# 100,000-event stream and a 1,000,000-event global log (read_throughput.cpp).
# BENCH_QUICK=1: one run instead of BENCH_REPS (default 3).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
# shellcheck disable=SC1091
source "$build/cluster.env"
runs=${BENCH_REPS:-3}
[ "${BENCH_QUICK:-0}" = 1 ] && runs=1
stamp=$(date -u +%Y%m%d-%H%M%S)
out="$root/bench/results/read-$stamp"
mkdir -p "$root/bench/results"
{
  echo "# Read throughput, $stamp UTC"
  echo
  echo "PostgreSQL $(psql -X -At -d postgres -c 'SHOW server_version'), shared_buffers $(psql -X -At -d postgres -c 'SHOW shared_buffers'),"
  echo "$(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo); median of $runs runs; the client in this"
  echo "process reads through libpq over loopback, COPY is read on a second connection of the same process."
  echo
  "$build/bench/read/read_throughput" --runs "$runs" --json "$out.json"
} | tee "$out.md"
