#!/usr/bin/env bash
# make bench: every benchmark suite, against the project's cluster (started
# and with the extension installed by the Makefile before this runs).
# Settings are environment variables; see each suite (bench/append/run.sh).
# Quick smoke test: BENCH_QUICK=1 make bench (3-second runs, one repetition).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

"$here/append/run.sh"
"$here/read/run.sh"
"$here/snapshots/run.sh"
"$here/pipeline/run.sh"
"$here/partitions/run.sh"
"$here/commands/run.sh"
"$here/cache/run.sh"
"$here/projections/run.sh"
"$here/subscriptions/run.sh"
"$here/subscriptions/append-wakeups.sh"
