-- pg_eventstore 0.2 to 0.3: the hardened global log. Log transactions (taken
-- at an append once its streams are locked, so each stream's events come in
-- version order), the store's identity and log clock (restored stores keep
-- their order and checkpoints), checked checkpoints (store_id arguments), and
-- the fence report (what holds readers back, prepared transactions included),
-- and the ledger of reclaimed event ids (retried appends stay idempotent).

\echo Use "ALTER EXTENSION pg_eventstore UPDATE TO '0.3'" to load this file. \quit

-- The store's identity and the clock of its global log. CREATE EXTENSION
-- writes the row; it is dumped with the store, so that a restored copy keeps
-- its identity and checkpoints taken on the original continue on the copy.
-- After a restore the table also holds the row the restoring CREATE EXTENSION
-- wrote; the oldest row is the store's (eventstore.log_clock removes the other).
CREATE TABLE eventstore.store_identity (
    store_id           uuid        NOT NULL,
    created_at         timestamptz NOT NULL,
    -- The cluster (pg_control_system()) the offset belongs to.
    system_identifier  bigint      NOT NULL,
    transaction_offset bigint      NOT NULL CHECK (transaction_offset >= 0),
    CONSTRAINT store_identity_pkey PRIMARY KEY (store_id)
);

SELECT pg_catalog.pg_extension_config_dump('eventstore.store_identity', '');

INSERT INTO eventstore.store_identity (store_id, created_at, system_identifier, transaction_offset)
  SELECT gen_random_uuid(), now(), c.system_identifier, 0 FROM pg_control_system() AS c;

-- The store's id, the offset of its log clock, and the newest log
-- transaction stored. A log transaction is the server's transaction counter
-- at an append plus the offset, and never below the newest stored one (so a
-- crash that loses transaction ids handed out but never logged changes no
-- order). In the cluster the store was created in, the offset is 0. At the
-- first use of a restored store (its row names another cluster) the offset
-- becomes what puts this cluster's counter after every stored event, so the
-- restored log reads in its order and new appends come after it, whether the
-- counter here is behind or ahead; that first use writes the row, and until
-- it commits, other first uses wait. `stored` is false when it could not
-- write (a read-only transaction): the answer is then computed again at the
-- next call.
CREATE FUNCTION eventstore.log_clock(OUT store_id uuid, OUT transaction_offset bigint, OUT newest_transaction xid8,
                                     OUT stored boolean)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  this_cluster bigint := (SELECT c.system_identifier FROM pg_control_system() AS c);
  found_row eventstore.store_identity;
BEGIN
  SELECT e.transaction_id INTO newest_transaction FROM eventstore.events AS e ORDER BY e.transaction_id DESC LIMIT 1;
  SELECT * INTO found_row FROM eventstore.store_identity AS i ORDER BY i.created_at, i.store_id LIMIT 1;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'eventstore.store_identity has no row'
      USING ERRCODE = '55V01', HINT = 'Restore the row from a dump of the store, or reinstall the extension.';
  END IF;
  store_id := found_row.store_id;
  transaction_offset := found_row.transaction_offset;
  stored := true;
  IF found_row.system_identifier = this_cluster THEN
    RETURN;
  END IF;
  transaction_offset := greatest(0, coalesce(newest_transaction::text::numeric, 0) + 1
                                    - pg_snapshot_xmax(pg_current_snapshot())::text::numeric)::bigint;
  IF pg_is_in_recovery() OR current_setting('transaction_read_only')::boolean THEN
    stored := false;
    RETURN;
  END IF;
  UPDATE eventstore.store_identity AS i SET system_identifier = this_cluster, transaction_offset = log_clock.transaction_offset
    WHERE i.store_id = found_row.store_id AND i.system_identifier = found_row.system_identifier;
  DELETE FROM eventstore.store_identity AS i WHERE i.store_id <> found_row.store_id;
  -- A concurrent first use may have written the row first: its answer counts.
  SELECT * INTO STRICT found_row FROM eventstore.store_identity AS i WHERE i.store_id = found_row.store_id;
  transaction_offset := found_row.transaction_offset;
END
$$;

-- The id of this database's store. A reader keeps it with its checkpoint and
-- passes it to read_all and read_category, which refuse (22V11) a checkpoint
-- of another store.
CREATE FUNCTION eventstore.store_id()
RETURNS uuid
LANGUAGE sql STABLE
AS $$ SELECT c.store_id FROM eventstore.log_clock() AS c $$;

-- The ids of the events reclaim() deleted, with their place, kept for
-- eventstore.reclaimed_id_retention (default 7 days) and then purged by
-- reclaim(): an append retried after its events were reclaimed is recognised
-- by them and returns its original result instead of writing again.
CREATE TABLE eventstore.reclaimed_events (
    event_id       uuid        NOT NULL,
    stream_id      bigint      NOT NULL,
    version        bigint      NOT NULL,
    position       bigint      NOT NULL,
    transaction_id xid8        NOT NULL,
    reclaimed_at   timestamptz NOT NULL,
    CONSTRAINT reclaimed_events_pkey PRIMARY KEY (event_id)
);

SELECT pg_catalog.pg_extension_config_dump('eventstore.reclaimed_events', '');
GRANT SELECT ON eventstore.reclaimed_events TO eventstore_reader;

-- read_all and read_category gain store_id.
DROP FUNCTION eventstore.read_all(xid8, bigint, integer, text[]);
DROP FUNCTION eventstore.read_category(text, xid8, bigint, integer, text[], integer, integer);

-- The global log after the checkpoint (after_transaction, after_position),
-- from the start when both are NULL, in commit-safe order; each stream's
-- events come in version order. A checkpoint beyond the end of the log, or
-- (with store_id) of another store, is refused with 22V11.
CREATE FUNCTION eventstore.read_all(
    after_transaction xid8    DEFAULT NULL,
    after_position    bigint  DEFAULT NULL,
    max_count         integer DEFAULT 1000,
    event_types       text[]  DEFAULT NULL,
    store_id          uuid    DEFAULT NULL)
RETURNS SETOF eventstore.recorded_event
AS 'MODULE_PATHNAME', 'eventstore_read_all'
LANGUAGE C STABLE ROWS 1000;

-- The global log restricted to one category (the stream name up to its first
-- '-'), optionally to a consumer group: member m of a group of n reads the
-- streams whose name hashes to m (FNV-1a, 64 bits, modulo n). Checkpoints as
-- read_all checks them.
CREATE FUNCTION eventstore.read_category(
    category              text,
    after_transaction     xid8    DEFAULT NULL,
    after_position        bigint  DEFAULT NULL,
    max_count             integer DEFAULT 1000,
    event_types           text[]  DEFAULT NULL,
    consumer_group_member integer DEFAULT NULL,
    consumer_group_size   integer DEFAULT NULL,
    store_id              uuid    DEFAULT NULL)
RETURNS SETOF eventstore.recorded_event
AS 'MODULE_PATHNAME', 'eventstore_read_category'
LANGUAGE C STABLE ROWS 1000;

REVOKE EXECUTE ON FUNCTION
    eventstore.read_all(xid8, bigint, integer, text[], uuid),
    eventstore.read_category(text, xid8, bigint, integer, text[], integer, integer, uuid)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    eventstore.read_all(xid8, bigint, integer, text[], uuid),
    eventstore.read_category(text, xid8, bigint, integer, text[], integer, integer, uuid)
TO eventstore_reader;

-- stats() gains the fence source and its holders.
DROP FUNCTION eventstore.stats();

-- What holds global-log readers back, one row per transaction: 'append' (a
-- transaction that appended and has not ended), 'prepared' (a prepared
-- transaction of this database: whether it appended is not known, so it
-- holds readers until COMMIT or ROLLBACK PREPARED), 'transaction' (any
-- transaction with an id, when the fence source is 'transactions'), with the
-- log transaction below which it holds them.
CREATE FUNCTION eventstore.log_fence_holders()
RETURNS TABLE (kind text, pid integer, transaction_id xid8, holds_at xid8)
AS 'MODULE_PATHNAME', 'eventstore_log_fence_holders'
LANGUAGE C VOLATILE ROWS 4;

-- 'appenders' (only appending transactions hold readers back: the library is
-- in shared_preload_libraries), 'transactions' (every transaction of this
-- database: without the preload, or eventstore.log_fence_source =
-- 'transactions'), or 'recovery' (a standby: the primary's transactions).
CREATE FUNCTION eventstore.log_fence_source()
RETURNS text
AS 'MODULE_PATHNAME', 'eventstore_log_fence_source'
LANGUAGE C STABLE;

-- The holders with what operators need to act on them: the prepared
-- transaction's gid, and the age of the transaction (or of its preparation).
-- SECURITY DEFINER so that every operator sees every session; its search_path is pinned.
CREATE FUNCTION eventstore.log_fence_report()
RETURNS TABLE (kind text, pid integer, gid text, transaction_id xid8, holds_at xid8, age interval)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT h.kind, h.pid, p.gid, h.transaction_id, h.holds_at, now() - coalesce(a.xact_start, p.prepared)
  FROM eventstore.log_fence_holders() AS h
  LEFT JOIN pg_stat_activity AS a ON h.pid IS NOT NULL AND a.pid = h.pid
  LEFT JOIN pg_prepared_xacts AS p ON h.kind = 'prepared' AND p.transaction = xid(h.transaction_id)
  ORDER BY h.holds_at
$$;

-- For operators: sizes, counters, and what holds global-log readers back: the
-- fence source, and the oldest holder (its pid, or the gid of a prepared
-- transaction, its kind and its age), with the number of prepared
-- transactions holding readers. SECURITY DEFINER so that every operator sees
-- every session of pg_stat_activity; its search_path is pinned.
CREATE FUNCTION eventstore.stats()
RETURNS TABLE (
    streams                      bigint,
    events                       bigint,
    snapshots                    bigint,
    bytes                        bigint,
    appends_since_start          bigint,
    events_appended_since_start  bigint,
    conflicts_since_start        bigint,
    log_fence                    xid8,
    oldest_transaction_pid       integer,
    oldest_transaction_age       interval,
    log_fence_source             text,
    fence_held_by                text,
    fence_holder_gid             text,
    prepared_transactions        integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT (SELECT count(*) FROM eventstore.streams),
         (SELECT count(*) FROM eventstore.events),
         (SELECT count(*) FROM eventstore.snapshots),
         pg_total_relation_size('eventstore.streams') + pg_total_relation_size('eventstore.snapshots')
           + (SELECT coalesce(sum(pg_total_relation_size(t.relid)), 0)::bigint
              FROM pg_partition_tree('eventstore.events') AS t WHERE t.isleaf),
         c.appends, c.events, c.conflicts,
         eventstore.log_fence(),
         oldest.pid, oldest.age,
         eventstore.log_fence_source(),
         oldest.kind, oldest.gid,
         (SELECT count(*)::integer FROM pg_prepared_xacts AS p WHERE p.database = current_database())
  FROM eventstore.counters() AS c
  LEFT JOIN LATERAL (
    SELECT r.pid, r.age, r.kind, r.gid FROM eventstore.log_fence_report() AS r ORDER BY r.holds_at LIMIT 1) AS oldest
    ON true
$$;

REVOKE EXECUTE ON FUNCTION eventstore.stats(), eventstore.log_fence_report() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION eventstore.stats(), eventstore.log_fence_report() TO eventstore_admin;

COMMENT ON COLUMN eventstore.events.transaction_id IS NULL;
