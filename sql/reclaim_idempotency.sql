-- An acknowledged append retried after reclaim() deleted its events is still
-- recognised (the ledger of reclaimed ids) and writes nothing a second time.
SELECT eventstore.append('reclaimed-1', -1, ARRAY[
  eventstore.event('Opened', '{"n": 1}', NULL, 'a1a1a1a1-0000-4000-8000-000000000001'),
  eventstore.event('Used', '{"n": 2}', NULL, 'a1a1a1a1-0000-4000-8000-000000000002')])::text AS first_result \gset
SELECT next_expected_version FROM eventstore.append('reclaimed-1', 1, ARRAY[eventstore.event('Closed', '{"n": 3}')]);
SELECT eventstore.set_stream_limits('reclaimed-1', max_count => 1);
SELECT eventstore.reclaim() AS reclaimed;
SELECT event_id, version FROM eventstore.reclaimed_events WHERE stream_id = (SELECT stream_id FROM eventstore.streams WHERE stream_name = 'reclaimed-1') ORDER BY version;

-- The retry returns the original result and writes nothing.
SELECT eventstore.append('reclaimed-1', -1, ARRAY[
  eventstore.event('Opened', '{"n": 1}', NULL, 'a1a1a1a1-0000-4000-8000-000000000001'),
  eventstore.event('Used', '{"n": 2}', NULL, 'a1a1a1a1-0000-4000-8000-000000000002')])::text = :'first_result'
  AS same_result;
SELECT eventstore.stream_version('reclaimed-1') AS version_unchanged, count(*) AS events_left
FROM eventstore.events WHERE stream_id = (SELECT stream_id FROM eventstore.streams WHERE stream_name = 'reclaimed-1');
-- Part of a reclaimed append with a new event is not a retry.
SELECT eventstore.append('reclaimed-1', -2, ARRAY[
  eventstore.event('Opened', '{"n": 1}', NULL, 'a1a1a1a1-0000-4000-8000-000000000001'),
  eventstore.event('New', '{}', NULL, 'a1a1a1a1-0000-4000-8000-000000000009')]);

-- The control: with no retention, reclaim() keeps no ids, and the same retry
-- writes the events again as new versions.
SET eventstore.reclaimed_id_retention = 0;
SELECT next_expected_version FROM eventstore.append('reclaimed-2', -1, ARRAY[
  eventstore.event('Opened', '{}', NULL, 'b2b2b2b2-0000-4000-8000-000000000001')]);
SELECT next_expected_version FROM eventstore.append('reclaimed-2', 0, ARRAY[eventstore.event('Closed', '{}')]);
SELECT eventstore.set_stream_limits('reclaimed-2', max_count => 1);
SELECT eventstore.reclaim() AS reclaimed;
SELECT count(*) AS ids_kept FROM eventstore.reclaimed_events
WHERE event_id = 'b2b2b2b2-0000-4000-8000-000000000001';
SELECT next_expected_version AS written_again FROM eventstore.append('reclaimed-2', -2, ARRAY[
  eventstore.event('Opened', '{}', NULL, 'b2b2b2b2-0000-4000-8000-000000000001')]);
RESET eventstore.reclaimed_id_retention;
