-- pg_eventstore 0.4: streams, events, snapshots, stream lifecycle, indexes for reads, roles, append with optimistic concurrency, reads,
-- the commit-safe global log, and subscriptions. The functions are C++ inside the backend
-- (extension/src); this script only declares them and the tables they own.

\echo Use "CREATE EXTENSION pg_eventstore" to load this file. \quit

-- One row per stream. `version` is the version of the stream's last event
-- (0-based); a stream row exists from its first append on. Appends update
-- only `version`, which no index covers, so updates stay HOT; the fill factor
-- leaves room on the page for them.
CREATE TABLE eventstore.streams (
    stream_id   bigint      NOT NULL,
    version     bigint      NOT NULL,
    created_at  timestamptz NOT NULL,
    stream_name text        COLLATE "C" NOT NULL,
    category    text        COLLATE "C" NOT NULL,
    -- Lifecycle (see eventstore.delete_stream and the functions after it).
    deleted         boolean NOT NULL DEFAULT false,
    tombstoned      boolean NOT NULL DEFAULT false,
    truncate_before bigint  NOT NULL DEFAULT 0,
    max_count       bigint,
    max_age         interval,
    CONSTRAINT streams_pkey PRIMARY KEY (stream_id),
    CONSTRAINT streams_name_key UNIQUE (stream_name)
) WITH (fillfactor = 70);

CREATE SEQUENCE eventstore.streams_stream_id_seq AS bigint OWNED BY eventstore.streams.stream_id;

-- Every event ever appended. `position` is unique and increases within a
-- transaction; `transaction_id` is the appending transaction's log
-- transaction: the server's transaction counter when it first appended, once
-- its streams were locked, plus the store's clock offset (store_identity).
-- The global log is read in (transaction_id, position) order, below the log
-- fence, so a reader never skips an event that commits later with a lower
-- position, and each stream's events come in version order (docs/architecture.md).
--
-- The log is partitioned by append time. By default it has one partition,
-- events_default, which holds every event and whose unique indexes make
-- (stream_id, version), event_id and (transaction_id, position) unique across
-- the store. eventstore.use_monthly_partitions() adds a partition per month
-- (docs/partitioning.md). The parent exists in every database so that a dump
-- of a partitioned store restores into a fresh CREATE EXTENSION.
CREATE TABLE eventstore.events (
    position       bigint      NOT NULL,
    transaction_id xid8        NOT NULL,
    stream_id      bigint      NOT NULL,
    version        bigint      NOT NULL,
    created_at     timestamptz NOT NULL,
    event_id       uuid        NOT NULL,
    event_type     text        COLLATE "C" NOT NULL,
    data           jsonb       NOT NULL,
    metadata       jsonb,
    -- The stream's category, for the category index.
    category       text        COLLATE "C" NOT NULL
) PARTITION BY RANGE (created_at);

CREATE TABLE eventstore.events_default PARTITION OF eventstore.events (
    CONSTRAINT events_pkey PRIMARY KEY (stream_id, version),
    CONSTRAINT events_event_id_key UNIQUE (event_id),
    CONSTRAINT events_log_order_key UNIQUE (transaction_id, position)
) DEFAULT;

CREATE SEQUENCE eventstore.events_position_seq AS bigint OWNED BY eventstore.events_default.position;

SELECT pg_catalog.pg_extension_config_dump('eventstore.streams', '');
SELECT pg_catalog.pg_extension_config_dump('eventstore.events_default', '');
SELECT pg_catalog.pg_extension_config_dump('eventstore.streams_stream_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('eventstore.events_position_seq', '');

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

-- An event to append. A NULL event_id is replaced by a new time-ordered id;
-- give ids from the client to make a retried append idempotent.
CREATE TYPE eventstore.event_data AS (
    event_id   uuid,
    event_type text,
    data       jsonb,
    metadata   jsonb
);

-- The events for one stream of an append_multi call.
CREATE TYPE eventstore.stream_append AS (
    stream_name      text,
    expected_version bigint,
    events           eventstore.event_data[]
);

CREATE TYPE eventstore.append_result AS (
    next_expected_version bigint,
    first_position        bigint,
    last_position         bigint
);

-- The row every read returns.
CREATE TYPE eventstore.recorded_event AS (
    stream_name    text,
    version        bigint,
    position       bigint,
    transaction_id xid8,
    event_id       uuid,
    event_type     text,
    data           jsonb,
    metadata       jsonb,
    created_at     timestamptz
);

CREATE FUNCTION eventstore.new_event_id()
RETURNS uuid
AS 'MODULE_PATHNAME', 'eventstore_new_event_id'
LANGUAGE C VOLATILE PARALLEL SAFE;

CREATE FUNCTION eventstore.event(
    event_type text,
    data       jsonb,
    metadata   jsonb DEFAULT NULL,
    event_id   uuid  DEFAULT NULL)
RETURNS eventstore.event_data
AS $$ SELECT ROW(event_id, event_type, data, metadata)::eventstore.event_data $$
LANGUAGE sql IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION eventstore.stream_append(
    stream_name      text,
    expected_version bigint,
    events           eventstore.event_data[])
RETURNS eventstore.stream_append
AS $$ SELECT ROW(stream_name, expected_version, events)::eventstore.stream_append $$
LANGUAGE sql IMMUTABLE PARALLEL SAFE;

-- Expected version: an exact version (0-based), -1 no stream, -2 any,
-- -4 the stream exists.
CREATE FUNCTION eventstore.append(
    stream_name      text,
    expected_version bigint,
    events           eventstore.event_data[])
RETURNS eventstore.append_result
AS 'MODULE_PATHNAME', 'eventstore_append'
LANGUAGE C VOLATILE;

CREATE FUNCTION eventstore.append_multi(appends eventstore.stream_append[])
RETURNS TABLE (
    stream_name           text,
    next_expected_version bigint,
    first_position        bigint,
    last_position         bigint)
AS 'MODULE_PATHNAME', 'eventstore_append_multi'
LANGUAGE C VOLATILE ROWS 4;

-- -1 when the stream has no events.
CREATE FUNCTION eventstore.stream_version(stream_name text)
RETURNS bigint
AS 'MODULE_PATHNAME', 'eventstore_stream_version'
LANGUAGE C STABLE;

-- direction: 'forward' from from_version (default 0) or 'backward' from
-- from_version (default: the last event).
CREATE FUNCTION eventstore.read_stream(
    stream_name  text,
    from_version bigint  DEFAULT NULL,
    max_count    integer DEFAULT 1000,
    direction    text    DEFAULT 'forward')
RETURNS SETOF eventstore.recorded_event
AS 'MODULE_PATHNAME', 'eventstore_read_stream'
LANGUAGE C STABLE ROWS 1000;

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

-- The log transaction below which the global log is final for this snapshot.
CREATE FUNCTION eventstore.log_fence()
RETURNS xid8
AS 'MODULE_PATHNAME', 'eventstore_log_fence'
LANGUAGE C STABLE;

-- Appending and reading go through the functions, which write and read the
-- tables directly: who may call them is who may use the store. Nobody but the
-- owner may until granted, e.g.
--   GRANT USAGE ON SCHEMA eventstore TO app;
--   GRANT EXECUTE ON FUNCTION eventstore.append(text, bigint, eventstore.event_data[]) TO app;
REVOKE EXECUTE ON FUNCTION
    eventstore.append(text, bigint, eventstore.event_data[]),
    eventstore.append_multi(eventstore.stream_append[]),
    eventstore.stream_version(text),
    eventstore.read_stream(text, bigint, integer, text),
    eventstore.read_all(xid8, bigint, integer, text[], uuid)
FROM PUBLIC;

-- Aggregate state at a version of a stream, in the shape of one state schema
-- version. load() returns the newest snapshot of the asked shape plus the
-- events after it.
CREATE TABLE eventstore.snapshots (
    stream_id            bigint      NOT NULL,
    state_schema_version integer     NOT NULL,
    version              bigint      NOT NULL,
    created_at           timestamptz NOT NULL,
    state                jsonb       NOT NULL,
    CONSTRAINT snapshots_pkey PRIMARY KEY (stream_id, state_schema_version, version)
);

SELECT pg_catalog.pg_extension_config_dump('eventstore.snapshots', '');

-- A row of load(): the snapshot first (is_snapshot, with the state in data),
-- then the events after it.
CREATE TYPE eventstore.loaded_row AS (
    is_snapshot    boolean,
    version        bigint,
    position       bigint,
    transaction_id xid8,
    event_id       uuid,
    event_type     text,
    data           jsonb,
    metadata       jsonb,
    created_at     timestamptz
);

-- Stores the state of the stream at `version` and prunes the stream's older
-- snapshots beyond the newest `keep` (default: eventstore.snapshots_to_keep).
CREATE FUNCTION eventstore.save_snapshot(
    stream_name          text,
    version              bigint,
    state                jsonb,
    state_schema_version integer DEFAULT 1,
    keep                 integer DEFAULT NULL)
RETURNS void
AS 'MODULE_PATHNAME', 'eventstore_save_snapshot'
LANGUAGE C VOLATILE;

-- The newest snapshot of the stream in the given state schema version (none
-- when there is no such snapshot), then up to max_count events after it.
CREATE FUNCTION eventstore.load(
    stream_name          text,
    state_schema_version integer DEFAULT 1,
    max_count            integer DEFAULT 10000)
RETURNS SETOF eventstore.loaded_row
AS 'MODULE_PATHNAME', 'eventstore_load'
LANGUAGE C STABLE ROWS 100;

REVOKE EXECUTE ON FUNCTION
    eventstore.save_snapshot(text, bigint, jsonb, integer, integer),
    eventstore.load(text, integer, integer)
FROM PUBLIC;

-- Stream lifecycle: soft delete (the stream reads as gone; appending again
-- recreates it and continues its versions), hard delete (a tombstone: never
-- again), truncate-before, and the limits max_count and max_age. Reads honour
-- them at once; eventstore.reclaim() removes what they hide.
CREATE TYPE eventstore.stream_state AS (
    version         bigint,
    deleted         boolean,
    tombstoned      boolean,
    truncate_before bigint,
    max_count       bigint,
    max_age         interval,
    created_at      timestamptz
);

-- Soft delete; returns the version the stream had.
CREATE FUNCTION eventstore.delete_stream(stream_name text, expected_version bigint DEFAULT -2)
RETURNS bigint
AS 'MODULE_PATHNAME', 'eventstore_delete_stream'
LANGUAGE C VOLATILE;

-- Hard delete: the stream can never be appended to again.
CREATE FUNCTION eventstore.tombstone_stream(stream_name text, expected_version bigint DEFAULT -2)
RETURNS bigint
AS 'MODULE_PATHNAME', 'eventstore_tombstone_stream'
LANGUAGE C VOLATILE;

-- Hides the events before `before_version`.
CREATE FUNCTION eventstore.truncate_stream(stream_name text, before_version bigint)
RETURNS void
AS 'MODULE_PATHNAME', 'eventstore_truncate_stream'
LANGUAGE C VOLATILE;

-- Keeps only the newest max_count events and those younger than max_age
-- (NULL: no limit).
CREATE FUNCTION eventstore.set_stream_limits(stream_name text, max_count bigint DEFAULT NULL, max_age interval DEFAULT NULL)
RETURNS void
AS 'MODULE_PATHNAME', 'eventstore_set_stream_limits'
LANGUAGE C VOLATILE;

-- The stream's lifecycle state; no row for a stream that never existed.
CREATE FUNCTION eventstore.stream_state(stream_name text)
RETURNS SETOF eventstore.stream_state
AS 'MODULE_PATHNAME', 'eventstore_stream_state'
LANGUAGE C STABLE ROWS 1;

-- Deletes up to max_events events (and the snapshots) that lifecycle settings
-- hide; returns how many events it deleted.
CREATE FUNCTION eventstore.reclaim(max_events integer DEFAULT 100000)
RETURNS bigint
AS 'MODULE_PATHNAME', 'eventstore_reclaim'
LANGUAGE C VOLATILE;

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

REVOKE EXECUTE ON FUNCTION
    eventstore.delete_stream(text, bigint),
    eventstore.tombstone_stream(text, bigint),
    eventstore.truncate_stream(text, bigint),
    eventstore.set_stream_limits(text, bigint, interval),
    eventstore.stream_state(text),
    eventstore.reclaim(integer)
FROM PUBLIC;

-- Stream indexing: the events of a category, of an event type, of a time
-- range and of a correlation id are each read through an index. The category
-- is stored with every event so that a category reads as one index range in
-- log order.
CREATE INDEX events_category_order ON eventstore.events_default (category, transaction_id, position);
CREATE INDEX events_type_order ON eventstore.events_default (event_type, transaction_id, position);
CREATE INDEX events_created_at ON eventstore.events_default USING brin (created_at);
CREATE INDEX events_correlation_id ON eventstore.events_default ((metadata ->> 'correlation_id'))
    WHERE metadata ? 'correlation_id';

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

-- Queries served by the indexes above. They are SQL, inlined into the
-- caller's query (so EXPLAIN shows the index), with every operator and
-- function schema-qualified so that the caller's search_path changes nothing;
-- they hide what the stream lifecycle hides, as the C++ reads do.

-- Whether reads show the event at `version`, appended at `created_at`, of the
-- stream `s`: the SQL form of the rule the C++ reads apply (inlined where used).
CREATE FUNCTION eventstore.event_visible(s eventstore.streams, version bigint, created_at timestamptz)
RETURNS boolean
LANGUAGE sql STABLE
AS $$
  SELECT NOT s.deleted AND NOT s.tombstoned
     AND $2 OPERATOR(pg_catalog.>=) s.truncate_before
     AND (s.max_count IS NULL OR $2 OPERATOR(pg_catalog.>) (s.version OPERATOR(pg_catalog.-) s.max_count))
     AND (s.max_age IS NULL OR $3 OPERATOR(pg_catalog.>=) (pg_catalog.now() OPERATOR(pg_catalog.-) s.max_age))
$$;

-- One event type in log order, after a checkpoint, below the log fence.
CREATE FUNCTION eventstore.read_event_type(
    event_type        text,
    after_transaction xid8    DEFAULT '0',
    after_position    bigint  DEFAULT 0,
    max_count         integer DEFAULT 1000)
RETURNS SETOF eventstore.recorded_event
LANGUAGE sql STABLE ROWS 1000
AS $$
  SELECT s.stream_name, e.version, e.position, e.transaction_id, e.event_id, e.event_type, e.data, e.metadata,
         e.created_at
  FROM eventstore.events e JOIN eventstore.streams s ON s.stream_id OPERATOR(pg_catalog.=) e.stream_id
  WHERE e.event_type OPERATOR(pg_catalog.=) $1
    AND (e.transaction_id, e.position) OPERATOR(pg_catalog.>) ($2, $3)
    AND e.transaction_id OPERATOR(pg_catalog.<) eventstore.log_fence()
    AND eventstore.event_visible(s, e.version, e.created_at)
  ORDER BY e.transaction_id, e.position
  LIMIT $4
$$;

-- Events appended in [from_time, to_time), oldest first, after the cursor
-- (after_time, after_position): the created_at and position of the last event
-- of the previous page. Appends of transactions still in flight come later
-- with earlier times: a time range is a query, not a subscription (follow the
-- log with read_all for that).
CREATE FUNCTION eventstore.read_time_range(
    from_time      timestamptz,
    to_time        timestamptz,
    after_time     timestamptz DEFAULT '-infinity',
    after_position bigint      DEFAULT 0,
    max_count      integer     DEFAULT 1000)
RETURNS SETOF eventstore.recorded_event
LANGUAGE sql STABLE ROWS 1000
AS $$
  SELECT s.stream_name, e.version, e.position, e.transaction_id, e.event_id, e.event_type, e.data, e.metadata,
         e.created_at
  FROM eventstore.events e JOIN eventstore.streams s ON s.stream_id OPERATOR(pg_catalog.=) e.stream_id
  WHERE e.created_at OPERATOR(pg_catalog.>=) $1 AND e.created_at OPERATOR(pg_catalog.<) $2
    AND e.created_at OPERATOR(pg_catalog.>=) $3
    AND (e.created_at, e.position) OPERATOR(pg_catalog.>) ($3, $4)
    AND eventstore.event_visible(s, e.version, e.created_at)
  ORDER BY e.created_at, e.position
  LIMIT $5
$$;

-- Events whose metadata carries this correlation_id, in log order, after the
-- checkpoint (after_transaction, after_position) as read_all pages: only
-- events of committed transactions below the log fence, so that no event
-- later commits before a cursor already handed out.
CREATE FUNCTION eventstore.read_correlated(
    correlation_id    text,
    after_transaction xid8    DEFAULT '0',
    after_position    bigint  DEFAULT 0,
    max_count         integer DEFAULT 1000)
RETURNS SETOF eventstore.recorded_event
LANGUAGE sql STABLE ROWS 100
AS $$
  SELECT s.stream_name, e.version, e.position, e.transaction_id, e.event_id, e.event_type, e.data, e.metadata,
         e.created_at
  FROM eventstore.events e JOIN eventstore.streams s ON s.stream_id OPERATOR(pg_catalog.=) e.stream_id
  WHERE e.metadata OPERATOR(pg_catalog.?) 'correlation_id'
    AND (e.metadata OPERATOR(pg_catalog.->>) 'correlation_id') OPERATOR(pg_catalog.=) $1
    AND (e.transaction_id, e.position) OPERATOR(pg_catalog.>) ($2, $3)
    AND e.transaction_id OPERATOR(pg_catalog.<) eventstore.log_fence()
    AND eventstore.event_visible(s, e.version, e.created_at)
  ORDER BY e.transaction_id, e.position
  LIMIT $4
$$;

REVOKE EXECUTE ON FUNCTION
    eventstore.read_category(text, xid8, bigint, integer, text[], integer, integer, uuid),
    eventstore.read_event_type(text, xid8, bigint, integer),
    eventstore.read_time_range(timestamptz, timestamptz, timestamptz, bigint, integer),
    eventstore.read_correlated(text, xid8, bigint, integer)
FROM PUBLIC;

-- Appends, events and conflicts since the server started (NULL unless the
-- library is in shared_preload_libraries).
CREATE FUNCTION eventstore.counters(OUT appends bigint, OUT events bigint, OUT conflicts bigint)
AS 'MODULE_PATHNAME', 'eventstore_counters'
LANGUAGE C VOLATILE;

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

CREATE VIEW eventstore.category_stats AS
  SELECT s.category, count(DISTINCT s.stream_id) AS streams, count(e.stream_id) AS events,
         max(e.created_at) AS last_appended_at
  FROM eventstore.streams s LEFT JOIN eventstore.events e USING (stream_id)
  GROUP BY s.category;

CREATE VIEW eventstore.event_type_stats AS
  SELECT e.event_type, count(*) AS events,
         sum(pg_column_size(e.data) + coalesce(pg_column_size(e.metadata), 0)) AS payload_bytes,
         max(e.created_at) AS last_appended_at
  FROM eventstore.events e
  GROUP BY e.event_type;

REVOKE EXECUTE ON FUNCTION eventstore.counters(), eventstore.stats(), eventstore.log_fence_report() FROM PUBLIC;

-- Roles (cluster-wide: created once, kept on DROP EXTENSION): a reader reads,
-- a writer also appends and manages streams, an admin also hard-deletes and
-- reclaims. No role may write the tables directly; readers may SELECT them.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'eventstore_reader') THEN
    CREATE ROLE eventstore_reader NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'eventstore_writer') THEN
    CREATE ROLE eventstore_writer NOLOGIN IN ROLE eventstore_reader;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'eventstore_admin') THEN
    CREATE ROLE eventstore_admin NOLOGIN IN ROLE eventstore_writer;
  END IF;
END $$;

GRANT USAGE ON SCHEMA eventstore TO eventstore_reader;
GRANT SELECT ON eventstore.streams, eventstore.events, eventstore.snapshots, eventstore.reclaimed_events,
                eventstore.category_stats, eventstore.event_type_stats TO eventstore_reader;
GRANT EXECUTE ON FUNCTION
    eventstore.stream_version(text),
    eventstore.read_stream(text, bigint, integer, text),
    eventstore.read_all(xid8, bigint, integer, text[], uuid),
    eventstore.read_category(text, xid8, bigint, integer, text[], integer, integer, uuid),
    eventstore.read_event_type(text, xid8, bigint, integer),
    eventstore.read_time_range(timestamptz, timestamptz, timestamptz, bigint, integer),
    eventstore.read_correlated(text, xid8, bigint, integer),
    eventstore.load(text, integer, integer),
    eventstore.stream_state(text)
TO eventstore_reader;
GRANT EXECUTE ON FUNCTION
    eventstore.append(text, bigint, eventstore.event_data[]),
    eventstore.append_multi(eventstore.stream_append[]),
    eventstore.save_snapshot(text, bigint, jsonb, integer, integer),
    eventstore.delete_stream(text, bigint),
    eventstore.truncate_stream(text, bigint),
    eventstore.set_stream_limits(text, bigint, interval)
TO eventstore_writer;
GRANT EXECUTE ON FUNCTION
    eventstore.tombstone_stream(text, bigint),
    eventstore.reclaim(integer),
    eventstore.counters(),
    eventstore.stats(),
    eventstore.log_fence_report()
TO eventstore_admin;

-- Monthly partitions (docs/partitioning.md): an optional layout in which the
-- log has one partition per UTC month, so that old months can be detached or
-- dropped as a retention policy. The functions below are the only way to
-- change the layout; they run as the extension's owner (SECURITY DEFINER, with
-- a pinned search_path and time zone) and are granted to eventstore_admin.
-- event_partitions() reads only public catalogs and runs as its caller.

-- The partitions of the log, oldest first; the default partition (which holds
-- every event of an unpartitioned store) has no bounds.
CREATE FUNCTION eventstore.event_partitions()
RETURNS TABLE (partition_name text, from_time timestamptz, to_time timestamptz, is_default boolean, bytes bigint)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp SET TimeZone = 'UTC' SET DateStyle = 'ISO'
AS $$
  SELECT c.relname::text,
         (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \(''([^'']+)''\)'))[1]::timestamptz,
         (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \(''([^'']+)''\)'))[1]::timestamptz,
         pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT',
         pg_total_relation_size(c.oid)
  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
  WHERE i.inhparent = 'eventstore.events'::regclass
  ORDER BY 2 NULLS FIRST
$$;

-- Creates the partition of the UTC month starting at `month_start`, with the
-- same unique keys and indexes as events_default, and attaches it.
CREATE FUNCTION eventstore.create_month_partition(month_start timestamptz)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET TimeZone = 'UTC'
AS $$
DECLARE
  name text := 'events_p' || to_char(month_start, 'YYYYMM');
BEGIN
  EXECUTE format('CREATE TABLE eventstore.%I (LIKE eventstore.events INCLUDING DEFAULTS)', name);
  EXECUTE format('ALTER TABLE eventstore.%I ADD CONSTRAINT %I PRIMARY KEY (stream_id, version), '
                 'ADD CONSTRAINT %I UNIQUE (event_id), ADD CONSTRAINT %I UNIQUE (transaction_id, position)',
                 name, name || '_pkey', name || '_event_id_key', name || '_log_order_key');
  EXECUTE format('CREATE INDEX %I ON eventstore.%I (category, transaction_id, position)', name || '_category_order', name);
  EXECUTE format('CREATE INDEX %I ON eventstore.%I (event_type, transaction_id, position)', name || '_type_order', name);
  EXECUTE format('CREATE INDEX %I ON eventstore.%I USING brin (created_at)', name || '_created_at', name);
  EXECUTE format('CREATE INDEX %I ON eventstore.%I ((metadata ->> ''correlation_id'')) WHERE metadata ? ''correlation_id''',
                 name || '_correlation_id', name);
  EXECUTE format('ALTER TABLE eventstore.events ATTACH PARTITION eventstore.%I FOR VALUES FROM (%L) TO (%L)',
                 name, month_start, month_start + interval '1 month');
  RETURN name;
END
$$;

-- Switches an empty store to monthly partitions: one per UTC month from
-- `first_month` (default: the current month) to `months_ahead` months after
-- the current one. Returns how many partitions it created.
CREATE FUNCTION eventstore.use_monthly_partitions(months_ahead integer DEFAULT 3, first_month date DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET TimeZone = 'UTC'
AS $$
DECLARE
  current_month timestamptz := date_trunc('month', now());
  this_month timestamptz;
  created integer := 0;
BEGIN
  IF months_ahead IS NULL OR months_ahead < 1 OR months_ahead > 120 THEN
    RAISE EXCEPTION 'months_ahead must be between 1 and 120, got %', coalesce(months_ahead::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  this_month := coalesce(date_trunc('month', first_month::timestamp) AT TIME ZONE 'UTC', current_month);
  IF this_month > current_month OR this_month < current_month - interval '100 years' THEN
    RAISE EXCEPTION 'first_month must be a month up to the current one, got %', first_month
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- Waits for appends and reads in flight; none can start until commit.
  LOCK TABLE eventstore.events IN ACCESS EXCLUSIVE MODE;
  IF EXISTS (SELECT FROM eventstore.event_partitions() p WHERE NOT p.is_default) THEN
    RAISE EXCEPTION 'the event log is already partitioned by month'
      USING ERRCODE = '55V02', HINT = 'Use eventstore.maintain_partitions() to add months.';
  END IF;
  IF EXISTS (SELECT FROM eventstore.events) THEN
    RAISE EXCEPTION 'the event log already holds events; monthly partitions can be chosen only for an empty store'
      USING ERRCODE = '55V02',
            HINT = 'Choose the layout before the first append, or dump the store and restore it into a partitioned one.';
  END IF;
  WHILE this_month <= current_month + make_interval(months => months_ahead) LOOP
    PERFORM eventstore.create_month_partition(this_month);
    created := created + 1;
    this_month := this_month + interval '1 month';
  END LOOP;
  RETURN created;
END
$$;

-- Creates the partitions of the next `months_ahead` months that are missing,
-- and with `retain_months` detaches the partitions that end before the start
-- of the month `retain_months - 1` months before the current one (so 1 keeps
-- only the current month), dropping them when `drop_old`. A detached partition
-- stays as the table eventstore.events_pYYYYMM, for archiving. Returns what it did.
CREATE FUNCTION eventstore.maintain_partitions(months_ahead integer DEFAULT 3, retain_months integer DEFAULT NULL,
                                               drop_old boolean DEFAULT false)
RETURNS TABLE (partition_name text, action text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET TimeZone = 'UTC'
AS $$
DECLARE
  current_month timestamptz := date_trunc('month', now());
  this_month timestamptz;
  expired record;
BEGIN
  IF months_ahead IS NULL OR months_ahead < 0 OR months_ahead > 120 THEN
    RAISE EXCEPTION 'months_ahead must be between 0 and 120, got %', coalesce(months_ahead::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF retain_months IS NOT NULL AND retain_months < 1 THEN
    RAISE EXCEPTION 'retain_months must be at least 1 (the current month is always kept), got %', retain_months
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF drop_old IS NULL THEN
    RAISE EXCEPTION 'drop_old must not be NULL' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF NOT EXISTS (SELECT FROM eventstore.event_partitions() p WHERE NOT p.is_default) THEN
    RAISE EXCEPTION 'the event log is not partitioned by month'
      USING ERRCODE = '55V02', HINT = 'Call eventstore.use_monthly_partitions() on an empty store first.';
  END IF;
  this_month := current_month;
  WHILE this_month <= current_month + make_interval(months => months_ahead) LOOP
    IF NOT EXISTS (SELECT FROM eventstore.event_partitions() p WHERE p.from_time <= this_month AND p.to_time > this_month) THEN
      partition_name := eventstore.create_month_partition(this_month);
      action := 'created';
      RETURN NEXT;
    END IF;
    this_month := this_month + interval '1 month';
  END LOOP;
  IF retain_months IS NOT NULL THEN
    FOR expired IN SELECT p.partition_name FROM eventstore.event_partitions() p
               WHERE NOT p.is_default
                 AND p.to_time <= current_month - make_interval(months => retain_months - 1)
               ORDER BY p.from_time LOOP
      EXECUTE format('ALTER TABLE eventstore.events DETACH PARTITION eventstore.%I', expired.partition_name);
      partition_name := expired.partition_name;
      action := 'detached';
      IF drop_old THEN
        EXECUTE format('DROP TABLE eventstore.%I', expired.partition_name);
        action := 'dropped';
      END IF;
      RETURN NEXT;
    END LOOP;
  END IF;
END
$$;

REVOKE EXECUTE ON FUNCTION
    eventstore.event_partitions(),
    eventstore.create_month_partition(timestamptz),
    eventstore.use_monthly_partitions(integer, date),
    eventstore.maintain_partitions(integer, integer, boolean)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION eventstore.event_partitions() TO eventstore_reader;
GRANT EXECUTE ON FUNCTION
    eventstore.use_monthly_partitions(integer, date),
    eventstore.maintain_partitions(integer, integer, boolean)
TO eventstore_admin;

-- Subscriptions (docs/subscriptions.md): a subscription's readers share its
-- partitions (the streams split by consumer_group_member(stream_name,
-- partition_count)); each partition has a checkpoint and a lease. A member
-- holds a partition's lease while it renews it; when the lease passes to
-- another member its epoch grows, and a checkpoint is written only with the
-- current epoch and only forwards: a stale member, or an old run that
-- acknowledges late, never moves a checkpoint back. Membership is rows with
-- an expiry, never session locks (which a transaction-mode pooler breaks).
CREATE TABLE eventstore.subscriptions (
    subscription_name text        NOT NULL CHECK (subscription_name ~ '^[A-Za-z0-9_.:-]{1,200}$'),
    partition_count   integer     NOT NULL CHECK (partition_count BETWEEN 1 AND 1024),
    -- What the subscription reads: the whole log, or one category; only some
    -- event types when event_types is not NULL. Used for its lag.
    category          text,
    event_types       text[],
    created_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT subscriptions_pkey PRIMARY KEY (subscription_name)
);

CREATE TABLE eventstore.subscription_partitions (
    subscription_name      text        NOT NULL REFERENCES eventstore.subscriptions ON DELETE CASCADE,
    partition_number       integer     NOT NULL,
    -- The member holding the lease (NULL: free) until lease_expires_at.
    owner                  text,
    lease_expires_at       timestamptz,
    -- Grows each time the lease passes to a member.
    lease_epoch            bigint      NOT NULL DEFAULT 0,
    -- The last event handled (NULL: none yet), as read_all pages on it.
    checkpoint_transaction xid8,
    checkpoint_position    bigint,
    acknowledged_at        timestamptz,
    CONSTRAINT subscription_partitions_pkey PRIMARY KEY (subscription_name, partition_number)
);

CREATE TABLE eventstore.subscription_members (
    subscription_name text        NOT NULL REFERENCES eventstore.subscriptions ON DELETE CASCADE,
    member            text        NOT NULL CHECK (length(member) BETWEEN 1 AND 200),
    expires_at        timestamptz NOT NULL,
    joined_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT subscription_members_pkey PRIMARY KEY (subscription_name, member)
);

-- Events a subscription's handler failed on after its retries: kept with
-- their position, the last error and the attempts, until an operator replays
-- them ('replay': the subscription handles them again) or skips them.
CREATE TABLE eventstore.parked_events (
    subscription_name text        NOT NULL REFERENCES eventstore.subscriptions ON DELETE CASCADE,
    event_id          uuid        NOT NULL,
    partition_number  integer     NOT NULL,
    stream_name       text        NOT NULL,
    version           bigint      NOT NULL,
    transaction_id    xid8        NOT NULL,
    position          bigint      NOT NULL,
    event_type        text        NOT NULL,
    error             text        NOT NULL,
    attempts          integer     NOT NULL,
    state             text        NOT NULL DEFAULT 'parked' CHECK (state IN ('parked', 'replay', 'skipped', 'replayed')),
    parked_at         timestamptz NOT NULL DEFAULT now(),
    resolved_at       timestamptz,
    CONSTRAINT parked_events_pkey PRIMARY KEY (subscription_name, event_id)
);
CREATE INDEX parked_events_state ON eventstore.parked_events (subscription_name, state, transaction_id, position);

SELECT pg_catalog.pg_extension_config_dump('eventstore.subscriptions', '');
SELECT pg_catalog.pg_extension_config_dump('eventstore.subscription_partitions', '');
SELECT pg_catalog.pg_extension_config_dump('eventstore.subscription_members', '');
SELECT pg_catalog.pg_extension_config_dump('eventstore.parked_events', '');

-- Wakes the reader when the log may have moved: the database's change
-- counter once it differs from `seen` (or after timeout_ms), at once when
-- `seen` is NULL. NULL without the library in shared_preload_libraries (after
-- a sleep of at most 100 ms): the reader then polls. Readers always read by
-- position: a wake-up only says when.
CREATE FUNCTION eventstore.wait_for_log(seen bigint DEFAULT NULL, timeout_ms integer DEFAULT 1000)
RETURNS bigint
AS 'MODULE_PATHNAME', 'eventstore_wait_for_log'
LANGUAGE C VOLATILE;

-- The member (0 .. group_size - 1) of a consumer group that reads the stream,
-- by the hash read_category uses.
CREATE FUNCTION eventstore.consumer_group_member(stream_name text, group_size integer)
RETURNS integer
AS 'MODULE_PATHNAME', 'eventstore_consumer_group_member'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Joins (or renews) `member` in the subscription, creating the subscription
-- at its first join, and returns the partitions the member holds now, with
-- their epoch and checkpoint. The live members (sorted by name) share the
-- partitions round robin; a partition passes to its new member once the
-- member holding it lets it go (at its next join) or its lease expires. A
-- dead member's partitions are taken over within `lease` plus one join
-- interval of the others. Joins of one subscription run one at a time.
-- 22023 when partition_count, category or event_types differ from the
-- subscription's, or the lease is not positive.
CREATE FUNCTION eventstore.join_subscription(
    subscription_name text,
    member            text,
    partition_count   integer  DEFAULT 1,
    lease             interval DEFAULT '10 seconds',
    category          text     DEFAULT NULL,
    event_types       text[]   DEFAULT NULL)
RETURNS TABLE (partition_number integer, lease_epoch bigint, checkpoint_transaction xid8, checkpoint_position bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  existing eventstore.subscriptions;
  now_at   timestamptz := clock_timestamp();
  members  text[];
  my_rank  integer;
BEGIN
  IF join_subscription.subscription_name IS NULL OR join_subscription.member IS NULL
     OR join_subscription.partition_count IS NULL OR join_subscription.lease IS NULL THEN
    RAISE EXCEPTION 'subscription_name, member, partition_count and lease must not be NULL' USING ERRCODE = '22004';
  END IF;
  IF join_subscription.subscription_name !~ '^[A-Za-z0-9_.:-]{1,200}$' THEN
    RAISE EXCEPTION 'subscription_name must be 1 to 200 letters, digits, ''_'', ''.'', '':'' or ''-'', got "%"',
      join_subscription.subscription_name USING ERRCODE = '22023';
  END IF;
  IF length(join_subscription.member) NOT BETWEEN 1 AND 200 THEN
    RAISE EXCEPTION 'member must be 1 to 200 characters' USING ERRCODE = '22023';
  END IF;
  IF join_subscription.lease <= interval '0' THEN
    RAISE EXCEPTION 'lease must be positive, got %', join_subscription.lease USING ERRCODE = '22023';
  END IF;
  INSERT INTO eventstore.subscriptions AS s (subscription_name, partition_count, category, event_types)
    VALUES (join_subscription.subscription_name, join_subscription.partition_count,
            join_subscription.category, join_subscription.event_types)
    ON CONFLICT ON CONSTRAINT subscriptions_pkey DO NOTHING;
  SELECT * INTO existing FROM eventstore.subscriptions AS s
    WHERE s.subscription_name = join_subscription.subscription_name FOR UPDATE;
  IF existing.partition_count <> join_subscription.partition_count
     OR existing.category IS DISTINCT FROM join_subscription.category
     OR existing.event_types IS DISTINCT FROM join_subscription.event_types THEN
    RAISE EXCEPTION 'subscription "%" reads % with % partitions; this member asks for % with %',
      existing.subscription_name,
      coalesce('category ' || existing.category, 'the log') || coalesce(' types ' || existing.event_types::text, ''),
      existing.partition_count,
      coalesce('category ' || join_subscription.category, 'the log') || coalesce(' types ' || join_subscription.event_types::text, ''),
      join_subscription.partition_count
      USING ERRCODE = '22023';
  END IF;
  INSERT INTO eventstore.subscription_partitions AS p (subscription_name, partition_number)
    SELECT existing.subscription_name, n FROM generate_series(0, existing.partition_count - 1) AS n
    ON CONFLICT ON CONSTRAINT subscription_partitions_pkey DO NOTHING;

  DELETE FROM eventstore.subscription_members AS m
    WHERE m.subscription_name = existing.subscription_name AND m.expires_at <= now_at;
  INSERT INTO eventstore.subscription_members AS m (subscription_name, member, expires_at)
    VALUES (existing.subscription_name, join_subscription.member, now_at + join_subscription.lease)
    ON CONFLICT ON CONSTRAINT subscription_members_pkey DO UPDATE SET expires_at = excluded.expires_at;
  SELECT array_agg(m.member ORDER BY m.member COLLATE "C") INTO members
    FROM eventstore.subscription_members AS m WHERE m.subscription_name = existing.subscription_name;
  my_rank := array_position(members, join_subscription.member) - 1;

  -- Let go of what is no longer this member's.
  UPDATE eventstore.subscription_partitions AS p SET owner = NULL, lease_expires_at = NULL
    WHERE p.subscription_name = existing.subscription_name AND p.owner = join_subscription.member
      AND p.partition_number % cardinality(members) <> my_rank;
  -- Renew what it holds, and take what is its own and free (never held, let
  -- go, or its lease expired).
  UPDATE eventstore.subscription_partitions AS p
    SET lease_epoch = CASE WHEN p.owner = join_subscription.member THEN p.lease_epoch ELSE p.lease_epoch + 1 END,
        owner = join_subscription.member,
        lease_expires_at = now_at + join_subscription.lease
    WHERE p.subscription_name = existing.subscription_name
      AND p.partition_number % cardinality(members) = my_rank
      AND (p.owner IS NULL OR p.owner = join_subscription.member OR p.lease_expires_at <= now_at);
  RETURN QUERY
    SELECT p.partition_number, p.lease_epoch, p.checkpoint_transaction, p.checkpoint_position
    FROM eventstore.subscription_partitions AS p
    WHERE p.subscription_name = existing.subscription_name AND p.owner = join_subscription.member
    ORDER BY p.partition_number;
END
$$;

-- Raises 55V04 unless `member` holds the partition's lease at `lease_epoch`
-- (it may have expired while no other member took it), and locks the row.
CREATE FUNCTION eventstore.check_subscription_lease(
    subscription_name text, member text, partition_number integer, lease_epoch bigint)
RETURNS eventstore.subscription_partitions
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  held eventstore.subscription_partitions;
BEGIN
  SELECT * INTO held FROM eventstore.subscription_partitions AS p
    WHERE p.subscription_name = check_subscription_lease.subscription_name
      AND p.partition_number = check_subscription_lease.partition_number
    FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'subscription "%" has no partition %', check_subscription_lease.subscription_name,
      check_subscription_lease.partition_number USING ERRCODE = '42V01';
  END IF;
  IF held.owner IS DISTINCT FROM check_subscription_lease.member OR held.lease_epoch <> check_subscription_lease.lease_epoch THEN
    RAISE EXCEPTION 'member "%" no longer holds partition % of subscription "%" (epoch %, now % held by %)',
      check_subscription_lease.member, held.partition_number, held.subscription_name, check_subscription_lease.lease_epoch,
      held.lease_epoch, coalesce('"' || held.owner || '"', 'nobody')
      USING ERRCODE = '55V04';
  END IF;
  RETURN held;
END
$$;

-- Moves the partition's checkpoint forwards to (checkpoint_transaction,
-- checkpoint_position): true when it moved, false when the checkpoint was
-- already there or beyond (it never moves back). 55V04 when `member` no
-- longer holds the lease at `lease_epoch`. Called in the transaction that
-- writes a projection's read model, the read model and the checkpoint commit
-- together.
CREATE FUNCTION eventstore.acknowledge(
    subscription_name      text,
    member                 text,
    partition_number       integer,
    lease_epoch            bigint,
    checkpoint_transaction xid8,
    checkpoint_position    bigint)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  held eventstore.subscription_partitions;
BEGIN
  IF acknowledge.checkpoint_transaction IS NULL OR acknowledge.checkpoint_position IS NULL THEN
    RAISE EXCEPTION 'checkpoint_transaction and checkpoint_position must not be NULL' USING ERRCODE = '22004';
  END IF;
  held := eventstore.check_subscription_lease(acknowledge.subscription_name, acknowledge.member,
                                              acknowledge.partition_number, acknowledge.lease_epoch);
  IF held.checkpoint_transaction IS NOT NULL
     AND (held.checkpoint_transaction, held.checkpoint_position)
         >= (acknowledge.checkpoint_transaction, acknowledge.checkpoint_position) THEN
    RETURN false;
  END IF;
  UPDATE eventstore.subscription_partitions AS p
    SET checkpoint_transaction = acknowledge.checkpoint_transaction,
        checkpoint_position = acknowledge.checkpoint_position,
        acknowledged_at = clock_timestamp()
    WHERE p.subscription_name = held.subscription_name AND p.partition_number = held.partition_number;
  RETURN true;
END
$$;

-- The member leaves: its partitions are free for the others at their next join.
CREATE FUNCTION eventstore.leave_subscription(subscription_name text, member text)
RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  UPDATE eventstore.subscription_partitions AS p SET owner = NULL, lease_expires_at = NULL
    WHERE p.subscription_name = leave_subscription.subscription_name AND p.owner = leave_subscription.member;
  DELETE FROM eventstore.subscription_members AS m
    WHERE m.subscription_name = leave_subscription.subscription_name AND m.member = leave_subscription.member;
$$;

-- Parks an event the handler failed on (fenced like acknowledge); parking it
-- again (a replay that failed) updates its error and attempts.
CREATE FUNCTION eventstore.park_event(
    subscription_name text,
    member            text,
    partition_number  integer,
    lease_epoch       bigint,
    event_id          uuid,
    stream_name       text,
    version           bigint,
    event_transaction xid8,
    event_position    bigint,
    event_type        text,
    error             text,
    attempts          integer)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM eventstore.check_subscription_lease(park_event.subscription_name, park_event.member,
                                              park_event.partition_number, park_event.lease_epoch);
  INSERT INTO eventstore.parked_events AS e (subscription_name, event_id, partition_number, stream_name, version,
                                             transaction_id, position, event_type, error, attempts)
    VALUES (park_event.subscription_name, park_event.event_id, park_event.partition_number, park_event.stream_name,
            park_event.version, park_event.event_transaction, park_event.event_position, park_event.event_type,
            left(park_event.error, 4000), park_event.attempts)
    ON CONFLICT ON CONSTRAINT parked_events_pkey DO UPDATE
      SET error = excluded.error, attempts = e.attempts + excluded.attempts, state = 'parked',
          parked_at = now(), resolved_at = NULL;
END
$$;

-- Raises 42V01 when the subscription does not exist.
CREATE FUNCTION eventstore.require_subscription(subscription_name text)
RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NOT EXISTS (SELECT FROM eventstore.subscriptions AS s WHERE s.subscription_name = require_subscription.subscription_name) THEN
    RAISE EXCEPTION 'subscription "%" does not exist', require_subscription.subscription_name USING ERRCODE = '42V01';
  END IF;
END
$$;

-- Operator commands: replay parked events (all, or one), or skip one. They
-- return how many events changed state; the subscription's members replay
-- at their next join.
CREATE FUNCTION eventstore.replay_parked_events(subscription_name text, event_id uuid DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  changed integer;
BEGIN
  PERFORM eventstore.require_subscription(replay_parked_events.subscription_name);
  UPDATE eventstore.parked_events AS e SET state = 'replay'
    WHERE e.subscription_name = replay_parked_events.subscription_name AND e.state = 'parked'
      AND (replay_parked_events.event_id IS NULL OR e.event_id = replay_parked_events.event_id);
  GET DIAGNOSTICS changed = ROW_COUNT;
  RETURN changed;
END
$$;

CREATE FUNCTION eventstore.skip_parked_event(subscription_name text, event_id uuid)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  changed integer;
BEGIN
  PERFORM eventstore.require_subscription(skip_parked_event.subscription_name);
  UPDATE eventstore.parked_events AS e SET state = 'skipped', resolved_at = now()
    WHERE e.subscription_name = skip_parked_event.subscription_name AND e.event_id = skip_parked_event.event_id
      AND e.state IN ('parked', 'replay');
  GET DIAGNOSTICS changed = ROW_COUNT;
  RETURN changed;
END
$$;

-- The events an operator asked to replay in the partitions `member` holds,
-- oldest first.
CREATE FUNCTION eventstore.parked_events_to_replay(subscription_name text, member text, max_count integer DEFAULT 100)
RETURNS SETOF eventstore.parked_events
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT e.* FROM eventstore.parked_events AS e
    JOIN eventstore.subscription_partitions AS p
      ON p.subscription_name = e.subscription_name AND p.partition_number = e.partition_number
  WHERE e.subscription_name = parked_events_to_replay.subscription_name AND e.state = 'replay'
    AND p.owner = parked_events_to_replay.member
  ORDER BY e.transaction_id, e.position
  LIMIT parked_events_to_replay.max_count
$$;

-- A replayed event was handled (fenced like acknowledge).
CREATE FUNCTION eventstore.resolve_parked_event(
    subscription_name text, member text, partition_number integer, lease_epoch bigint, event_id uuid)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM eventstore.check_subscription_lease(resolve_parked_event.subscription_name, resolve_parked_event.member,
                                              resolve_parked_event.partition_number, resolve_parked_event.lease_epoch);
  UPDATE eventstore.parked_events AS e SET state = 'replayed', resolved_at = now()
    WHERE e.subscription_name = resolve_parked_event.subscription_name AND e.event_id = resolve_parked_event.event_id;
END
$$;

-- Moves every checkpoint of the subscription to (checkpoint_transaction,
-- checkpoint_position), or to the start when both are NULL: its members
-- lose their leases (the epochs grow) and read again from there.
CREATE FUNCTION eventstore.reset_subscription(
    subscription_name text, checkpoint_transaction xid8 DEFAULT NULL, checkpoint_position bigint DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM eventstore.require_subscription(reset_subscription.subscription_name);
  IF (reset_subscription.checkpoint_transaction IS NULL) <> (reset_subscription.checkpoint_position IS NULL) THEN
    RAISE EXCEPTION 'checkpoint_transaction and checkpoint_position must be given together (or both NULL)'
      USING ERRCODE = '22023';
  END IF;
  UPDATE eventstore.subscription_partitions AS p
    SET checkpoint_transaction = reset_subscription.checkpoint_transaction,
        checkpoint_position = reset_subscription.checkpoint_position,
        owner = NULL, lease_expires_at = NULL, lease_epoch = p.lease_epoch + 1, acknowledged_at = clock_timestamp()
    WHERE p.subscription_name = reset_subscription.subscription_name;
END
$$;

-- How far each partition is behind the head of the log: the events of its
-- streams after its checkpoint (of the subscription's category and types),
-- and the seconds from the oldest of them to now; its lease; its parked
-- events; and, when readers are held back, what holds them (the oldest
-- holder of eventstore.log_fence_report()).
CREATE FUNCTION eventstore.subscription_lag(subscription_name text)
RETURNS TABLE (
    partition_number       integer,
    owner                  text,
    lease_epoch            bigint,
    lease_expires_at       timestamptz,
    checkpoint_transaction xid8,
    checkpoint_position    bigint,
    events_behind          bigint,
    seconds_behind         double precision,
    parked_events          bigint,
    log_held_by            text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  subscription eventstore.subscriptions;
  holder       text;
BEGIN
  PERFORM eventstore.require_subscription(subscription_lag.subscription_name);
  SELECT * INTO subscription FROM eventstore.subscriptions AS s WHERE s.subscription_name = subscription_lag.subscription_name;
  SELECT r.kind || coalesce(' pid ' || r.pid, '') || coalesce(' gid ' || r.gid, '') || ' for ' || coalesce(r.age::text, '?')
    INTO holder FROM eventstore.log_fence_report() AS r LIMIT 1;
  RETURN QUERY
    SELECT p.partition_number, p.owner, p.lease_epoch, p.lease_expires_at, p.checkpoint_transaction,
           p.checkpoint_position, behind.events, coalesce(extract(epoch FROM clock_timestamp() - behind.oldest)::float8, 0),
           (SELECT count(*) FROM eventstore.parked_events AS e
             WHERE e.subscription_name = p.subscription_name AND e.partition_number = p.partition_number
               AND e.state IN ('parked', 'replay')),
           holder
    FROM eventstore.subscription_partitions AS p
    CROSS JOIN LATERAL (
      SELECT count(*) AS events, min(e.created_at) AS oldest
      FROM eventstore.events AS e JOIN eventstore.streams AS st ON st.stream_id = e.stream_id
      WHERE (p.checkpoint_transaction IS NULL
             OR (e.transaction_id, e.position) > (p.checkpoint_transaction, p.checkpoint_position))
        AND (subscription.category IS NULL OR e.category = subscription.category)
        AND (subscription.event_types IS NULL OR e.event_type = ANY (subscription.event_types))
        AND (subscription.partition_count = 1
             OR eventstore.consumer_group_member(st.stream_name, subscription.partition_count) = p.partition_number)
    ) AS behind
    WHERE p.subscription_name = subscription.subscription_name
    ORDER BY p.partition_number;
END
$$;

-- Removes the subscription with its checkpoints, members and parked events.
CREATE FUNCTION eventstore.drop_subscription(subscription_name text)
RETURNS boolean
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  WITH gone AS (DELETE FROM eventstore.subscriptions AS s WHERE s.subscription_name = drop_subscription.subscription_name RETURNING 1)
  SELECT count(*) > 0 FROM gone
$$;

REVOKE EXECUTE ON FUNCTION
    eventstore.wait_for_log(bigint, integer),
    eventstore.join_subscription(text, text, integer, interval, text, text[]),
    eventstore.check_subscription_lease(text, text, integer, bigint),
    eventstore.acknowledge(text, text, integer, bigint, xid8, bigint),
    eventstore.leave_subscription(text, text),
    eventstore.park_event(text, text, integer, bigint, uuid, text, bigint, xid8, bigint, text, text, integer),
    eventstore.require_subscription(text),
    eventstore.replay_parked_events(text, uuid),
    eventstore.skip_parked_event(text, uuid),
    eventstore.parked_events_to_replay(text, text, integer),
    eventstore.resolve_parked_event(text, text, integer, bigint, uuid),
    eventstore.reset_subscription(text, xid8, bigint),
    eventstore.subscription_lag(text),
    eventstore.drop_subscription(text)
FROM PUBLIC;
-- Readers subscribe (their checkpoints and parked events are theirs to
-- write); writers also operate subscriptions; admins also reset and drop.
GRANT SELECT ON eventstore.subscriptions, eventstore.subscription_partitions, eventstore.subscription_members,
                eventstore.parked_events TO eventstore_reader;
GRANT EXECUTE ON FUNCTION
    eventstore.wait_for_log(bigint, integer),
    eventstore.consumer_group_member(text, integer),
    eventstore.join_subscription(text, text, integer, interval, text, text[]),
    eventstore.acknowledge(text, text, integer, bigint, xid8, bigint),
    eventstore.leave_subscription(text, text),
    eventstore.park_event(text, text, integer, bigint, uuid, text, bigint, xid8, bigint, text, text, integer),
    eventstore.parked_events_to_replay(text, text, integer),
    eventstore.resolve_parked_event(text, text, integer, bigint, uuid),
    eventstore.subscription_lag(text)
TO eventstore_reader;
GRANT EXECUTE ON FUNCTION
    eventstore.replay_parked_events(text, uuid),
    eventstore.skip_parked_event(text, uuid)
TO eventstore_writer;
GRANT EXECUTE ON FUNCTION
    eventstore.reset_subscription(text, xid8, bigint),
    eventstore.drop_subscription(text)
TO eventstore_admin;
