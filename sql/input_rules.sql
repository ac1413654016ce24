-- What names the store accepts, and how much of bad input a message quotes.
\set VERBOSITY default
CREATE FUNCTION pg_temp.error_of(statement text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE statement;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- A stream name may not begin with the category separator: its category
-- would be empty, which read_category cannot read.
SELECT eventstore.append('-x', -1, ARRAY[eventstore.event('A', '{}')]);
SELECT eventstore.append('-', -1, ARRAY[eventstore.event('A', '{}')]);
SELECT next_expected_version FROM eventstore.append('x-', -1, ARRAY[eventstore.event('A', '{}')]);
SELECT stream_name FROM eventstore.read_category('x');

-- Invisible and direction-changing characters are refused in names and types;
-- visible non-ASCII letters and spaces are not.
SELECT pg_temp.error_of(format($$SELECT eventstore.append(%L, -1, ARRAY[eventstore.event('A', '{}')])$$, name))
FROM (VALUES ('zero' || U&'\200B' || 'width-1'), ('order-' || U&'\202E' || '1gpj'), ('bom-' || U&'\FEFF'),
             ('joiner-' || U&'\2060')) AS t(name);
SELECT pg_temp.error_of($$SELECT eventstore.append('typed-1', -1, ARRAY[eventstore.event(U&'Order\200BPlaced', '{}')])$$);
SELECT next_expected_version FROM eventstore.append('café crème-1', -1, ARRAY[eventstore.event('Größe geändert', '{}')]);
SELECT pg_temp.error_of(format('SELECT * FROM eventstore.read_category(%L)', U&'caf\200Be'));

-- Input quoted in a message is cut to 64 bytes, at a character, with "...".
SELECT pg_temp.error_of(format('SELECT * FROM eventstore.read_category(%L)', repeat('é', 500000) || '-x'));
SELECT length(pg_temp.error_of(format('SELECT * FROM eventstore.read_category(%L)', repeat('c', 1000000) || '-x'))) < 200
  AS short_message;
SELECT pg_temp.error_of(format('SELECT * FROM eventstore.read_category(%L)', repeat('c', 300)));
SELECT pg_temp.error_of(format($$SELECT * FROM eventstore.read_stream('x-', direction => %L)$$, repeat('sideways', 1000)));
SELECT pg_temp.error_of(format($$SELECT eventstore.append(%L, 7, ARRAY[eventstore.event('A', '{}')])$$,
                               'long-' || repeat('n', 200)));

-- JSON as jsonb stores it: scalars are data too, the last of duplicate keys wins.
SELECT next_expected_version FROM eventstore.append('json-1', -1,
  ARRAY[eventstore.event('Scalar', '42'), eventstore.event('Duplicate', '{"a": 1, "a": 2}', '"not an object"')]);
SELECT version, data, metadata FROM eventstore.read_stream('json-1');
