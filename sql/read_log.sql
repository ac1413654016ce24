-- The global log and categories, from a checkpoint, with type filters.
CREATE TEMP TABLE log_before AS SELECT count(*) AS events FROM eventstore.read_all(max_count => 100000);

SELECT next_expected_version FROM eventstore.append('shipment-1', -1, ARRAY[
  eventstore.event('ShipmentCreated', '{}'), eventstore.event('ShipmentPacked', '{}')]);
SELECT next_expected_version FROM eventstore.append('invoice-1', -1, ARRAY[eventstore.event('InvoiceIssued', '{}')]);
SELECT next_expected_version FROM eventstore.append('shipment-2', -1, ARRAY[eventstore.event('ShipmentCreated', '{}')]);
SELECT next_expected_version FROM eventstore.append('shipment-1', 1, ARRAY[eventstore.event('ShipmentSent', '{}')]);
SELECT next_expected_version FROM eventstore.append('shipment', -1, ARRAY[eventstore.event('ShipmentCreated', '{}')]);

-- The log holds every event once, in (transaction_id, position) order.
SELECT (SELECT count(*) FROM eventstore.read_all(max_count => 100000)) - events AS new_events FROM log_before;
SELECT count(*) = (SELECT count(*) FROM eventstore.events) AS complete,
       bool_and((transaction_id, position) > (previous_transaction, previous_position)) AS ordered
FROM (SELECT transaction_id, position,
             lag(transaction_id, 1, '0'::xid8) OVER () AS previous_transaction,
             lag(position, 1, 0::bigint) OVER () AS previous_position
      FROM eventstore.read_all(max_count => 100000)) log;

-- Resuming from each event's checkpoint returns exactly the events after it.
CREATE TEMP TABLE log_all AS SELECT row_number() OVER () AS n, * FROM eventstore.read_all(max_count => 100000);
SELECT bool_and(next.n = this.n + 1) AS resumes_after_checkpoint
FROM log_all this
CROSS JOIN LATERAL (SELECT l.n FROM eventstore.read_all(this.transaction_id, this.position, 1) r
                    JOIN log_all l ON l.event_id = r.event_id) next;
SELECT count(*) AS after_last
FROM (SELECT * FROM log_all ORDER BY n DESC LIMIT 1) last, eventstore.read_all(last.transaction_id, last.position);

-- A page of the log: max_count events.
SELECT count(*) FROM eventstore.read_all(max_count => 3);

-- Categories: the name before the first '-'; 'shipment' itself is in it too.
SELECT stream_name, version, event_type FROM eventstore.read_category('shipment');
SELECT stream_name, version FROM eventstore.read_category('shipment', max_count => 2);
SELECT count(*) FROM eventstore.read_category('nothing');

-- Event-type filters.
SELECT stream_name, event_type FROM eventstore.read_category('shipment', event_types => ARRAY['ShipmentCreated']);
SELECT stream_name, event_type FROM eventstore.read_all(event_types => ARRAY['InvoiceIssued', 'ShipmentSent']);

-- A reader never sees an event of a transaction still in flight, even its own:
-- the log is final only below the oldest open appending transaction.
BEGIN;
SELECT next_expected_version FROM eventstore.append('invoice-2', -1, ARRAY[eventstore.event('InvoiceIssued', '{}')]);
SELECT count(*) FROM eventstore.read_all(event_types => ARRAY['InvoiceIssued']);
SELECT eventstore.log_fence() <= (SELECT max(transaction_id) FROM eventstore.events) AS fenced_by_own_transaction;
COMMIT;
SELECT count(*) FROM eventstore.read_all(event_types => ARRAY['InvoiceIssued']);
SELECT eventstore.log_fence() > (SELECT max(transaction_id) FROM eventstore.events) AS nothing_in_flight;

-- Bad arguments.
SELECT * FROM eventstore.read_all(after_transaction => '5');
SELECT * FROM eventstore.read_all(after_position => 5);
SELECT * FROM eventstore.read_all(max_count => -1);
SELECT * FROM eventstore.read_all(event_types => ARRAY[]::text[]);
SELECT * FROM eventstore.read_all(event_types => ARRAY['A', NULL]);
SELECT * FROM eventstore.read_category('');
SELECT * FROM eventstore.read_category('shipment-1');
SELECT * FROM eventstore.read_category(NULL);

-- Only transactions of this database that append hold the log back: an open
-- writing transaction in another database does not, nor one in this database
-- that wrote something else (log_fence.sql has those that append).
CREATE EXTENSION dblink;
SELECT dblink_connect('elsewhere', format('host=%s port=%s dbname=postgres user=%s',
  coalesce(host(inet_server_addr()), 'localhost'), current_setting('port'), current_user));
SELECT dblink_connect('here', format('host=%s port=%s dbname=%s user=%s',
  coalesce(host(inet_server_addr()), 'localhost'), current_setting('port'), current_database(), current_user));
SELECT dblink_exec('elsewhere', 'BEGIN'), dblink_exec('elsewhere', 'CREATE TEMP TABLE holding_an_xid (x int)');
SELECT next_expected_version FROM eventstore.append('receipt-1', -1, ARRAY[eventstore.event('ReceiptIssued', '{}')]);
SELECT count(*) AS receipts FROM eventstore.read_all(event_types => ARRAY['ReceiptIssued']);
SELECT dblink_exec('here', 'BEGIN'), dblink_exec('here', 'CREATE TEMP TABLE holding_an_xid (x int)');
SELECT next_expected_version FROM eventstore.append('receipt-2', -1, ARRAY[eventstore.event('ReceiptIssued', '{}')]);
SELECT count(*) AS receipts FROM eventstore.read_all(event_types => ARRAY['ReceiptIssued']);
SELECT dblink_exec('here', 'COMMIT');
SELECT count(*) AS receipts FROM eventstore.read_all(event_types => ARRAY['ReceiptIssued']);
SELECT dblink_exec('elsewhere', 'COMMIT');
SELECT dblink_disconnect('elsewhere'), dblink_disconnect('here');
DROP EXTENSION dblink;
