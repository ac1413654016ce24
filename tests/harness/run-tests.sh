#!/usr/bin/env bash
# Runs test suites against the running cluster (cluster.sh start) and fails if
# any suite fails or the server log shows a crashed backend.
#
#   run-tests.sh all | format-check | unit | regress | isolation | client | cache | docs | package | e2e | tap | sanitize ...
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
case "$build" in /*) ;; *) build=$root/$build ;; esac
suites=("$@")
[ ${#suites[@]} -eq 0 ] || [ "${suites[0]}" = all ] && suites=(format-check unit regress isolation client cache docs package e2e tap sanitize)

# Every suite but format-check and cache needs the cluster (or the server of EVENTSTORE_DSN).
if [ -f "$build/cluster.env" ]; then
  # shellcheck disable=SC1091
  source "$build/cluster.env"
elif [ "${suites[*]}" != format-check ] && [ "${suites[*]}" != cache ]; then
  echo "run-tests: $build/cluster.env is missing: start the cluster first (make cluster)" >&2
  exit 1
fi
EVENTSTORE_SERVER_LOG=${EVENTSTORE_SERVER_LOG:-}
pg_bin=$(/usr/lib/postgresql/15/bin/pg_config --bindir)
pgxs_dir=$(dirname "$(/usr/lib/postgresql/15/bin/pg_config --pgxs)")/..
connection=(--host="${PGHOST:-}" --port="${PGPORT:-}" --user="${PGUSER:-}")

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

# The unit and client tests again, built with AddressSanitizer (leaks included) and
# UndefinedBehaviorSanitizer in a build directory of their own, against the same cluster.
# Each test program runs once as a whole (not a process per test, as ctest would): the
# sanitizers' start-up costs half a second a process. (Nor are the tests listed at build
# time: PRE_TEST discovery leaves the programs unrun until here.) Line tables (-g1) are
# all the sanitizers' reports need, and compile faster than full debug information.
run_sanitize() {
  local sanitize=$build/sanitize status=0 program
  "$root/tests/harness/step.sh" "configuring $sanitize (ASan and UBSan)" "$build/logs/sanitize-configure.log" \
    cmake -S "$root" -B "$sanitize" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DEVENTSTORE_SANITIZE=ON \
    -DEVENTSTORE_BUILD_BENCHMARKS=OFF -DEVENTSTORE_BUILD_EXAMPLES=OFF \
    -DCMAKE_GTEST_DISCOVER_TESTS_DISCOVERY_MODE=PRE_TEST || return 1
  "$root/tests/harness/step.sh" "building the unit and client tests with ASan and UBSan" "$build/logs/sanitize-build.log" \
    cmake --build "$sanitize" --target eventstore_unit_tests eventstore_client_tests eventstore_conformance_tests ||
    return 1
  local asan_options=detect_leaks=1:check_initialization_order=1
  for program in tests/unit/eventstore_unit_tests tests/client/eventstore_client_tests \
    tests/client/conformance/eventstore_conformance_tests; do
    echo "--- $program"
    ASAN_OPTIONS=${ASAN_OPTIONS:-$asan_options} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
      "$sanitize/$program" --gtest_brief=1 || status=1
  done
  return $status
}

# The documentation's blocks are built first on every core (a block that does not
# compile is left for its own test to build again and report), then tested one by one.
run_docs() {
  mkdir -p "$build/logs"
  cmake --build "$build" --target docs_blocks -- -k 0 >"$build/logs/docs-blocks.log" 2>&1 || true
  run_ctest_label docs
}

# The cache's Redis tests (label cache) against a redis-server of our own
# (tests/harness/redis.sh), started for the suite and stopped after it.
run_cache() {
  local status=0
  BUILD_DIR=$build "$root/tests/harness/redis.sh" start || return 1
  # shellcheck disable=SC1091
  source "$build/redis.env"
  run_ctest_label cache || status=1
  BUILD_DIR=$build "$root/tests/harness/redis.sh" stop
  return $status
}

run_format_check() {
  "$root/tests/harness/format.sh" check
}

run_tap() {
  BUILD_DIR=$build "$root/tests/tap/run.sh"
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
    unit | client | package | e2e) run_ctest_label "$suite" ;;
    docs) run_docs ;;
    tap) run_tap ;;
    sanitize) run_sanitize ;;
    cache) run_cache ;;
    format-check) run_format_check ;;
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
