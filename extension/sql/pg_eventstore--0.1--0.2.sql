-- pg_eventstore 0.1 -> 0.2: snapshots.

\echo Use "ALTER EXTENSION pg_eventstore UPDATE TO '0.2'" to load this file. \quit

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
ALTER TABLE eventstore.streams
    ADD COLUMN deleted         boolean NOT NULL DEFAULT false,
    ADD COLUMN tombstoned      boolean NOT NULL DEFAULT false,
    ADD COLUMN truncate_before bigint  NOT NULL DEFAULT 0,
    ADD COLUMN max_count       bigint,
    ADD COLUMN max_age         interval;

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

REVOKE EXECUTE ON FUNCTION
    eventstore.delete_stream(text, bigint),
    eventstore.tombstone_stream(text, bigint),
    eventstore.truncate_stream(text, bigint),
    eventstore.set_stream_limits(text, bigint, interval),
    eventstore.stream_state(text),
    eventstore.reclaim(integer)
FROM PUBLIC;
