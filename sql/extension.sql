-- Installing the extension creates its schema, tables, types and functions.
CREATE EXTENSION pg_eventstore;
SELECT extname, extversion, extrelocatable, nspname
FROM pg_extension JOIN pg_namespace ON pg_namespace.oid = extnamespace
WHERE extname = 'pg_eventstore';

SELECT c.relname, c.relkind
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'eventstore'
ORDER BY c.relname;

SELECT indexrelid::regclass AS index, pg_get_indexdef(indexrelid) AS definition
FROM pg_index WHERE indrelid IN ('eventstore.streams'::regclass, 'eventstore.events_default'::regclass)
ORDER BY 1::text;

SELECT p.proname, pg_get_function_identity_arguments(p.oid) AS arguments, l.lanname
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
WHERE n.nspname = 'eventstore'
ORDER BY p.proname;

-- pg_dump keeps the events: the tables and sequences are extension configuration.
SELECT unnest(extconfig)::regclass AS dumped FROM pg_extension WHERE extname = 'pg_eventstore' ORDER BY 1::text;

-- The settings exist with their defaults, and the prefix is reserved.
SHOW eventstore.max_event_size;
SHOW eventstore.max_append_events;
SET eventstore.no_such_setting = 1;

-- New event ids are time-ordered version 7 UUIDs, increasing within a session.
SELECT substr(eventstore.new_event_id()::text, 15, 1) AS uuid_version;
SELECT bool_and(a < b) AS increasing
FROM (SELECT id AS a, lead(id) OVER (ORDER BY n) AS b
      FROM (SELECT n, eventstore.new_event_id() AS id FROM generate_series(1, 1000) n) ids) pairs
WHERE b IS NOT NULL;
