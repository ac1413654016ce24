#!/usr/bin/env bash
# The concurrency proofs and the SQL tests again, on a store partitioned by
# month: every isolation spec, and the regression tests that do not depend on
# the layout, each against a database where eventstore.use_monthly_partitions()
# ran right after CREATE EXTENSION, with the same expected output as on the
# default layout. Months reach from two months back to three ahead, so that
# the merges across partitions are exercised on every read.
#
# Left out: the regression tests `extension` (it creates the extension),
# `partitions` (it chooses layouts itself), `indexes` (its EXPLAIN output names
# the partitions), and the isolation specs `event_id_across_partitions` (it
# switches layouts itself) and `drop_extension_in_flight` (it drops the
# extension and installs it again in the default layout).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
case "$build" in /*) ;; *) build=$root/$build ;; esac
: "${PGHOST:?run through tests/harness/run-tests.sh (cluster.env)}"
pg_bin=$(/usr/lib/postgresql/15/bin/pg_config --bindir)
pgxs_dir=$(dirname "$(/usr/lib/postgresql/15/bin/pg_config --pgxs)")/..
connection=(--host="$PGHOST" --port="$PGPORT" --user="$PGUSER")

monthly_database() {
  psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
  psql -X -q -v ON_ERROR_STOP=1 -d "$1" -c "CREATE EXTENSION pg_eventstore" \
    -c "SELECT eventstore.use_monthly_partitions(3, (now() - interval '2 months')::date)" >/dev/null
}

status=0
monthly_database eventstore_isolation_monthly
specs=()
mapfile -t specs < <(cd "$root/tests/isolation/specs" && ls ./*.spec | sed 's|^\./||; s|\.spec$||' |
  grep -vxE 'event_id_across_partitions|drop_extension_in_flight')
mkdir -p "$build/isolation-monthly"
"$pgxs_dir/test/isolation/pg_isolation_regress" --inputdir="$root/tests/isolation" \
  --outputdir="$build/isolation-monthly" --bindir="$pg_bin" "${connection[@]}" \
  --use-existing --dbname=eventstore_isolation_monthly "${specs[@]}" ||
  { head -200 "$build/isolation-monthly/regression.diffs" 2>/dev/null; status=1; }

monthly_database eventstore_regression_monthly
tests=()
mapfile -t tests < <(sed -n 's/^test: //p' "$root/sql/schedule" | tr ' ' '\n' | grep -vxE 'extension|partitions|indexes')
mkdir -p "$build/regress-monthly"
"$pgxs_dir/test/regress/pg_regress" --inputdir="$root" --outputdir="$build/regress-monthly" \
  --bindir="$pg_bin" "${connection[@]}" --use-existing --dbname=eventstore_regression_monthly "${tests[@]}" ||
  { head -200 "$build/regress-monthly/regression.diffs" 2>/dev/null; status=1; }

# The layout held throughout: the partitions are there and took the events.
for database in eventstore_isolation_monthly eventstore_regression_monthly; do
  months=$(psql -X -At -d "$database" -c "SELECT count(*) FROM eventstore.event_partitions() WHERE NOT is_default")
  in_default=$(psql -X -At -d "$database" -c "SELECT count(*) FROM eventstore.events_default")
  echo "$database: $months monthly partitions, $in_default events in the default partition"
  [ "$months" -ge 6 ] && [ "$in_default" -eq 0 ] || status=1
done
exit $status
