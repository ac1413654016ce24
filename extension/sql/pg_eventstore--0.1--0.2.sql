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
