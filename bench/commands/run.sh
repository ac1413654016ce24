#!/usr/bin/env bash
# Command processing through the framework: the orders sample's commands
# through the CommandBus and a Repository (load, decide, append) at 1, 8 and
# 64 threads, snapshots off and on, the repository's aggregate cache off and
# on (command_processing.cpp). Extra arguments go to the program, e.g.
# `--threads 8 --cache off,on`.
# BENCH_QUICK=1: one run of 3 s instead of BENCH_REPS (default 3) runs of 10 s.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
# shellcheck disable=SC1091
source "$build/cluster.env"
runs=${BENCH_REPS:-3}
seconds=10
if [ "${BENCH_QUICK:-0}" = 1 ]; then runs=1; seconds=3; fi
stamp=$(date -u +%Y%m%d-%H%M%S)
out="$root/bench/results/commands-$stamp"
mkdir -p "$root/bench/results"
{
  echo "# Command processing, $stamp UTC"
  echo
  echo "PostgreSQL $(psql -X -At -d postgres -c 'SHOW server_version'), shared_buffers $(psql -X -At -d postgres -c 'SHOW shared_buffers'),"
  echo "fsync $(psql -X -At -d postgres -c 'SHOW fsync'), synchronous_commit $(psql -X -At -d postgres -c 'SHOW synchronous_commit');"
  echo "$(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo); client and server on the same machine (loopback);"
  echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  "$build/bench/commands/command_processing" --runs "$runs" --seconds "$seconds" --json "$out.json" "$@"
  echo
  echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
} | tee "$out.md"
