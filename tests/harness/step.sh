#!/usr/bin/env bash
# One phase of `make test`, `make demo` and the like, quietly: prints "==> <title>",
# sends the command's output to a log file and shows that log's last lines only
# when the command fails. While a ninja build runs on a terminal, its progress
# ([done/total]) is kept on one line.
#
#   step.sh "<title>" <log file> command [arguments...]
set -uo pipefail

title=$1 log=$2
shift 2
echo "==> $title"
mkdir -p "$(dirname "$log")"
start=$(date +%s)

"$@" </dev/null >"$log" 2>&1 &
pid=$!
if [ -t 1 ]; then
  while kill -0 "$pid" 2>/dev/null; do
    progress=$(grep -oE '^\[[0-9]+/[0-9]+\]' "$log" 2>/dev/null | tail -n 1)
    [ -n "$progress" ] && printf '\r    %s ' "$progress"
    sleep 1
  done
  printf '\r\033[K'
fi
wait "$pid"
status=$?

if [ $status -ne 0 ]; then
  echo "==> FAILED: $title (exit status $status); the end of $log:" >&2
  tail -n "${STEP_LOG_LINES:-60}" "$log" >&2
  exit $status
fi
# ninja's steps, if this was a ninja build.
steps=$(grep -cE '^\[[0-9]+/[0-9]+\]' "$log" 2>/dev/null)
if [ "${steps:-0}" -gt 0 ]; then
  echo "    $steps build steps in $(($(date +%s) - start)) s"
elif [ $(($(date +%s) - start)) -ge 5 ]; then
  echo "    done in $(($(date +%s) - start)) s"
fi
