#!/usr/bin/env bash
# The cache benchmark (cache_benchmark.cpp): Zipf(1.1) over 100,000 keys,
# level 1 at 10 % of their bytes; a redis-server of our own for the level-2
# figures (tests/harness/redis.sh), stopped afterwards. Not part of make test.
# BENCH_QUICK=1: a tenth of the requests.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
case "$build" in /*) ;; *) build=$root/$build ;; esac
requests=2000000
[ "${BENCH_QUICK:-0}" = 1 ] && requests=200000
stamp=$(date -u +%Y%m%d-%H%M%S)
out="$root/bench/results/cache-$stamp.md"
mkdir -p "$root/bench/results"
BUILD_DIR=$build "$root/tests/harness/redis.sh" start >/dev/null
trap 'BUILD_DIR=$build "$root/tests/harness/redis.sh" stop' EXIT
# shellcheck disable=SC1091
source "$build/redis.env"
{
  echo "# Cache, $stamp UTC"
  echo
  echo "$(nproc) CPUs, redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') on loopback; one thread."
  echo
  "$build/bench/cache/cache_benchmark" --keys 100000 --value-bytes 100 --zipf 1.1 --level1-share 0.10 \
    --requests "$requests" --redis-port "$EVENTSTORE_TEST_REDIS_PORT"
} | tee "$out"
