-- Every kind of bad input gets its documented SQLSTATE and a clear message,
-- and writes nothing.
CREATE FUNCTION pg_temp.outcome(statement text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE statement;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

SELECT next_expected_version FROM eventstore.append('existing-1', -1, ARRAY[
  eventstore.event('Created', '{}', NULL, '0190a0d0-0000-7000-8000-000000000001')]);
CREATE TEMP TABLE counts_before AS
SELECT (SELECT count(*) FROM eventstore.events) AS events, (SELECT count(*) FROM eventstore.streams) AS streams;

CREATE TEMP TABLE bad_inputs (n serial, what text, statement text);
INSERT INTO bad_inputs (what, statement) VALUES
  ('stream name NULL',            $$SELECT eventstore.append(NULL, -1, ARRAY[eventstore.event('A', '{}')])$$),
  ('expected version NULL',       $$SELECT eventstore.append('bad-1', NULL, ARRAY[eventstore.event('A', '{}')])$$),
  ('events NULL',                 $$SELECT eventstore.append('bad-1', -1, NULL)$$),
  ('stream name empty',           $$SELECT eventstore.append('', -1, ARRAY[eventstore.event('A', '{}')])$$),
  ('stream name 256 bytes',       $$SELECT eventstore.append(repeat('s', 256), -1, ARRAY[eventstore.event('A', '{}')])$$),
  ('stream name 128 two-byte characters', $$SELECT eventstore.append(repeat('é', 128), -1, ARRAY[eventstore.event('A', '{}')])$$),
  ('stream name newline',         $$SELECT eventstore.append(E'bad\n1', -1, ARRAY[eventstore.event('A', '{}')])$$),
  ('stream name control byte',    $$SELECT eventstore.append(E'bad\x01', -1, ARRAY[eventstore.event('A', '{}')])$$),
  ('stream name DEL',             $$SELECT eventstore.append(E'bad\x7f', -1, ARRAY[eventstore.event('A', '{}')])$$),
  ('stream name C1 control',      $$SELECT eventstore.append(E'bad\u0085', -1, ARRAY[eventstore.event('A', '{}')])$$),
  ('event type empty',            $$SELECT eventstore.append('bad-1', -1, ARRAY[eventstore.event('', '{}')])$$),
  ('event type 256 bytes',        $$SELECT eventstore.append('bad-1', -1, ARRAY[eventstore.event(repeat('t', 256), '{}')])$$),
  ('event type tab',              $$SELECT eventstore.append('bad-1', -1, ARRAY[eventstore.event(E'A\tB', '{}')])$$),
  ('event type NULL',             $$SELECT eventstore.append('bad-1', -1, ARRAY[eventstore.event(NULL, '{}')])$$),
  ('data NULL',                   $$SELECT eventstore.append('bad-1', -1, ARRAY[eventstore.event('A', NULL)])$$),
  ('event NULL',                  $$SELECT eventstore.append('bad-1', -1, ARRAY[eventstore.event('A', '{}'), NULL])$$),
  ('expected version -3',         $$SELECT eventstore.append('bad-1', -3, ARRAY[eventstore.event('A', '{}')])$$),
  ('expected version -5',         $$SELECT eventstore.append('bad-1', -5, ARRAY[eventstore.event('A', '{}')])$$),
  ('expected version minimum',    $$SELECT eventstore.append('bad-1', -9223372036854775808, ARRAY[eventstore.event('A', '{}')])$$),
  ('no events',                   $$SELECT eventstore.append('bad-1', -1, ARRAY[]::eventstore.event_data[])$$),
  ('two-dimensional events',      $$SELECT eventstore.append('bad-1', -1, ARRAY[[eventstore.event('A', '{}')], [eventstore.event('B', '{}')]])$$),
  ('data malformed',              $$SELECT eventstore.append('bad-1', -1, ARRAY[eventstore.event('A', '{"a": }')])$$),
  ('data truncated',              $$SELECT eventstore.append('bad-1', -1, ARRAY[eventstore.event('A', '[1, 2')])$$),
  ('data not JSON',               $$SELECT eventstore.append('bad-1', -1, ARRAY[eventstore.event('A', 'order placed')])$$),
  ('metadata malformed',          $$SELECT eventstore.append('bad-1', -1, ARRAY[eventstore.event('A', '{}', '{trace: 1}')])$$),
  ('data with \u0000',            $$SELECT eventstore.append('bad-1', -1, ARRAY[eventstore.event('A', '{"a": "\u0000"}')])$$),
  ('data nested 100000 deep',     $$SELECT eventstore.append('bad-1', -1, ARRAY[eventstore.event('A', repeat('[', 100000)::jsonb)])$$),
  ('same id twice in one call',   $$SELECT eventstore.append('bad-1', -1, ARRAY[eventstore.event('A', '{}', NULL, '0190a0d0-0000-7000-8000-000000000002'), eventstore.event('B', '{}', NULL, '0190a0d0-0000-7000-8000-000000000002')])$$),
  ('id reused, other payload',    $$SELECT eventstore.append('existing-1', -2, ARRAY[eventstore.event('Created', '{"x": 1}', NULL, '0190a0d0-0000-7000-8000-000000000001')])$$),
  ('id reused, other stream',     $$SELECT eventstore.append('bad-1', -2, ARRAY[eventstore.event('Created', '{}', NULL, '0190a0d0-0000-7000-8000-000000000001')])$$),
  ('wrong exact version',         $$SELECT eventstore.append('existing-1', 5, ARRAY[eventstore.event('A', '{}')])$$),
  ('no stream, but it exists',    $$SELECT eventstore.append('existing-1', -1, ARRAY[eventstore.event('A', '{}')])$$),
  ('stream exists, but it does not', $$SELECT eventstore.append('bad-1', -4, ARRAY[eventstore.event('A', '{}')])$$),
  ('exact version of a missing stream', $$SELECT eventstore.append('bad-1', 0, ARRAY[eventstore.event('A', '{}')])$$),
  ('multi: no streams',           $$SELECT eventstore.append_multi(ARRAY[]::eventstore.stream_append[])$$),
  ('multi: a stream twice',       $$SELECT eventstore.append_multi(ARRAY[eventstore.stream_append('bad-1', -1, ARRAY[eventstore.event('A', '{}')]), eventstore.stream_append('bad-1', -1, ARRAY[eventstore.event('A', '{}')])])$$),
  ('multi: one wrong version',    $$SELECT eventstore.append_multi(ARRAY[eventstore.stream_append('bad-1', -1, ARRAY[eventstore.event('A', '{}')]), eventstore.stream_append('existing-1', 7, ARRAY[eventstore.event('A', '{}')])])$$),
  ('read: max_count 0',           $$SELECT eventstore.read_stream('existing-1', max_count => 0)$$),
  ('read: bad direction',         $$SELECT eventstore.read_stream('existing-1', direction => 'up')$$),
  ('read: negative version',      $$SELECT eventstore.read_stream('existing-1', from_version => -2)$$),
  ('read: bad stream name',       $$SELECT eventstore.read_stream(E'a\nb')$$),
  ('read_all: half checkpoint',   $$SELECT eventstore.read_all(after_position => 1)$$),
  ('read_all: no types',          $$SELECT eventstore.read_all(event_types => '{}')$$),
  ('read_category: with dash',    $$SELECT eventstore.read_category('a-b')$$),
  ('setting below its minimum',   $$SET eventstore.max_event_size = 10$$);
SELECT n, what, pg_temp.outcome(statement) FROM bad_inputs ORDER BY n;

-- Limits set by settings.
SET eventstore.max_append_events = 3;
SELECT pg_temp.outcome($$SELECT eventstore.append('bad-1', -1, ARRAY[eventstore.event('A', '{}'), eventstore.event('A', '{}'), eventstore.event('A', '{}'), eventstore.event('A', '{}')])$$);
SELECT next_expected_version FROM eventstore.append('limits-1', -1, ARRAY[eventstore.event('A', '{}'), eventstore.event('A', '{}'), eventstore.event('A', '{}')]);
RESET eventstore.max_append_events;
SET eventstore.max_event_size = '1kB';
SELECT pg_temp.outcome($$SELECT eventstore.append('bad-1', -1, ARRAY[eventstore.event('A', jsonb_build_object('x', repeat('x', 1100)))])$$);
SELECT pg_temp.outcome($$SELECT eventstore.append('bad-1', -1, ARRAY[eventstore.event('A', '{}', jsonb_build_object('x', repeat('x', 1100)))])$$);
SELECT pg_temp.outcome($$SELECT eventstore.append('bad-1', -1, ARRAY[eventstore.event('A', jsonb_build_object('x', repeat('x', 600)), jsonb_build_object('x', repeat('x', 600)))])$$);
SELECT next_expected_version FROM eventstore.append('limits-2', -1, ARRAY[eventstore.event('A', jsonb_build_object('x', repeat('x', 900)))]);
RESET eventstore.max_event_size;

-- Nothing but the two appends within the limits was written.
SELECT (SELECT count(*) FROM eventstore.events) - events AS events_written,
       (SELECT count(*) FROM eventstore.streams) - streams AS streams_written,
       (SELECT count(*) FROM eventstore.streams WHERE stream_name = 'bad-1') AS bad_streams
FROM counts_before;
