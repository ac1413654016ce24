-- The log fence holds readers back only for transactions that append
-- (the test cluster preloads the library), shows what holds it, prepared
-- transactions included, and checkpoints are checked.
CREATE EXTENSION dblink;
SELECT dblink_connect('other', format('host=%s port=%s dbname=%s user=%s',
  coalesce(host(inet_server_addr()), 'localhost'), current_setting('port'), current_database(), current_user));
SELECT eventstore.log_fence_source();

-- A transaction that wrote something else and sits idle holds nobody back.
CREATE TABLE outbox (note text);
SELECT dblink_exec('other', 'BEGIN'), dblink_exec('other', $$INSERT INTO outbox VALUES ('idle writer')$$);
SELECT next_expected_version FROM eventstore.append('fence-1', -1, ARRAY[eventstore.event('Appended', '{}')]);
SELECT stream_name, version FROM eventstore.read_category('fence');
SELECT count(*) AS holders FROM eventstore.log_fence_report();
SELECT fence_held_by, prepared_transactions FROM eventstore.stats();

-- The negative control: with every transaction of the database holding
-- readers (as up to release 0.2), the idle writer hides the next append.
SET eventstore.log_fence_source = 'transactions';
SELECT eventstore.log_fence_source();
SELECT next_expected_version FROM eventstore.append('fence-1', 0, ARRAY[eventstore.event('Appended', '{}')]);
SELECT stream_name, version FROM eventstore.read_category('fence');
SELECT kind, pid = (SELECT p FROM dblink('other', 'SELECT pg_backend_pid()') AS t(p integer)) AS is_the_idle_writer,
       age >= interval '0' AS has_age
FROM eventstore.log_fence_report();
RESET eventstore.log_fence_source;
SELECT stream_name, version FROM eventstore.read_category('fence');
SELECT dblink_exec('other', 'COMMIT');

-- An append in flight holds readers back until it ends.
SELECT dblink_exec('other', 'BEGIN');
SELECT * FROM dblink('other', $$SELECT (eventstore.append('fence-2', -1, ARRAY[eventstore.event('InFlight', '{}')])).next_expected_version$$) AS t(version bigint);
SELECT next_expected_version FROM eventstore.append('fence-3', -1, ARRAY[eventstore.event('After', '{}')]);
SELECT stream_name, version FROM eventstore.read_category('fence');
SELECT kind, gid, age >= interval '0' AS has_age FROM eventstore.log_fence_report();
SELECT dblink_exec('other', 'COMMIT');
SELECT stream_name, version FROM eventstore.read_category('fence');

-- A prepared transaction that appended holds readers back until COMMIT
-- PREPARED, and stats() and log_fence_report() show it with its gid.
SELECT dblink_exec('other', 'BEGIN');
SELECT * FROM dblink('other', $$SELECT (eventstore.append('fence-4', -1, ARRAY[eventstore.event('Prepared', '{}')])).next_expected_version$$) AS t(version bigint);
SELECT dblink_exec('other', $$PREPARE TRANSACTION 'fence-gid-1'$$);
SELECT next_expected_version FROM eventstore.append('fence-5', -1, ARRAY[eventstore.event('AfterPrepared', '{}')]);
SELECT stream_name, version FROM eventstore.read_category('fence');
SELECT kind, pid, gid, age >= interval '0' AS has_age FROM eventstore.log_fence_report();
SELECT fence_held_by, fence_holder_gid, oldest_transaction_pid, oldest_transaction_age >= interval '0' AS has_age,
       prepared_transactions
FROM eventstore.stats();
COMMIT PREPARED 'fence-gid-1';
SELECT stream_name, version FROM eventstore.read_category('fence');
SELECT fence_held_by, prepared_transactions FROM eventstore.stats();

SELECT dblink_disconnect('other');
DROP EXTENSION dblink;
DROP TABLE outbox;

-- Checkpoints: a transaction of the log, not beyond its end, of this store.
SELECT * FROM eventstore.read_all('abc', 1);
SELECT * FROM eventstore.read_all('0', 1);
SELECT * FROM eventstore.read_all('-1', 1);
SELECT * FROM eventstore.read_all((SELECT max(transaction_id) FROM eventstore.events)::text::numeric::text::xid8, 0)
  WHERE false;
-- (The messages name transaction ids and store ids, which differ from run to run.)
\set VERBOSITY sqlstate
SELECT * FROM eventstore.read_all(((SELECT max(transaction_id) FROM eventstore.events)::text::numeric + 1000000)::text::xid8, 1);
SELECT count(*) > 0 AS reads_its_own FROM eventstore.read_all(store_id => eventstore.store_id());
SELECT * FROM eventstore.read_all(store_id => '00000000-0000-0000-0000-000000000000');
SELECT * FROM eventstore.read_category('fence', store_id => '00000000-0000-0000-0000-000000000000');
\set VERBOSITY default
SELECT count(*) AS pages_on FROM eventstore.read_category('fence', (SELECT min(transaction_id) FROM eventstore.events),
                                                          0, store_id => eventstore.store_id());
