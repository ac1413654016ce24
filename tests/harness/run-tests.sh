#!/usr/bin/env bash
# Runs test suites against the running cluster (cluster.sh start) and fails if
# any suite fails or the server log shows a crashed backend.
#
#   run-tests.sh all | regress | isolation | unit | client | e2e | tap ...
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
case "$build" in /*) ;; *) build=$root/$build ;; esac
# shellcheck disable=SC1091
source "$build/cluster.env"
pg_bin=$(/usr/lib/postgresql/15/bin/pg_config --bindir)
pgxs_dir=$(dirname "$(/usr/lib/postgresql/15/bin/pg_config --pgxs)")/..
connection=(--host="$PGHOST" --port="$PGPORT" --user="$PGUSER")

suites=("$@")
[ ${#suites[@]} -eq 0 ] || [ "${suites[0]}" = all ] && suites=(unit regress isolation client e2e tap)

log_offset=0
if [ -n "$EVENTSTORE_SERVER_LOG" ] && [ -f "$EVENTSTORE_SERVER_LOG" ]; then
  log_offset=$(stat -c %s "$EVENTSTORE_SERVER_LOG")
fi

# pg_regress: sql/ and expected/, in the order of sql/schedule, which must list every test.
run_regress() {
  local file name missing=0
  for file in "$root"/sql/*.sql; do
    name=$(basename "$file" .sql)
    if ! grep -qE "^test: .*\b$name\b" "$root/sql/schedule"; then
      echo "regress: sql/$name.sql is not in sql/schedule" >&2
      missing=1
    fi
  done
  [ $missing -eq 0 ] || return 1
  mkdir -p "$build/regress"
  "$pgxs_dir/test/regress/pg_regress" --inputdir="$root" --outputdir="$build/regress" \
    --bindir="$pg_bin" "${connection[@]}" --dbname=eventstore_regression \
    --schedule="$root/sql/schedule" || { cat "$build/regress/regression.diffs" 2>/dev/null | head -200; return 1; }
}

run_isolation() {
  local specs=()
  mapfile -t specs < <(cd "$root/tests/isolation/specs" && ls ./*.spec | sed 's|^\./||; s|\.spec$||')
  mkdir -p "$build/isolation"
  "$pgxs_dir/test/isolation/pg_isolation_regress" --inputdir="$root/tests/isolation" \
    --outputdir="$build/isolation" --bindir="$pg_bin" "${connection[@]}" \
    --dbname=eventstore_isolation --load-extension=pg_eventstore "${specs[@]}" ||
    { cat "$build/isolation/regression.diffs" 2>/dev/null | head -200; return 1; }
}

run_ctest_label() {
  ctest --test-dir "$build" -L "^$1\$" --output-on-failure --no-tests=error
}

run_tap() {
  "$root/tests/tap/run.sh"
}

# A backend that crashed makes the postmaster log "terminated by signal" and restart everyone.
check_server_log() {
  [ -n "$EVENTSTORE_SERVER_LOG" ] && [ -f "$EVENTSTORE_SERVER_LOG" ] || return 0
  local crashes
  crashes=$(tail -c +"$((log_offset + 1))" "$EVENTSTORE_SERVER_LOG" |
    grep -E "terminated by signal|was terminated by exception|PANIC:|TRAP:|server process .* exited with exit code [^01]" || true)
  if [ -n "$crashes" ]; then
    echo "server log shows crashed backends:" >&2
    echo "$crashes" | head -20 >&2
    return 1
  fi
}

failed=()
for suite in "${suites[@]}"; do
  echo "=== $suite"
  start=$(date +%s)
  case "$suite" in
    regress) run_regress ;;
    isolation) run_isolation ;;
    unit | client | e2e) run_ctest_label "$suite" ;;
    tap) run_tap ;;
    *) echo "unknown suite $suite" >&2; false ;;
  esac
  status=$?
  echo "=== $suite: $([ $status -eq 0 ] && echo passed || echo FAILED) in $(($(date +%s) - start)) s"
  [ $status -eq 0 ] || failed+=("$suite")
done

echo "=== server log"
check_server_log || failed+=("server-log")

if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all passed: ${suites[*]}"
