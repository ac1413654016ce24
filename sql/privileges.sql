-- Using the store needs EXECUTE on its functions, which only the owner has
-- until it is granted: the functions write and read the tables directly.
CREATE ROLE eventstore_app;
GRANT USAGE ON SCHEMA eventstore TO eventstore_app;
SET ROLE eventstore_app;
SELECT * FROM eventstore.append('grant-1', -1, ARRAY[eventstore.event('A', '{}')]);
SELECT * FROM eventstore.read_stream('grant-1');
SELECT * FROM eventstore.read_all(max_count => 1);
SELECT eventstore.stream_version('grant-1');
-- The tables themselves are not readable or writable either.
SELECT count(*) FROM eventstore.events;
INSERT INTO eventstore.streams VALUES (1000000, 0, now(), 'grant-2', 'grant');
-- Harmless helpers stay public.
SELECT eventstore.log_fence() IS NOT NULL AS has_fence, eventstore.new_event_id() IS NOT NULL AS has_id;
RESET ROLE;

GRANT EXECUTE ON FUNCTION eventstore.append(text, bigint, eventstore.event_data[]),
                          eventstore.read_stream(text, bigint, integer, text) TO eventstore_app;
SET ROLE eventstore_app;
SELECT next_expected_version FROM eventstore.append('grant-1', -1, ARRAY[eventstore.event('A', '{}')]);
SELECT stream_name, version, event_type FROM eventstore.read_stream('grant-1');
SELECT * FROM eventstore.read_all(max_count => 1);
RESET ROLE;

REVOKE ALL ON SCHEMA eventstore FROM eventstore_app;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA eventstore FROM eventstore_app;
DROP ROLE eventstore_app;
