-- Roles: what each of the extension's roles may run (the rest fails with
-- 42501), no role can write the tables directly, and objects named like
-- built-ins in a schema on the caller's search_path change no result.
CREATE ROLE es_test_reader IN ROLE eventstore_reader;
CREATE ROLE es_test_writer IN ROLE eventstore_writer;
CREATE ROLE es_test_admin IN ROLE eventstore_admin;
CREATE ROLE es_test_nobody;
GRANT USAGE ON SCHEMA eventstore TO es_test_nobody;

CREATE SCHEMA matrix;
GRANT USAGE ON SCHEMA matrix TO PUBLIC;
CREATE FUNCTION matrix.outcome(statement text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE statement;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;
CREATE TABLE matrix.operations (n serial, operation text, statement text);
CREATE TABLE matrix.results (role_name text, operation text, outcome text);
GRANT SELECT ON matrix.operations TO PUBLIC;
GRANT INSERT ON matrix.results TO PUBLIC;
INSERT INTO matrix.operations (operation, statement) VALUES
  ('read_stream',       $$SELECT eventstore.read_stream('shared-1')$$),
  ('stream_version',    $$SELECT eventstore.stream_version('shared-1')$$),
  ('read_all',          $$SELECT eventstore.read_all()$$),
  ('read_category',     $$SELECT eventstore.read_category('shared')$$),
  ('load',              $$SELECT eventstore.load('shared-1')$$),
  ('stream_state',      $$SELECT eventstore.stream_state('shared-1')$$),
  ('select events',     $$SELECT count(*) FROM eventstore.events$$),
  ('append',            $$SELECT eventstore.append('own-' || current_user, -2, ARRAY[eventstore.event('A', '{}')])$$),
  ('append_multi',      $$SELECT eventstore.append_multi(ARRAY[eventstore.stream_append('own-' || current_user, -2, ARRAY[eventstore.event('A', '{}')])])$$),
  ('save_snapshot',     $$SELECT eventstore.save_snapshot('shared-1', 0, '{}')$$),
  ('truncate_stream',   $$SELECT eventstore.truncate_stream('shared-1', 0)$$),
  ('set_stream_limits', $$SELECT eventstore.set_stream_limits('shared-1')$$),
  ('delete_stream',     $$SELECT eventstore.delete_stream('gone-' || current_user)$$),
  ('tombstone_stream',  $$SELECT eventstore.tombstone_stream('tomb-' || current_user)$$),
  ('reclaim',           $$SELECT eventstore.reclaim()$$),
  ('stats',             $$SELECT eventstore.stats()$$),
  ('event_partitions',  $$SELECT eventstore.event_partitions()$$),
  -- Out-of-range arguments: past the privilege check, changing nothing, in either layout.
  ('use_monthly_partitions', $$SELECT eventstore.use_monthly_partitions(0)$$),
  ('maintain_partitions', $$SELECT eventstore.maintain_partitions(-1)$$),
  ('insert events_default', $$INSERT INTO eventstore.events_default SELECT * FROM eventstore.events LIMIT 1$$),
  ('insert events',     $$INSERT INTO eventstore.events SELECT * FROM eventstore.events LIMIT 1$$),
  ('update events',     $$UPDATE eventstore.events SET data = '{}'$$),
  ('delete events',     $$DELETE FROM eventstore.events$$),
  ('truncate events',   $$TRUNCATE eventstore.events$$),
  ('update streams',    $$UPDATE eventstore.streams SET version = 0$$),
  ('delete snapshots',  $$DELETE FROM eventstore.snapshots$$);
CREATE FUNCTION matrix.run() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  op record;
BEGIN
  FOR op IN SELECT * FROM matrix.operations ORDER BY n LOOP
    INSERT INTO matrix.results VALUES (current_user, op.operation, matrix.outcome(op.statement));
  END LOOP;
END $$;

SELECT next_expected_version FROM eventstore.append('shared-1', -1, ARRAY[eventstore.event('Created', '{}')]);
SET ROLE es_test_nobody;  SELECT matrix.run(); RESET ROLE;
SET ROLE es_test_reader;  SELECT matrix.run(); RESET ROLE;
SET ROLE es_test_writer;  SELECT matrix.run(); RESET ROLE;
SET ROLE es_test_admin;   SELECT matrix.run(); RESET ROLE;

SELECT o.operation,
       max(outcome) FILTER (WHERE role_name = 'es_test_nobody') AS nobody,
       max(outcome) FILTER (WHERE role_name = 'es_test_reader') AS reader,
       max(outcome) FILTER (WHERE role_name = 'es_test_writer') AS writer,
       max(outcome) FILTER (WHERE role_name = 'es_test_admin') AS admin
FROM matrix.operations o JOIN matrix.results r USING (operation)
GROUP BY o.n, o.operation ORDER BY o.n;

-- The tables kept their rows: nobody wrote them directly.
SELECT count(*) > 0 AS events_kept FROM eventstore.events;

-- Objects named like built-ins, first on the search_path, change nothing.
CREATE SCHEMA hostile;
CREATE TABLE hostile.events (LIKE eventstore.events);
CREATE TABLE hostile.streams (LIKE eventstore.streams);
CREATE FUNCTION hostile.count(anyelement) RETURNS bigint LANGUAGE sql AS 'SELECT -1::bigint';
CREATE FUNCTION hostile.now() RETURNS timestamptz LANGUAGE sql AS $$SELECT '1999-01-01'::timestamptz$$;
CREATE FUNCTION hostile.pg_total_relation_size(regclass) RETURNS bigint LANGUAGE sql AS 'SELECT -1::bigint';
CREATE FUNCTION hostile.jsonb_in(cstring) RETURNS jsonb LANGUAGE sql AS $$SELECT '{"hostile": true}'::jsonb$$;
CREATE FUNCTION hostile.textcat(text, text) RETURNS text LANGUAGE sql AS $$SELECT 'hostile'$$;
CREATE OPERATOR hostile.|| (LEFTARG = text, RIGHTARG = text, FUNCTION = hostile.textcat);
GRANT USAGE ON SCHEMA hostile TO PUBLIC;
CREATE TEMP TABLE reference AS
SELECT next_expected_version FROM eventstore.append('path-1', -1, ARRAY[eventstore.event('A', '{"n": 1}')]);
SET search_path = hostile, public, pg_catalog;
SELECT next_expected_version FROM eventstore.append('path-1', 0, ARRAY[eventstore.event('B', '{"n": 2}')]);
SELECT stream_name, version, event_type, data FROM eventstore.read_stream('path-1');
SELECT version, is_snapshot FROM eventstore.load('path-1');
SELECT streams > 0 AS counted, bytes > 0 AS sized FROM eventstore.stats();
SELECT (SELECT pg_catalog.count(*) FROM hostile.events) AS hostile_events,
       (SELECT pg_catalog.count(*) FROM hostile.streams) AS hostile_streams;
RESET search_path;

-- Every SECURITY DEFINER function pins its search_path.
SELECT p.oid::regprocedure AS security_definer, p.proconfig
FROM pg_proc p WHERE p.pronamespace = 'eventstore'::regnamespace AND p.prosecdef ORDER BY p.oid::regprocedure::text;

DROP SCHEMA hostile CASCADE;
DROP SCHEMA matrix CASCADE;
REVOKE ALL ON SCHEMA eventstore FROM es_test_nobody;
DROP ROLE es_test_reader, es_test_writer, es_test_admin, es_test_nobody;
