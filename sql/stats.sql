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

-- An appending transaction in flight in this database holds the log back:
-- stats() names it (log_fence.sql has the transactions that do not).
CREATE EXTENSION dblink;
SELECT dblink_connect('holder', format('host=%s port=%s dbname=%s user=%s',
  coalesce(host(inet_server_addr()), 'localhost'), current_setting('port'), current_database(), current_user));
SELECT dblink_exec('holder', 'BEGIN');
SELECT * FROM dblink('holder', $$SELECT (eventstore.append('metric-9', -2, ARRAY[eventstore.event('Held', '{}')])).next_expected_version$$) AS t(version bigint);
SELECT s.log_fence <= h.log_transaction AS fence_held_back,
       s.oldest_transaction_pid = h.pid AS names_the_holder,
       s.fence_held_by AS held_by,
       s.oldest_transaction_age >= interval '0' AS has_age
FROM eventstore.stats() AS s,
     dblink('holder', 'SELECT pg_backend_pid(), max(transaction_id) FROM eventstore.events')
       AS h(pid integer, log_transaction xid8);
SELECT dblink_exec('holder', 'COMMIT');
SELECT dblink_disconnect('holder');
DROP EXTENSION dblink;
