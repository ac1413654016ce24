-- The append benchmark's database: the extension, the seed both sides start
-- from, and the baseline (the physical limit): a table of the same shape as
-- eventstore.events, written by plain INSERT with no concurrency check.
--
-- psql variables: seed_streams, seed_events (per stream), event_type, data, meta.
\set ON_ERROR_STOP on

CREATE EXTENSION pg_eventstore;

-- The baseline table: same columns, types, collations, NOT NULLs, keys and
-- indexes as eventstore.events_default, the partition every append of the
-- default layout writes to (the partitioned parent has no indexes of its own);
-- the shape check below proves it.
CREATE SCHEMA baseline;
CREATE TABLE baseline.events (LIKE eventstore.events_default INCLUDING ALL);
CREATE SEQUENCE baseline.position_seq AS bigint;
-- Versions only need to be unique per stream; one sequence gives that (it
-- starts above the seeded versions, see reset-baseline.sql), and new keys land
-- at the end of their stream's key range, as ours do.
CREATE SEQUENCE baseline.version_seq AS bigint;
-- For the variant baseline_stream-N.sql only (the limit plus a per-stream
-- row): a copy of eventstore.streams, same shape and fill factor.
CREATE TABLE baseline.streams (LIKE eventstore.streams INCLUDING ALL) WITH (fillfactor = 70);

-- The seed: seed_streams streams named bench-<n> with seed_events events each,
-- written by our append (so the stream rows are what append makes), then kept
-- aside so that every run starts from the same store. One transaction per
-- 1000 streams: append holds a lock per stream it creates until commit, and
-- 100k of them do not fit in the lock table.
SELECT format($seed$SELECT count(*) AS seeded FROM (SELECT eventstore.append('bench-' || g, -1, array_fill(eventstore.event(%L, %L::jsonb, %L::jsonb), ARRAY[%s])) FROM generate_series(%s, %s) AS g) AS appended$seed$,
              :'event_type', :'data', :'meta', :seed_events, first, least(first + 999, :seed_streams))
FROM generate_series(1, :seed_streams, 1000) AS first ORDER BY first \gexec

CREATE SCHEMA bench_seed;
CREATE TABLE bench_seed.streams AS SELECT * FROM eventstore.streams ORDER BY stream_id;
CREATE TABLE bench_seed.events AS SELECT * FROM eventstore.events ORDER BY position;
-- append has no NULL event_id default to copy: each seeded event needs its own id.
SELECT count(DISTINCT event_id) = count(*) AS seed_ids_unique FROM bench_seed.events \gset
\if :seed_ids_unique
\else
  \echo 'the seeded event ids are not unique'
  SELECT 1/0;
\endif

-- Both sides draw the same random number n; ours appends to 'bench-' || n, the
-- baseline inserts stream_id n. That is one stream only if the ids match.
SELECT count(*) = 0 AS ids_match FROM bench_seed.streams WHERE stream_name <> 'bench-' || stream_id \gset
\if :ids_match
\else
  \echo 'stream ids do not match the stream names (bench-<id>)'
  SELECT 1/0;
\endif

-- Shape check: columns (name, type, typmod, collation, NOT NULL, default) and
-- index definitions must be the same.
WITH cols AS (
  SELECT c.relnamespace::regnamespace::text AS side, a.attnum, a.attname, a.atttypid, a.atttypmod,
         a.attcollation, a.attnotnull, pg_get_expr(d.adbin, d.adrelid) AS default_expr
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE a.attrelid IN ('eventstore.events_default'::regclass, 'baseline.events'::regclass)
    AND a.attnum > 0 AND NOT a.attisdropped),
idx AS (
  SELECT c.relnamespace::regnamespace::text AS side,
         regexp_replace(pg_get_indexdef(i.indexrelid), '^.* USING ', '') AS definition,
         i.indisunique, i.indisprimary
  FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
  WHERE i.indrelid IN ('eventstore.events_default'::regclass, 'baseline.events'::regclass)),
diff AS (
  (SELECT attnum, attname, atttypid, atttypmod, attcollation, attnotnull, default_expr FROM cols WHERE side = 'eventstore'
   EXCEPT SELECT attnum, attname, atttypid, atttypmod, attcollation, attnotnull, default_expr FROM cols WHERE side = 'baseline')
  UNION ALL
  (SELECT attnum, attname, atttypid, atttypmod, attcollation, attnotnull, default_expr FROM cols WHERE side = 'baseline'
   EXCEPT SELECT attnum, attname, atttypid, atttypmod, attcollation, attnotnull, default_expr FROM cols WHERE side = 'eventstore')),
idiff AS (
  (SELECT definition, indisunique, indisprimary FROM idx WHERE side = 'eventstore'
   EXCEPT SELECT definition, indisunique, indisprimary FROM idx WHERE side = 'baseline')
  UNION ALL
  (SELECT definition, indisunique, indisprimary FROM idx WHERE side = 'baseline'
   EXCEPT SELECT definition, indisunique, indisprimary FROM idx WHERE side = 'eventstore'))
SELECT (SELECT count(*) FROM diff) = 0 AND (SELECT count(*) FROM idiff) = 0
       AND (SELECT count(*) FROM idx WHERE side = 'baseline') >= 3 AS same_shape \gset
\if :same_shape
\else
  \echo 'baseline.events does not have the shape of eventstore.events_default'
  SELECT 1/0;
\endif
