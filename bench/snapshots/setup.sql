-- Two streams: "long-1" with 1,000,000 events and a snapshot saved every 100
-- events as it grew (pruned to the newest eventstore.snapshots_to_keep), and
-- "short-1" with 100 events and no snapshot. The newest snapshot of "long-1"
-- is 100 events behind, so both loads return 100 events.
\set ON_ERROR_STOP on
CREATE EXTENSION pg_eventstore;
SELECT eventstore.append('short-1', -1, ARRAY(SELECT eventstore.event('Counted', jsonb_build_object('n', n)) FROM generate_series(0, 99) AS n));
SELECT format($$SELECT eventstore.append('long-1', -2, ARRAY(SELECT eventstore.event('Counted', jsonb_build_object('n', n)) FROM generate_series(%s, %s) AS n))$$,
              first, first + 9999)
FROM generate_series(0, 999999, 10000) AS first \gexec
SELECT format($$SELECT eventstore.save_snapshot('long-1', %s, jsonb_build_object('total', %s))$$, v, v)
FROM generate_series(99, 999899, 100) AS v \gexec
VACUUM ANALYZE eventstore.events;
VACUUM ANALYZE eventstore.snapshots;
SELECT count(*) AS long_events FROM eventstore.events e JOIN eventstore.streams s USING (stream_id) WHERE stream_name = 'long-1';
SELECT count(*) AS snapshots_kept FROM eventstore.snapshots;
