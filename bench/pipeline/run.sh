#!/usr/bin/env bash
# What pipelined appends buy (pipelined_appends.cpp): N threads append single
# events through one Client with pipelining off and on, back to back in each
# repetition, on the loopback and through a relay that adds latency each way,
# with synchronous_commit on (the disk's flush in every commit) and off (round
# trips alone). Writes bench/results/pipeline-<UTC time>.txt: the settings,
# one table per combination and every measurement.
#
# Environment (defaults in brackets):
#   BENCH_SECONDS   seconds per measurement [5]
#   BENCH_WARMUP    seconds of warm-up before each measurement [2]
#   BENCH_REPS      repetitions (median; on and off once each per repetition) [3]
#   BENCH_QUICK=1   smoke test: 3 s, 1 repetition, 1 s of warm-up unless set
#   BENCH_PIPELINE_THREADS  appending threads [1,8,64]
#   BENCH_PIPELINE_DELAYS   one-way delays in microseconds, 0 = loopback ["0 500 2000"]
#   BENCH_PIPELINE_SYNC     synchronous_commit of the appending sessions ["on off"]
#   BENCH_PIPELINE_POOLS    pool size:pipelined sending connections ["10:10"]
#   BENCH_RESULTS   folder for the results [bench/results]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build}
case "$build" in /*) ;; *) build=$root/$build ;; esac
if [ -z "${EVENTSTORE_BASE_DSN:-}" ] && [ -f "$build/cluster.env" ]; then
  # shellcheck disable=SC1091
  source "$build/cluster.env"
fi
program=$build/bench/pipeline/pipelined_appends
[ -x "$program" ] || { echo "pipeline benchmark: $program is not built" >&2; exit 1; }

if [ "${BENCH_QUICK:-0}" = 1 ]; then
  : "${BENCH_SECONDS:=3}" "${BENCH_REPS:=1}" "${BENCH_WARMUP:=1}"
fi
seconds=${BENCH_SECONDS:-5}
warmup=${BENCH_WARMUP:-2}
reps=${BENCH_REPS:-3}
threads=${BENCH_PIPELINE_THREADS:-1,8,64}
delays=${BENCH_PIPELINE_DELAYS:-0 500 2000}
syncs=${BENCH_PIPELINE_SYNC:-on off}
pools=${BENCH_PIPELINE_POOLS:-10:10}
results=${BENCH_RESULTS:-$root/bench/results}

stamp=$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$results"
out=$results/pipeline-$stamp.txt
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT

{
  echo "# Pipelined appends, $stamp UTC"
  echo
  echo "$(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo);" \
    "shared_buffers $(psql -X -At -d postgres -c 'SHOW shared_buffers')."
  echo "Command: BENCH_SECONDS=$seconds BENCH_WARMUP=$warmup BENCH_REPS=$reps BENCH_PIPELINE_THREADS=$threads" \
    "BENCH_PIPELINE_DELAYS=\"$delays\" BENCH_PIPELINE_SYNC=\"$syncs\" BENCH_PIPELINE_POOLS=\"$pools\" bench/pipeline/run.sh"
  echo "Load before: $(uptime)"
  for pool in $pools; do
    for sync in $syncs; do
      for delay in $delays; do
        echo
        echo "## pool ${pool%%:*}, pipelined on ${pool##*:}, synchronous_commit $sync, one-way delay $delay us"
        echo
        echo "### pool ${pool%%:*}:${pool##*:}, sync $sync, delay $delay us" >>"$raw"
        "$program" --runs "$reps" --seconds "$seconds" --warmup-seconds "$warmup" --threads "$threads" \
          --pool-size "${pool%%:*}" --pipeline-connections "${pool##*:}" --one-way-delay-us "$delay" \
          --synchronous-commit "$sync" 2>>"$raw"
      done
    done
  done
  echo
  echo "Load after: $(uptime)"
  echo
  echo "## Every measurement"
  echo
  grep -v '^NOTICE' "$raw"
} | tee "$out"
echo "pipeline benchmark: wrote $out" >&2
