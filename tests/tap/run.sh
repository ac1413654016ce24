#!/usr/bin/env bash
# Runs the TAP tests (tests/tap/t/*.pl) with PostgreSQL's own test modules.
# Each test creates and crashes clusters of its own; initdb refuses root, so
# as root the tests run as the postgres user, from a copy in a folder it owns.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
bindir=$(/usr/lib/postgresql/15/bin/pg_config --bindir)
pgxs=$(dirname "$(/usr/lib/postgresql/15/bin/pg_config --pgxs)")/..
work=$(mktemp -d /tmp/pg_eventstore-tap.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -r "$root/tests/tap/t" "$work/t"

# EVENTSTORE_BUILD_DIR: where tests find the project's programs (the projection worker).
build=${BUILD_DIR:-$root/build}
case "$build" in /*) ;; *) build=$root/$build ;; esac
environment=(TESTDIR="$work" PATH="$bindir:$PATH" PERL5LIB="$pgxs/test/perl" EVENTSTORE_BUILD_DIR="$build"
             PG_REGRESS="$pgxs/test/regress/pg_regress" PG_TEST_EXTRA="${PG_TEST_EXTRA:-}" PROVE_FLAGS="${PROVE_FLAGS:-}")
status=0
if [ "$(id -u)" -eq 0 ]; then
  chown -R postgres: "$work"
  (cd "$work" && runuser -u postgres -- env "${environment[@]}" prove ${PROVE_FLAGS:-} --timer t/*.pl) || status=$?
else
  (cd "$work" && env "${environment[@]}" prove ${PROVE_FLAGS:-} --timer t/*.pl) || status=$?
fi
if [ $status -ne 0 ]; then
  for log in "$work"/tmp_check/log/*; do echo "----- $log"; tail -40 "$log"; done
fi
exit $status
