-- Stream lifecycle: soft delete and recreation, hard delete, truncate-before,
-- max_count and max_age, honoured by every read at once and removed by reclaim().
CREATE FUNCTION pg_temp.outcome(statement text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE statement;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
CREATE FUNCTION pg_temp.versions(stream text) RETURNS text LANGUAGE sql AS $$
  SELECT coalesce(string_agg(version::text, ',' ORDER BY version), '') FROM eventstore.read_stream(stream)
$$;
SELECT count(*) FROM (
  SELECT eventstore.append(s, -1, ARRAY(SELECT eventstore.event('Tick', jsonb_build_object('n', n)) FROM generate_series(0, 4) AS n))
  FROM unnest(ARRAY['cycle-soft', 'cycle-hard', 'cycle-trunc', 'cycle-count', 'cycle-age']) AS s) AS appended;

-- Soft delete: the stream reads as gone and its version as -1.
SELECT eventstore.delete_stream('cycle-soft', 4) AS version_deleted;
SELECT pg_temp.versions('cycle-soft') AS visible, eventstore.stream_version('cycle-soft') AS version;
SELECT version, deleted, tombstoned, truncate_before FROM eventstore.stream_state('cycle-soft');
-- Deleting again is a no-op; a stale expected version is refused.
SELECT eventstore.delete_stream('cycle-soft');
SELECT pg_temp.outcome($$SELECT eventstore.delete_stream('cycle-soft', 4)$$);
-- Appending with "no stream" (or "any") recreates it; its versions go on and
-- the events before the deletion stay hidden.
SELECT pg_temp.outcome($$SELECT eventstore.append('cycle-soft', 4, ARRAY[eventstore.event('Tick', '{}')])$$);
SELECT next_expected_version FROM eventstore.append('cycle-soft', -1, ARRAY[eventstore.event('Reborn', '{}')]);
SELECT pg_temp.versions('cycle-soft') AS visible, eventstore.stream_version('cycle-soft') AS version;
SELECT version, deleted, truncate_before FROM eventstore.stream_state('cycle-soft');
SELECT next_expected_version FROM eventstore.append('cycle-soft', 5, ARRAY[eventstore.event('Tick', '{}')]);

-- Hard delete: never again, for reads or appends; a name never used can be tombstoned too.
SELECT eventstore.tombstone_stream('cycle-hard', 4) AS version_deleted;
SELECT pg_temp.outcome($$SELECT eventstore.read_stream('cycle-hard')$$);
SELECT pg_temp.outcome($$SELECT eventstore.stream_version('cycle-hard')$$);
SELECT pg_temp.outcome($$SELECT eventstore.append('cycle-hard', -2, ARRAY[eventstore.event('Tick', '{}')])$$);
SELECT pg_temp.outcome($$SELECT eventstore.append('cycle-hard', -1, ARRAY[eventstore.event('Tick', '{}')])$$);
SELECT pg_temp.outcome($$SELECT eventstore.delete_stream('cycle-hard')$$);
SELECT pg_temp.outcome($$SELECT eventstore.save_snapshot('cycle-hard', 1, '{}')$$);
SELECT eventstore.tombstone_stream('cycle-never-used');
SELECT pg_temp.outcome($$SELECT eventstore.append('cycle-never-used', -1, ARRAY[eventstore.event('Tick', '{}')])$$);
SELECT version, tombstoned FROM eventstore.stream_state('cycle-never-used');

-- Truncate-before hides the versions below it, only ever grows, and hides old snapshots.
SELECT eventstore.save_snapshot('cycle-trunc', 1, '{"at": 1}');
SELECT eventstore.truncate_stream('cycle-trunc', 3);
SELECT pg_temp.versions('cycle-trunc') AS visible;
SELECT version FROM eventstore.read_stream('cycle-trunc', direction => 'backward');
SELECT is_snapshot, version FROM eventstore.load('cycle-trunc');
SELECT eventstore.truncate_stream('cycle-trunc', 1);
SELECT truncate_before FROM eventstore.stream_state('cycle-trunc');
SELECT pg_temp.outcome($$SELECT eventstore.save_snapshot('cycle-trunc', 2, '{}')$$);
SELECT eventstore.save_snapshot('cycle-trunc', 3, '{"at": 3}');
SELECT is_snapshot, version FROM eventstore.load('cycle-trunc');

-- max_count keeps the newest events, also as more are appended.
SELECT eventstore.set_stream_limits('cycle-count', max_count => 2);
SELECT pg_temp.versions('cycle-count') AS visible;
SELECT next_expected_version FROM eventstore.append('cycle-count', 4, ARRAY[eventstore.event('Tick', '{}')]);
SELECT pg_temp.versions('cycle-count') AS visible;
SELECT eventstore.set_stream_limits('cycle-count');
SELECT pg_temp.versions('cycle-count') AS visible;

-- max_age hides events older than the age (here: all of them, by making them old).
UPDATE eventstore.events SET created_at = created_at - interval '2 days'
WHERE stream_id = (SELECT stream_id FROM eventstore.streams WHERE stream_name = 'cycle-age') AND version < 3;
SELECT eventstore.set_stream_limits('cycle-age', max_age => interval '1 day');
SELECT pg_temp.versions('cycle-age') AS visible;
SELECT max_count, max_age FROM eventstore.stream_state('cycle-age');

-- The global log and categories hide the same events.
SELECT stream_name, string_agg(version::text, ',' ORDER BY version) AS in_log
FROM eventstore.read_category('cycle', max_count => 1000) GROUP BY stream_name ORDER BY stream_name;

-- Bad input.
SELECT pg_temp.outcome($$SELECT eventstore.truncate_stream('cycle-missing', 1)$$);
SELECT pg_temp.outcome($$SELECT eventstore.truncate_stream('cycle-trunc', -1)$$);
SELECT pg_temp.outcome($$SELECT eventstore.set_stream_limits('cycle-count', max_count => 0)$$);
SELECT pg_temp.outcome($$SELECT eventstore.set_stream_limits('cycle-count', max_age => interval '-1 hour')$$);
SELECT pg_temp.outcome($$SELECT eventstore.set_stream_limits('cycle-missing', 3)$$);
SELECT pg_temp.outcome($$SELECT eventstore.delete_stream('cycle-trunc', 99)$$);
SELECT pg_temp.outcome($$SELECT eventstore.delete_stream(NULL)$$);
SELECT pg_temp.outcome($$SELECT eventstore.reclaim(0)$$);
SELECT count(*) AS no_state FROM eventstore.stream_state('cycle-missing');

-- reclaim() deletes exactly what reads hide, in batches; reads are unchanged.
CREATE TEMP TABLE visible_before AS
SELECT stream_name, version FROM eventstore.read_category('cycle', max_count => 1000);
SELECT count(*) AS stored_before FROM eventstore.events e JOIN eventstore.streams s USING (stream_id) WHERE stream_name LIKE 'cycle-%';
SELECT eventstore.reclaim(3) AS reclaimed_first_batch;
SELECT eventstore.reclaim() AS reclaimed_rest;
SELECT eventstore.reclaim() AS nothing_left;
SELECT count(*) AS stored_after FROM eventstore.events e JOIN eventstore.streams s USING (stream_id) WHERE stream_name LIKE 'cycle-%';
SELECT count(*) AS changed_reads FROM (
  (SELECT stream_name, version FROM eventstore.read_category('cycle', max_count => 1000) EXCEPT SELECT * FROM visible_before)
  UNION ALL
  (SELECT * FROM visible_before EXCEPT SELECT stream_name, version FROM eventstore.read_category('cycle', max_count => 1000))) AS difference;
SELECT count(*) AS snapshots_left FROM eventstore.snapshots s JOIN eventstore.streams USING (stream_id) WHERE stream_name = 'cycle-trunc';
