-- Several streams in one atomic call, each with its own expected version.
-- Results come in the order of the argument; streams are written in name order.
SELECT stream_name, next_expected_version, last_position - first_position + 1 AS positions,
       first_position - min(first_position) OVER () AS relative_first_position
FROM eventstore.append_multi(ARRAY[
  eventstore.stream_append('transfer-b', -1, ARRAY[eventstore.event('Credited', '{"amount": 5}')]),
  eventstore.stream_append('transfer-a', -1, ARRAY[eventstore.event('Debited', '{"amount": 5}'),
                                                   eventstore.event('Noted', '{}')])]);
SELECT stream_name, version, event_type FROM eventstore.read_category('transfer');

-- One stream's wrong expected version fails the whole call: nothing is written.
SELECT * FROM eventstore.append_multi(ARRAY[
  eventstore.stream_append('transfer-a', 1, ARRAY[eventstore.event('Debited', '{"amount": 1}')]),
  eventstore.stream_append('transfer-b', 5, ARRAY[eventstore.event('Credited', '{"amount": 1}')])]);
SELECT stream_name, version FROM eventstore.read_category('transfer');

-- All events of a call share one transaction, so a log reader gets all or none.
SELECT count(DISTINCT transaction_id) FROM eventstore.read_category('transfer');

-- Bad input.
SELECT * FROM eventstore.append_multi(NULL);
SELECT * FROM eventstore.append_multi(ARRAY[]::eventstore.stream_append[]);
SELECT * FROM eventstore.append_multi(ARRAY[NULL::eventstore.stream_append]);
SELECT * FROM eventstore.append_multi(ARRAY[eventstore.stream_append(NULL, -1, ARRAY[eventstore.event('A', '{}')])]);
SELECT * FROM eventstore.append_multi(ARRAY[eventstore.stream_append('transfer-c', NULL, ARRAY[eventstore.event('A', '{}')])]);
SELECT * FROM eventstore.append_multi(ARRAY[eventstore.stream_append('transfer-c', -1, NULL)]);
SELECT * FROM eventstore.append_multi(ARRAY[
  eventstore.stream_append('transfer-c', -1, ARRAY[eventstore.event('A', '{}')]),
  eventstore.stream_append('transfer-c', -2, ARRAY[eventstore.event('B', '{}')])]);
SELECT * FROM eventstore.append_multi(ARRAY[
  eventstore.stream_append('transfer-c', -1, ARRAY[eventstore.event('A', '{}', NULL, '0190a0c0-0000-7000-8000-000000000001')]),
  eventstore.stream_append('transfer-d', -1, ARRAY[eventstore.event('B', '{}', NULL, '0190a0c0-0000-7000-8000-000000000001')])]);
SET eventstore.max_append_events = 2;
SELECT * FROM eventstore.append_multi(ARRAY[
  eventstore.stream_append('transfer-c', -1, ARRAY[eventstore.event('A', '{}'), eventstore.event('A', '{}')]),
  eventstore.stream_append('transfer-d', -1, ARRAY[eventstore.event('B', '{}')])]);
RESET eventstore.max_append_events;
SELECT count(*) FROM eventstore.streams WHERE stream_name IN ('transfer-c', 'transfer-d');
