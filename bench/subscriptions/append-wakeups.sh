#!/usr/bin/env bash
# What the readers' wake-up costs appenders: the append benchmark
# (bench/append/run.sh, ours against a plain INSERT) twice, while a reader
# sleeps in eventstore.wait_for_log in a loop in the benchmark's database:
#   on   the default: every appending transaction bumps the counter and
#        broadcasts, so the reader is woken again and again
#   off  PGOPTIONS='-c eventstore.log_wakeups=off' for the benchmark's
#        sessions: no broadcast (the reader only times out)
# Both write bench/results/append-wakeups-{on,off}-<timestamp>.*; this script
# prints the two tables and how often the reader was woken.
# Environment: as bench/append/run.sh; defaults here BENCH_DB [eventstore_bench_wakeups],
# BENCH_CLIENTS ["1 8 32"],
# BENCH_BATCHES [1], BENCH_STREAMS [random], BENCH_SECONDS [10].
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build}
case "$build" in /*) ;; *) build=$root/$build ;; esac
# shellcheck disable=SC1091
source "$build/cluster.env"
db=${BENCH_DB:-eventstore_bench_wakeups}
export BENCH_DB=$db
export BENCH_CLIENTS=${BENCH_CLIENTS:-1 8 32} BENCH_BATCHES=${BENCH_BATCHES:-1} BENCH_STREAMS=${BENCH_STREAMS:-random}
export BENCH_SECONDS=${BENCH_SECONDS:-10}
work=$(mktemp -d "${TMPDIR:-/tmp}/eventstore-bench-wakeups.XXXXXX")
waiter=
stop_waiter() {
  if [ -n "$waiter" ]; then
    kill -- "-$waiter" 2>/dev/null || true
    wait "$waiter" 2>/dev/null || true
    waiter=
  fi
}
trap 'stop_waiter; rm -rf "$work"' EXIT

# A reader that sleeps in wait_for_log, again as soon as it returns; it keeps
# trying until run.sh has made the database and installed the extension.
# One line of output per return.
start_waiter() {
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
  setsid bash -c "
    while :; do
      { echo 'SELECT eventstore.wait_for_log() AS seen \\gset'
        yes \$'SELECT eventstore.wait_for_log(:seen, 1000) AS seen \\\\gset\n\\\\echo w'; } |
        psql -X -q -v ON_ERROR_STOP=1 -d $db 2>/dev/null
      sleep 0.2
    done" >"$work/waiter-$1.out" &
  waiter=$!
}

for mode in on off; do
  start_waiter "$mode"
  if [ "$mode" = off ]; then
    PGOPTIONS='-c eventstore.log_wakeups=off' BENCH_NAME=append-wakeups-off "$root/bench/append/run.sh"
  else
    BENCH_NAME=append-wakeups-on "$root/bench/append/run.sh"
  fi
  stop_waiter
  echo "wake-ups $mode: the reader returned from wait_for_log $(grep -c '^w$' "$work/waiter-$mode.out" || true) times" >&2
done
