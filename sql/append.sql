-- Appends: expected versions, positions, versions, the stream row.
CREATE EXTENSION IF NOT EXISTS pg_eventstore;

-- A new stream (expected: no stream) gets version 0.
SELECT * FROM eventstore.append('order-1', -1, ARRAY[
  eventstore.event('OrderPlaced', '{"customer": "c-7", "total": 45.47}', '{"correlation_id": "k-1"}')]);
-- Exact expected version; several events are versions 1..3 of one atomic append.
SELECT * FROM eventstore.append('order-1', 0, ARRAY[
  eventstore.event('LineAdded', '{"sku": "a", "quantity": 1}'),
  eventstore.event('LineAdded', '{"sku": "b", "quantity": 2}'),
  eventstore.event('LineRemoved', '{"sku": "a"}')]);
-- Any: appends whatever the version.
SELECT * FROM eventstore.append('order-1', -2, ARRAY[eventstore.event('PaymentConfirmed', '{}')]);
-- Stream exists.
SELECT * FROM eventstore.append('order-1', -4, ARRAY[eventstore.event('OrderShipped', '{"carrier": "DHL"}')]);
-- Any also creates a stream.
SELECT * FROM eventstore.append('order-2', -2, ARRAY[eventstore.event('OrderPlaced', '{"customer": "c-8"}')]);

SELECT stream_name, version, category FROM eventstore.streams ORDER BY stream_id;
SELECT s.stream_name, e.version, e.position, e.event_type, e.data, e.metadata,
       e.transaction_id IS NOT NULL AS has_transaction, e.created_at <= now() AS created_in_past
FROM eventstore.events e JOIN eventstore.streams s USING (stream_id)
ORDER BY e.position;

-- Every expected-version mode that does not match: nothing is written, and the
-- message and detail carry the actual version.
SELECT * FROM eventstore.append('order-1', 3, ARRAY[eventstore.event('Late', '{}')]);
SELECT * FROM eventstore.append('order-1', -1, ARRAY[eventstore.event('Late', '{}')]);
SELECT * FROM eventstore.append('order-9', -4, ARRAY[eventstore.event('Late', '{}')]);
SELECT * FROM eventstore.append('order-9', 0, ARRAY[eventstore.event('Late', '{}')]);
SELECT count(*) AS events, (SELECT count(*) FROM eventstore.streams) AS streams FROM eventstore.events;

-- Several appends in one transaction, even in one statement, see each other.
BEGIN;
SELECT * FROM eventstore.append('cart-1', -1, ARRAY[eventstore.event('CartOpened', '{}')]);
SELECT * FROM eventstore.append('cart-1', 0, ARRAY[eventstore.event('ItemAdded', '{"sku": "x"}')]);
SELECT (eventstore.append('cart-2', -1, ARRAY[eventstore.event('CartOpened', '{}')])).next_expected_version,
       (eventstore.append('cart-2', 0, ARRAY[eventstore.event('ItemAdded', '{}')])).next_expected_version;
COMMIT;
SELECT eventstore.stream_version('cart-1') AS cart_1, eventstore.stream_version('cart-2') AS cart_2;

-- A rolled-back append leaves nothing; the next append starts from the committed version.
BEGIN;
SELECT next_expected_version FROM eventstore.append('cart-1', 1, ARRAY[eventstore.event('ItemAdded', '{}')]);
ROLLBACK;
SELECT eventstore.stream_version('cart-1') AS cart_1;
SELECT next_expected_version FROM eventstore.append('cart-1', 1, ARRAY[eventstore.event('ItemAdded', '{}')]);

-- All events of one append share the transaction id; positions increase.
SELECT count(DISTINCT transaction_id) AS transactions, min(position) < max(position) AS increasing
FROM eventstore.events WHERE stream_id = (SELECT stream_id FROM eventstore.streams WHERE stream_name = 'order-1')
  AND version BETWEEN 1 AND 3;

-- Large payloads are stored out of line and read back whole.
SELECT next_expected_version FROM eventstore.append('blob-1', -1, ARRAY[
  eventstore.event('Large', jsonb_build_object('text', repeat('x', 200000)))]);
SELECT length(data->>'text') FROM eventstore.read_stream('blob-1');

-- Unicode names and payloads.
SELECT next_expected_version FROM eventstore.append('заказ-1', -1, ARRAY[eventstore.event('Размещён', '{"name": "Åsa 🚀"}')]);
SELECT stream_name, event_type, data FROM eventstore.read_stream('заказ-1');
SELECT category FROM eventstore.streams WHERE stream_name = 'заказ-1';

-- Many appends to one stream in one transaction: the stream row's page fills
-- with versions that cannot be pruned yet, so updates stop being HOT and the
-- row's index entries are written again.
BEGIN;
SELECT next_expected_version FROM eventstore.append('busy-1', -1, ARRAY[eventstore.event('Tick', '{}')]);
DO $$
BEGIN
  FOR i IN 1..1500 LOOP
    PERFORM eventstore.append('busy-1', i - 1, ARRAY[eventstore.event('Tick', jsonb_build_object('i', i))]);
  END LOOP;
END $$;
COMMIT;
SELECT eventstore.stream_version('busy-1') AS version, count(*) AS events,
       count(*) = max(version) + 1 AS contiguous
FROM eventstore.read_stream('busy-1', max_count => 5000);
SELECT count(*) AS rows_for_name FROM eventstore.streams WHERE stream_name = 'busy-1';

-- One transaction may create many streams: creators hold no lock per stream
-- until commit, so the lock table does not limit it.
SELECT count(*) AS created
FROM (SELECT eventstore.append('bulk-' || g, -1, ARRAY[eventstore.event('Created', '{}')]) FROM generate_series(1, 20000) AS g) AS appended;
SELECT count(*) AS bulk_streams FROM eventstore.streams WHERE stream_name LIKE 'bulk-%';
