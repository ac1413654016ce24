-- Puts baseline.events back to the seed (the same rows as ours), then
-- checkpoints; see reset-ours.sql.
\set ON_ERROR_STOP on
-- The other side's tables are emptied, so that every run sees the same database.
TRUNCATE eventstore.events, eventstore.streams;
TRUNCATE baseline.events, baseline.streams;
INSERT INTO baseline.streams SELECT * FROM bench_seed.streams;
INSERT INTO baseline.events SELECT * FROM bench_seed.events;
SELECT setval('baseline.position_seq', (SELECT max(position) FROM bench_seed.events)) IS NOT NULL AS ok;
SELECT setval('baseline.version_seq', (SELECT max(version) FROM bench_seed.events)) IS NOT NULL AS ok;
VACUUM (ANALYZE) baseline.streams, baseline.events;
CHECKPOINT;
