#!/usr/bin/env bash
# Reader lag with an idle writer open: one session writes a row (not an
# event) and keeps its transaction open for LAG_IDLE_SECONDS; meanwhile an
# appender appends one event every 100 ms (its payload carries the wall-clock
# time of the append) and a reader follows read_all from its checkpoint every
# 100 ms. Prints, for each fence source, how late the reader saw the events
# (median and maximum, seconds) and how many it saw while the idle writer was
# open. With 'appenders' (the library preloaded) the idle writer holds nobody
# back; with 'transactions' (release 0.2's rule) the reader waits for it.
#
# Environment: LAG_IDLE_SECONDS [60], LAG_DB [eventstore_lag]; the server of
# PGHOST/PGPORT (or build/cluster.env).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ -z "${PGHOST:-}" ] && [ -f "${BUILD_DIR:-$root/build}/cluster.env" ]; then
  # shellcheck disable=SC1091
  source "${BUILD_DIR:-$root/build}/cluster.env"
fi
idle_seconds=${LAG_IDLE_SECONDS:-60}
database=${LAG_DB:-eventstore_lag}

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $database" -c "CREATE DATABASE $database" >/dev/null
psql -X -q -d "$database" -c "CREATE EXTENSION pg_eventstore" -c "CREATE TABLE outbox (note text)" >/dev/null

measure() {
  local source=$1
  psql -X -q -d "$database" -c "ALTER DATABASE $database SET eventstore.log_fence_source = '$source'" >/dev/null
  local lags
  lags=$(mktemp)
  # The idle writer: a row written, the transaction left open.
  psql -X -q -d "$database" -c "BEGIN" -c "INSERT INTO outbox VALUES ('idle writer')" \
    -c "SELECT pg_sleep($idle_seconds)" -c "COMMIT" >/dev/null &
  local writer=$!
  sleep 0.5
  # The appender.
  (
    end=$((SECONDS + idle_seconds - 1))
    while [ $SECONDS -lt $end ]; do
      psql -X -q -At -d "$database" -c "SELECT 1 FROM eventstore.append('lag-$source', -2,
        ARRAY[eventstore.event('Tick', jsonb_build_object('t', extract(epoch FROM clock_timestamp())))])" >/dev/null
      sleep 0.1
    done
  ) &
  local appender=$!
  # The reader, until the idle writer ends.
  local after_transaction=NULL after_position=NULL
  while kill -0 "$writer" 2>/dev/null; do
    local page
    page=$(psql -X -q -At -F ' ' -d "$database" -c "
      SELECT transaction_id, position, extract(epoch FROM clock_timestamp()) - (data->>'t')::float8
      FROM eventstore.read_all($after_transaction, $after_position, 1000, ARRAY['Tick'])
      WHERE stream_name = 'lag-$source'")
    if [ -n "$page" ]; then
      echo "$page" | awk '{print $3}' >>"$lags"
      local last
      last=$(echo "$page" | tail -1)
      after_transaction="'$(echo "$last" | awk '{print $1}')'"
      after_position=$(echo "$last" | awk '{print $2}')
    fi
    sleep 0.1
  done
  wait "$appender" || true
  local appended
  appended=$(psql -X -q -At -d "$database" -c "SELECT count(*) FROM eventstore.events e JOIN eventstore.streams s USING (stream_id) WHERE s.stream_name = 'lag-$source'")
  sort -g "$lags" | awk -v source="$source" -v appended="$appended" '
    { lag[NR] = $1 }
    END {
      if (NR == 0) { printf "| %s | %d | 0 | - | - |\n", source, appended; exit }
      printf "| %s | %d | %d | %.2f | %.2f |\n", source, appended, NR, lag[int((NR + 1) / 2)], lag[NR]
    }'
  rm -f "$lags"
}

echo "reader lag with a ${idle_seconds} s idle writer open (server $PGHOST:$PGPORT)"
echo
echo "| fence source | appended | seen while the writer was open | median lag (s) | max lag (s) |"
echo "| --- | ---: | ---: | ---: | ---: |"
measure appenders
measure transactions
psql -X -q -d postgres -c "DROP DATABASE $database" >/dev/null
