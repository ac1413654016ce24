-- Monthly partitions: choosing the layout (admin only, empty store only),
-- routing appends to the month of their transaction, every read across
-- partitions, retention (detach and drop), the SQLSTATEs of misuse, and
-- DROP EXTENSION with partitions attached and detached. Months are UTC months;
-- the results below do not depend on the day the test runs.
CREATE FUNCTION pg_temp.outcome(statement text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE statement;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
-- The partition of the month `months_back` months before the current one.
CREATE FUNCTION pg_temp.month_partition(months_back integer) RETURNS text LANGUAGE sql AS $$
  SELECT 'events_p' || to_char(date_trunc('month', now() AT TIME ZONE 'UTC') - make_interval(months => months_back), 'YYYYMM')
$$;

-- The store the earlier tests left has events: the layout can no longer change.
SELECT count(*) > 0 AS has_events FROM eventstore.events;
SELECT pg_temp.outcome($$SELECT eventstore.use_monthly_partitions()$$);
SELECT pg_temp.outcome($$SELECT * FROM eventstore.maintain_partitions()$$);
SELECT partition_name, from_time, to_time, is_default FROM eventstore.event_partitions();

DROP EXTENSION pg_eventstore;
CREATE EXTENSION pg_eventstore;

-- Bad arguments, and who may choose the layout.
SELECT pg_temp.outcome($$SELECT eventstore.use_monthly_partitions(0)$$);
SELECT pg_temp.outcome($$SELECT eventstore.use_monthly_partitions(121)$$);
SELECT pg_temp.outcome($$SELECT eventstore.use_monthly_partitions(NULL)$$);
SELECT pg_temp.outcome($$SELECT eventstore.use_monthly_partitions(3, '2999-01-01')$$);
SET ROLE eventstore_writer;
SELECT pg_temp.outcome($$SELECT eventstore.use_monthly_partitions()$$);
SELECT pg_temp.outcome($$SELECT * FROM eventstore.maintain_partitions()$$);
SELECT pg_temp.outcome($$SELECT eventstore.create_month_partition(now())$$);
SELECT count(*) FROM eventstore.event_partitions();
RESET ROLE;

-- Five months back to two ahead: eight months.
SET ROLE eventstore_admin;
SELECT eventstore.use_monthly_partitions(2, (now() - interval '5 months')::date) AS created;
RESET ROLE;
SELECT pg_temp.outcome($$SELECT eventstore.use_monthly_partitions()$$);
SELECT count(*) FILTER (WHERE NOT is_default) AS months, count(*) FILTER (WHERE is_default) AS defaults,
       bool_and(is_default OR to_time = ((from_time AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC') AS whole_months,
       min(partition_name) FILTER (WHERE NOT is_default) = pg_temp.month_partition(5) AS oldest_ok,
       max(partition_name) = pg_temp.month_partition(-2) AS newest_ok
FROM eventstore.event_partitions();
-- Every month has the unique keys and indexes of the default partition.
SELECT count(*) AS partitions_with_all_indexes FROM pg_class c
WHERE c.relname LIKE 'events_p%' AND c.relispartition
  AND (SELECT count(*) FROM pg_index i WHERE i.indrelid = c.oid) = 7
  AND (SELECT count(*) FROM pg_index i WHERE i.indrelid = c.oid AND i.indisunique) = 3;

-- Appends go to the partition of the current month.
SELECT next_expected_version FROM eventstore.append('order-1', -1, ARRAY[
  eventstore.event('Placed', '{"n": 0}', '{"correlation_id": "flow-1"}', '0190a0d0-0000-7000-8000-0000000000a0'),
  eventstore.event('Paid', '{"n": 1}', NULL, '0190a0d0-0000-7000-8000-0000000000a1')]);
SELECT next_expected_version FROM eventstore.append('order-2', -1, ARRAY[eventstore.event('Placed', '{"n": 0}')]);
SELECT tableoid::regclass::text = 'eventstore.' || pg_temp.month_partition(0) AS in_current_month, count(*)
FROM eventstore.events GROUP BY 1;

-- Make the first two events of order-1 three months old (as if appended then):
-- they move to that month's partition.
UPDATE eventstore.events SET created_at = created_at - interval '3 months'
WHERE stream_id = (SELECT stream_id FROM eventstore.streams WHERE stream_name = 'order-1');
SELECT next_expected_version FROM eventstore.append('order-1', 1, ARRAY[
  eventstore.event('Shipped', '{"n": 2}', '{"correlation_id": "flow-1"}')]);
SELECT s.stream_name, e.version, e.tableoid::regclass::text = 'eventstore.' || pg_temp.month_partition(3) AS three_months_old
FROM eventstore.events e JOIN eventstore.streams s USING (stream_id) ORDER BY e.position;

-- Every read merges the partitions into its order.
SELECT version, event_type FROM eventstore.read_stream('order-1');
SELECT version, event_type FROM eventstore.read_stream('order-1', direction => 'backward');
SELECT version, event_type FROM eventstore.read_stream('order-1', 1, 1);
SELECT eventstore.stream_version('order-1');
SELECT stream_name, version, event_type FROM eventstore.read_all();
SELECT stream_name, version FROM eventstore.read_all(max_count => 1);
SELECT stream_name, version FROM eventstore.read_category('order');
SELECT stream_name, version FROM eventstore.read_category('order', consumer_group_member => 0, consumer_group_size => 1);
SELECT stream_name, version FROM eventstore.read_event_type('Placed');
SELECT stream_name, version FROM eventstore.read_correlated('flow-1');
SELECT stream_name, version FROM eventstore.read_time_range(now() - interval '4 months', now() - interval '2 months');
SELECT eventstore.save_snapshot('order-1', 1, '{"paid": true}');
SELECT is_snapshot, version, data FROM eventstore.load('order-1');
SELECT category, streams, events FROM eventstore.category_stats;

-- Idempotency looks in every partition: a repeat of the old append returns
-- its result; its ids in another stream are refused.
SELECT * FROM eventstore.append('order-1', -1, ARRAY[
  eventstore.event('Placed', '{"n": 0}', '{"correlation_id": "flow-1"}', '0190a0d0-0000-7000-8000-0000000000a0'),
  eventstore.event('Paid', '{"n": 1}', NULL, '0190a0d0-0000-7000-8000-0000000000a1')]) AS repeated;
SELECT pg_temp.outcome($$SELECT eventstore.append('order-3', -1, ARRAY[
  eventstore.event('Placed', '{"n": 0}', NULL, '0190a0d0-0000-7000-8000-0000000000a1')])$$);
SELECT count(*) AS events FROM eventstore.events;

-- Lifecycle: truncate, then reclaim deletes from the old partition.
SELECT eventstore.truncate_stream('order-1', 1);
SELECT eventstore.reclaim();
SELECT version FROM eventstore.read_stream('order-1');
SELECT count(*) AS old_events FROM eventstore.events WHERE created_at < now() - interval '2 months';

-- No partition for the current month: appends fail with 55V03 and write
-- nothing; maintain_partitions creates the month again.
SELECT format('DROP TABLE eventstore.%I', pg_temp.month_partition(0)) AS drop_current \gset
:drop_current;
SELECT regexp_replace(pg_temp.outcome($$SELECT eventstore.append('order-4', -1, ARRAY[eventstore.event('Placed', '{}')])$$),
                      'time .*$', 'time (now)') AS outcome;
SELECT count(*) AS streams FROM eventstore.streams WHERE stream_name = 'order-4';
SELECT action, count(*) FROM eventstore.maintain_partitions() GROUP BY action;
SELECT next_expected_version FROM eventstore.append('order-4', -1, ARRAY[eventstore.event('Placed', '{}')]);
SELECT action, count(*) FROM eventstore.maintain_partitions() GROUP BY action;

-- Retention: keep the current month and the one before; the older months are
-- detached (and stay as tables), then dropped.
SELECT pg_temp.outcome($$SELECT * FROM eventstore.maintain_partitions(retain_months => 0)$$);
SELECT pg_temp.outcome($$SELECT * FROM eventstore.maintain_partitions(months_ahead => -1)$$);
SELECT pg_temp.outcome($$SELECT * FROM eventstore.maintain_partitions(drop_old => NULL)$$);
SELECT eventstore.append('order-1', 2, ARRAY[eventstore.event('Closed', '{"n": 3}')]) IS NOT NULL AS appended;
UPDATE eventstore.events SET created_at = created_at - interval '1 month'
WHERE event_type = 'Closed';
SELECT action, count(*) FROM eventstore.maintain_partitions(months_ahead => 2, retain_months => 2) GROUP BY action;
SELECT count(*) AS detached_tables FROM pg_class
WHERE relnamespace = 'eventstore'::regnamespace AND relname LIKE 'events_p%' AND relkind = 'r' AND NOT relispartition;
-- The versions of order-1 stay; reads start at the oldest kept event.
SELECT version, event_type FROM eventstore.read_stream('order-1');
SELECT eventstore.stream_version('order-1');
SELECT stream_name, version FROM eventstore.read_all();
SELECT action, count(*) FROM eventstore.maintain_partitions(months_ahead => 2, retain_months => 1, drop_old => true)
GROUP BY action;
SELECT version, event_type FROM eventstore.read_stream('order-1');
SELECT count(*) FILTER (WHERE NOT is_default) AS months, bool_and(bytes > 0) AS sized FROM eventstore.event_partitions();
SELECT events, bytes > 0 AS sized FROM eventstore.stats();

-- Row-level security on the parent stops direct writes (they would bypass it).
ALTER TABLE eventstore.events ENABLE ROW LEVEL SECURITY;
SELECT pg_temp.outcome($$SELECT eventstore.append('order-5', -1, ARRAY[eventstore.event('Placed', '{}')])$$);
ALTER TABLE eventstore.events DISABLE ROW LEVEL SECURITY;

-- DROP EXTENSION drops the attached partitions with the parent; detached ones
-- are the operator's tables and stay.
DROP EXTENSION pg_eventstore;
SELECT count(*) FILTER (WHERE relispartition) AS attached, count(*) FILTER (WHERE NOT relispartition) AS detached
FROM pg_class WHERE relnamespace = 'eventstore'::regnamespace AND relname LIKE 'events_p%' AND relkind = 'r';
DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT relname FROM pg_class WHERE relnamespace = 'eventstore'::regnamespace AND relname LIKE 'events_p%'
             AND relkind = 'r' LOOP
    EXECUTE format('DROP TABLE eventstore.%I', t);
  END LOOP;
END $$;
CREATE EXTENSION pg_eventstore;
SELECT partition_name, is_default FROM eventstore.event_partitions();
