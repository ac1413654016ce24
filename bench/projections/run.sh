#!/usr/bin/env bash
# The projection rebuild benchmark (projection_rebuild.cpp): a read model
# rebuilt by ProjectionRunner against INSERT ... SELECT of the same table, in
# one run; medians of BENCH_REPS [3]. Writes bench/results/projections-<timestamp>.md.
#   BENCH_EVENTS [200000]  BENCH_ACCOUNTS [1000]  BENCH_PAGE_SIZE [1000]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build}
# shellcheck disable=SC1091
source "$build/cluster.env"
results=${BENCH_RESULTS:-$root/bench/results}
mkdir -p "$results"
out="$results/projections-$(date -u +%Y%m%d-%H%M%S).md"
{
  echo "# Projection rebuild, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Command: BENCH_EVENTS=${BENCH_EVENTS:-200000} BENCH_ACCOUNTS=${BENCH_ACCOUNTS:-1000} BENCH_PAGE_SIZE=${BENCH_PAGE_SIZE:-1000} BENCH_REPS=${BENCH_REPS:-3} bench/projections/run.sh"
  echo
  "$build/bench/projections/projection_rebuild" --events "${BENCH_EVENTS:-200000}" --accounts "${BENCH_ACCOUNTS:-1000}" \
    --page-size "${BENCH_PAGE_SIZE:-1000}" --reps "${BENCH_REPS:-3}"
} | tee "$out"
