-- One database of the partition benchmark: the extension in the layout given
-- by the psql variable `layout` (default: one default partition; monthly: 24
-- monthly partitions, 20 months back to 3 ahead), and the same seed in both:
-- `streams` streams named part-<n> with 21 events each, whose event at
-- version v is made 20 - v months old, so that every stream spans the 21
-- months up to the current one (one event per month partition).
--
-- psql variables: layout, streams, event_type, data, meta.
\set ON_ERROR_STOP on

CREATE EXTENSION pg_eventstore;
SELECT :'layout' = 'monthly' AS monthly \gset
\if :monthly
  SELECT eventstore.use_monthly_partitions(3, (now() - interval '20 months')::date) AS created_partitions;
\endif

-- One transaction per 1000 streams (append holds a lock per stream it creates
-- until commit).
SELECT format($seed$SELECT count(*) AS seeded FROM (SELECT eventstore.append('part-' || g, -1, array_fill(eventstore.event(%L, %L::jsonb, %L::jsonb), ARRAY[21])) FROM generate_series(%s, %s) AS g) AS appended$seed$,
              :'event_type', :'data', :'meta', first, least(first + 999, :streams))
FROM generate_series(1, :streams, 1000) AS first ORDER BY first \gexec

-- As if appended over 21 months (with partitions, the rows move to their month).
UPDATE eventstore.events SET created_at = created_at - make_interval(months => (20 - version)::integer);

SELECT count(*) AS months_with_events FROM (SELECT DISTINCT date_trunc('month', created_at) FROM eventstore.events) AS m;
SELECT count(*) FILTER (WHERE NOT is_default) AS monthly_partitions FROM eventstore.event_partitions();
VACUUM ANALYZE;
CHECKPOINT;
