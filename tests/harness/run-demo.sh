#!/usr/bin/env bash
# `make demo`: a fresh demo database in the project's cluster (or the server of
# EVENTSTORE_DSN), then the sample applications against it: the quickstart
# and the orders domain.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
case "$build" in /*) ;; *) build=$root/$build ;; esac
# shellcheck disable=SC1091
source "$build/cluster.env"

database=eventstore_demo
PGOPTIONS="-c client_min_messages=warning" psql -X -q -d postgres -v ON_ERROR_STOP=1 \
  -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" -c "CREATE DATABASE $database"
psql -X -q -d "$database" -v ON_ERROR_STOP=1 -c "CREATE EXTENSION pg_eventstore"

echo "pg_eventstore demo: database $database on $PGHOST:$PGPORT"
echo
EVENTSTORE_DSN="$EVENTSTORE_BASE_DSN dbname=$database" "$build/client/examples/eventstore_quickstart"
echo
# The orders sample domain: commands through the bus from several threads, the
# read models fed live by a projection, and their rebuild as version 2.
EVENTSTORE_DSN="$EVENTSTORE_BASE_DSN dbname=$database" "$build/client/examples/orders/orders_demo"
echo
echo "Explore it yourself:  source $build/cluster.env && psql -d $database"
