-- Every function that writes refuses in a read-only transaction (25006,
-- naming itself) and loses nothing; reads still work.
SELECT next_expected_version FROM eventstore.append('readonly-1', -1,
  ARRAY[eventstore.event('Opened', '{}'), eventstore.event('Used', '{}')]);
SELECT eventstore.save_snapshot('readonly-1', 1, '{"state": 1}');
SELECT eventstore.set_stream_limits('readonly-1', max_count => 1);
CREATE TEMP TABLE before AS
  SELECT (SELECT count(*) FROM eventstore.events) AS events, (SELECT count(*) FROM eventstore.snapshots) AS snapshots,
         (SELECT string_agg(s::text, ',') FROM eventstore.streams s) AS streams;

SET default_transaction_read_only = on;
SELECT eventstore.append('readonly-1', -2, ARRAY[eventstore.event('Late', '{}')]);
SELECT eventstore.append('readonly-2', -1, ARRAY[eventstore.event('New', '{}')]);
SELECT eventstore.append_multi(ARRAY[eventstore.stream_append('readonly-2', -1, ARRAY[eventstore.event('New', '{}')])]);
SELECT eventstore.delete_stream('readonly-1');
SELECT eventstore.tombstone_stream('readonly-1');
SELECT eventstore.truncate_stream('readonly-1', 1);
SELECT eventstore.set_stream_limits('readonly-1', max_count => 5);
SELECT eventstore.save_snapshot('readonly-1', 1, '{"state": 2}');
SELECT eventstore.reclaim();
-- Reads work.
SELECT version, event_type FROM eventstore.read_stream('readonly-1');
SELECT count(*) > 0 AS reads_the_log FROM eventstore.read_all();
SELECT is_snapshot, version FROM eventstore.load('readonly-1');
RESET default_transaction_read_only;

-- Nothing changed; reclaim then removes what the limit hides.
SELECT b.events = (SELECT count(*) FROM eventstore.events) AS same_events,
       b.snapshots = (SELECT count(*) FROM eventstore.snapshots) AS same_snapshots,
       b.streams = (SELECT string_agg(s::text, ',') FROM eventstore.streams s) AS same_streams
FROM before AS b;
SELECT eventstore.reclaim() >= 1 AS reclaimed_once_writable;
