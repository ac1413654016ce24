-- Operator views: sizes and counts, counters since start (the test cluster
-- preloads the library), and the transaction that holds log readers back.
SELECT count(*) AS appended FROM (
  SELECT eventstore.append('metric-' || g, -1, ARRAY[eventstore.event('Measured', jsonb_build_object('v', g)),
                                                     eventstore.event('Calibrated', '{}')])
  FROM generate_series(1, 3) AS g) AS appends;

SELECT s.streams = (SELECT count(*) FROM eventstore.streams) AS streams_counted,
       s.events = (SELECT count(*) FROM eventstore.events) AS events_counted,
       s.snapshots = (SELECT count(*) FROM eventstore.snapshots) AS snapshots_counted,
       s.bytes > 0 AS sized,
       s.appends_since_start > 0 AS appends_counted,
       s.events_appended_since_start >= s.appends_since_start AS events_counted_too,
       s.conflicts_since_start > 0 AS conflicts_counted,
       s.log_fence = eventstore.log_fence() AS fence
FROM eventstore.stats() AS s;

-- A conflict counts.
CREATE TEMP TABLE conflicts_before AS SELECT conflicts FROM eventstore.counters();
SELECT eventstore.append('metric-1', 0, ARRAY[eventstore.event('Late', '{}')]);
SELECT c.conflicts - b.conflicts AS new_conflicts FROM eventstore.counters() AS c, conflicts_before AS b;

SELECT category, streams, events FROM eventstore.category_stats WHERE category = 'metric';
SELECT event_type, events, payload_bytes > 0 AS sized FROM eventstore.event_type_stats
WHERE event_type IN ('Measured', 'Calibrated') ORDER BY event_type;

-- A transaction in flight in this database holds the log back: stats() names
-- it (or one older still: autovacuum may hold a transaction id for a moment).
CREATE EXTENSION dblink;
SELECT dblink_connect('holder', format('host=%s port=%s dbname=%s user=%s',
  coalesce(host(inet_server_addr()), 'localhost'), current_setting('port'), current_database(), current_user));
SELECT dblink_exec('holder', 'BEGIN'), dblink_exec('holder', 'CREATE TEMP TABLE holding_an_xid (x int)');
SELECT s.log_fence <= h.xid AS fence_held_back,
       s.oldest_transaction_pid IS NOT NULL AS names_a_holder,
       s.oldest_transaction_pid = h.pid OR s.log_fence < h.xid AS names_the_oldest,
       s.oldest_transaction_age >= interval '0' AS has_age
FROM eventstore.stats() AS s,
     dblink('holder', 'SELECT pg_backend_pid(), pg_current_xact_id()') AS h(pid integer, xid xid8);
SELECT dblink_exec('holder', 'COMMIT');
SELECT dblink_disconnect('holder');
DROP EXTENSION dblink;
