-- A retried append (same event ids and payloads) returns the original result
-- and writes nothing; a reused id with anything else different is an error.
CREATE TEMP TABLE first_result AS
SELECT * FROM eventstore.append('payment-1', -1, ARRAY[
  eventstore.event('PaymentRequested', '{"amount": 10}', '{"command_id": "c-1"}', '0190a0b0-0000-7000-8000-000000000001'),
  eventstore.event('PaymentAuthorized', '{"amount": 10}', NULL, '0190a0b0-0000-7000-8000-000000000002')]);
SELECT next_expected_version FROM first_result;

-- The same append again, with every expected-version mode: the original result.
SELECT r.next_expected_version, r.first_position = f.first_position AS same_first,
       r.last_position = f.last_position AS same_last
FROM first_result f,
     unnest(ARRAY[-1, -2, -4, 0, 7]::bigint[]) v,
     LATERAL (SELECT * FROM eventstore.append('payment-1', v, ARRAY[
       eventstore.event('PaymentRequested', '{"amount": 10}', '{"command_id": "c-1"}', '0190a0b0-0000-7000-8000-000000000001'),
       eventstore.event('PaymentAuthorized', '{"amount": 10}', NULL, '0190a0b0-0000-7000-8000-000000000002')])) r;
-- JSON that is equal as jsonb (key order, spacing) is the same payload.
SELECT next_expected_version FROM eventstore.append('payment-1', -2, ARRAY[
  eventstore.event('PaymentRequested', '{ "amount" : 10 }', '{"command_id":"c-1"}', '0190a0b0-0000-7000-8000-000000000001'),
  eventstore.event('PaymentAuthorized', '{"amount": 10.0}', NULL, '0190a0b0-0000-7000-8000-000000000002')]);
SELECT count(*) AS events FROM eventstore.read_stream('payment-1');

-- Reused ids with something else different: another payload, type, metadata,
-- stream or order, or together with events that are not stored yet.
SELECT * FROM eventstore.append('payment-1', -2, ARRAY[
  eventstore.event('PaymentRequested', '{"amount": 11}', '{"command_id": "c-1"}', '0190a0b0-0000-7000-8000-000000000001'),
  eventstore.event('PaymentAuthorized', '{"amount": 10}', NULL, '0190a0b0-0000-7000-8000-000000000002')]);
SELECT * FROM eventstore.append('payment-1', -2, ARRAY[
  eventstore.event('PaymentAsked', '{"amount": 10}', '{"command_id": "c-1"}', '0190a0b0-0000-7000-8000-000000000001'),
  eventstore.event('PaymentAuthorized', '{"amount": 10}', NULL, '0190a0b0-0000-7000-8000-000000000002')]);
SELECT * FROM eventstore.append('payment-1', -2, ARRAY[
  eventstore.event('PaymentRequested', '{"amount": 10}', NULL, '0190a0b0-0000-7000-8000-000000000001'),
  eventstore.event('PaymentAuthorized', '{"amount": 10}', NULL, '0190a0b0-0000-7000-8000-000000000002')]);
SELECT * FROM eventstore.append('payment-2', -2, ARRAY[
  eventstore.event('PaymentRequested', '{"amount": 10}', '{"command_id": "c-1"}', '0190a0b0-0000-7000-8000-000000000001'),
  eventstore.event('PaymentAuthorized', '{"amount": 10}', NULL, '0190a0b0-0000-7000-8000-000000000002')]);
SELECT * FROM eventstore.append('payment-1', -2, ARRAY[
  eventstore.event('PaymentAuthorized', '{"amount": 10}', NULL, '0190a0b0-0000-7000-8000-000000000002'),
  eventstore.event('PaymentRequested', '{"amount": 10}', '{"command_id": "c-1"}', '0190a0b0-0000-7000-8000-000000000001')]);
SELECT * FROM eventstore.append('payment-1', -2, ARRAY[
  eventstore.event('PaymentRequested', '{"amount": 10}', '{"command_id": "c-1"}', '0190a0b0-0000-7000-8000-000000000001'),
  eventstore.event('PaymentAuthorized', '{"amount": 10}', NULL, '0190a0b0-0000-7000-8000-000000000002'),
  eventstore.event('PaymentCaptured', '{"amount": 10}', NULL, '0190a0b0-0000-7000-8000-000000000003')]);
SELECT * FROM eventstore.append('payment-1', -2, ARRAY[
  eventstore.event('PaymentCaptured', '{"amount": 10}', NULL, '0190a0b0-0000-7000-8000-000000000003'),
  eventstore.event('PaymentAuthorized', '{"amount": 10}', NULL, '0190a0b0-0000-7000-8000-000000000002')]);
-- Events that are all stored, in order, are a repeat even when fewer than the original.
SELECT next_expected_version FROM eventstore.append('payment-1', -2, ARRAY[
  eventstore.event('PaymentAuthorized', '{"amount": 10}', NULL, '0190a0b0-0000-7000-8000-000000000002')]);
-- The same id twice in one call.
SELECT * FROM eventstore.append('payment-3', -1, ARRAY[
  eventstore.event('A', '{}', NULL, '0190a0b0-0000-7000-8000-000000000009'),
  eventstore.event('B', '{}', NULL, '0190a0b0-0000-7000-8000-000000000009')]);
SELECT count(*) AS events, (SELECT count(*) FROM eventstore.streams WHERE stream_name LIKE 'payment-%') AS streams
FROM eventstore.events e JOIN eventstore.streams s USING (stream_id) WHERE s.stream_name LIKE 'payment-%';

-- Events without ids get new ones each time: a repeat appends again.
SELECT next_expected_version FROM eventstore.append('payment-4', -2, ARRAY[eventstore.event('Tick', '{}')]);
SELECT next_expected_version FROM eventstore.append('payment-4', -2, ARRAY[eventstore.event('Tick', '{}')]);
