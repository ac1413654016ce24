#!/usr/bin/env bash
# The subscription benchmarks (subscription_benchmark.cpp): catch-up against
# COPY TO STDOUT, live latency at a fixed append rate, and memory with a slow
# handler. Writes bench/results/subscriptions-<timestamp>.md.
#   BENCH_EVENTS [1000000]  BENCH_REPS [3]  BENCH_RATE [1000]  BENCH_SECONDS [20]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build}
# shellcheck disable=SC1091
source "$build/cluster.env"
results=${BENCH_RESULTS:-$root/bench/results}
mkdir -p "$results"
out="$results/subscriptions-$(date -u +%Y%m%d-%H%M%S).md"
{
  echo "# Subscriptions, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Command: BENCH_EVENTS=${BENCH_EVENTS:-1000000} BENCH_REPS=${BENCH_REPS:-3} BENCH_RATE=${BENCH_RATE:-1000} BENCH_SECONDS=${BENCH_SECONDS:-20} bench/subscriptions/run.sh"
  echo
  "$build/bench/subscriptions/subscription_benchmark" --events "${BENCH_EVENTS:-1000000}" --reps "${BENCH_REPS:-3}" \
    --rate "${BENCH_RATE:-1000}" --seconds "${BENCH_SECONDS:-20}"
} | tee "$out"
