-- Reading one stream: forwards, backwards, from a version, a page at a time.
SELECT next_expected_version FROM eventstore.append('ledger-1', -1,
  (SELECT array_agg(eventstore.event('Entry', jsonb_build_object('n', n)) ORDER BY n) FROM generate_series(0, 9) n));

SELECT version, data->>'n' AS n FROM eventstore.read_stream('ledger-1');
SELECT version FROM eventstore.read_stream('ledger-1', from_version => 4, max_count => 3);
SELECT version FROM eventstore.read_stream('ledger-1', direction => 'backward', max_count => 3);
SELECT version FROM eventstore.read_stream('ledger-1', from_version => 2, direction => 'backward');
SELECT version FROM eventstore.read_stream('ledger-1', from_version => 20);
SELECT count(*) FROM eventstore.read_stream('no-such-stream');
SELECT eventstore.stream_version('ledger-1') AS ledger, eventstore.stream_version('no-such-stream') AS missing;

-- Paging through the whole stream visits every version once.
WITH RECURSIVE pages(page, last_version) AS (
  SELECT 1, (SELECT max(version) FROM eventstore.read_stream('ledger-1', 0, 4))
  UNION ALL
  SELECT page + 1, (SELECT max(version) FROM eventstore.read_stream('ledger-1', last_version + 1, 4))
  FROM pages WHERE last_version IS NOT NULL
)
SELECT page, last_version FROM pages;

-- Every column of a recorded event.
SELECT stream_name, version, position > 0 AS has_position, transaction_id IS NOT NULL AS has_transaction,
       event_id IS NOT NULL AS has_id, event_type, data, metadata, created_at IS NOT NULL AS has_time
FROM eventstore.read_stream('ledger-1', max_count => 1);

-- Reads see the caller's snapshot: an uncommitted append is visible only to its own transaction.
BEGIN;
SELECT next_expected_version FROM eventstore.append('ledger-1', 9, ARRAY[eventstore.event('Entry', '{"n": 10}')]);
SELECT max(version) FROM eventstore.read_stream('ledger-1', direction => 'backward', max_count => 1);
ROLLBACK;
SELECT max(version) FROM eventstore.read_stream('ledger-1', direction => 'backward', max_count => 1);

-- Bad arguments.
SELECT * FROM eventstore.read_stream('ledger-1', max_count => 0);
SELECT * FROM eventstore.read_stream('ledger-1', from_version => -1);
SELECT * FROM eventstore.read_stream('ledger-1', direction => 'sideways');
SELECT * FROM eventstore.read_stream('ledger-1', direction => NULL);
SELECT * FROM eventstore.read_stream(NULL);
SELECT * FROM eventstore.read_stream('');
SELECT eventstore.stream_version(NULL);
