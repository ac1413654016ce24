-- pg_eventstore 0.3: streams, events, snapshots, stream lifecycle, indexes for reads, roles, append with optimistic concurrency, reads,
-- and the commit-safe global log. The functions are C++ inside the backend
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
