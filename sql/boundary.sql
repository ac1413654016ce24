-- The C++ boundary: every entry point made to fail inside its guard raises a
-- PostgreSQL error with a SQLSTATE, and the session goes on.
CREATE FUNCTION pg_temp.outcome(statement text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE statement;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

CREATE TEMP TABLE entry_points (symbol text, statement text);
INSERT INTO entry_points VALUES
  ('eventstore_append',          $$SELECT eventstore.append('boundary-1', -2, ARRAY[eventstore.event('A', '{}')])$$),
  ('eventstore_append_multi',    $$SELECT eventstore.append_multi(ARRAY[eventstore.stream_append('boundary-1', -2, ARRAY[eventstore.event('A', '{}')])])$$),
  ('eventstore_read_stream',     $$SELECT eventstore.read_stream('boundary-1')$$),
  ('eventstore_stream_version',  $$SELECT eventstore.stream_version('boundary-1')$$),
  ('eventstore_read_all',        $$SELECT eventstore.read_all()$$),
  ('eventstore_read_category',   $$SELECT eventstore.read_category('boundary')$$),
  ('eventstore_log_fence',       $$SELECT eventstore.log_fence()$$),
  ('eventstore_log_fence_holders', $$SELECT eventstore.log_fence_holders()$$),
  ('eventstore_log_fence_source', $$SELECT eventstore.log_fence_source()$$),
  ('eventstore_new_event_id',    $$SELECT eventstore.new_event_id()$$),
  ('eventstore_save_snapshot',   $$SELECT eventstore.save_snapshot('boundary-1', 0, '{}')$$),
  ('eventstore_load',            $$SELECT eventstore.load('boundary-1')$$),
  ('eventstore_truncate_stream', $$SELECT eventstore.truncate_stream('boundary-1', 0)$$),
  ('eventstore_set_stream_limits', $$SELECT eventstore.set_stream_limits('boundary-1')$$),
  ('eventstore_stream_state',    $$SELECT eventstore.stream_state('boundary-1')$$),
  ('eventstore_delete_stream',   $$SELECT eventstore.delete_stream('boundary-9')$$),
  ('eventstore_tombstone_stream', $$SELECT eventstore.tombstone_stream('boundary-10')$$),
  ('eventstore_reclaim',         $$SELECT eventstore.reclaim()$$),
  ('eventstore_wait_for_log',    $$SELECT eventstore.wait_for_log(NULL, 0)$$),
  ('eventstore_consumer_group_member', $$SELECT eventstore.consumer_group_member('boundary-1', 2)$$);

-- Every C entry point of the library is in the list above.
SELECT count(*) AS c_functions,
       count(*) FILTER (WHERE prosrc IN (SELECT symbol FROM entry_points)) AS listed
FROM pg_proc WHERE probin = '$libdir/pg_eventstore';

-- Each fails on purpose; the statements before and after it work.
SELECT symbol,
       pg_temp.outcome(statement) AS before,
       set_config('eventstore.debug_fail_entry_point', symbol, false) IS NOT NULL AS armed,
       pg_temp.outcome(statement) AS failing,
       set_config('eventstore.debug_fail_entry_point', '', false) = '' AS disarmed,
       pg_temp.outcome(statement) AS after
FROM entry_points ORDER BY symbol;

-- Outside a PL/pgSQL handler too: the error reaches the client, the session survives.
SET eventstore.debug_fail_entry_point = 'eventstore_append';
SELECT * FROM eventstore.append('boundary-1', -2, ARRAY[eventstore.event('A', '{}')]);
RESET eventstore.debug_fail_entry_point;
SELECT eventstore.stream_version('boundary-1');

-- '*' arms every entry point; a failed append inside a transaction writes nothing.
BEGIN;
SELECT next_expected_version FROM eventstore.append('boundary-2', -1, ARRAY[eventstore.event('A', '{}')]);
SAVEPOINT before_failure;
SET LOCAL eventstore.debug_fail_entry_point = '*';
SELECT * FROM eventstore.append('boundary-2', 0, ARRAY[eventstore.event('B', '{}')]);
ROLLBACK TO before_failure;
SELECT next_expected_version FROM eventstore.append('boundary-2', 0, ARRAY[eventstore.event('B', '{}')]);
COMMIT;
SELECT version, event_type FROM eventstore.read_stream('boundary-2');

-- Only a superuser may arm it.
CREATE ROLE eventstore_boundary_user;
SET ROLE eventstore_boundary_user;
SET eventstore.debug_fail_entry_point = 'eventstore_append';
RESET ROLE;
DROP ROLE eventstore_boundary_user;
