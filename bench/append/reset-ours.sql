-- Puts eventstore.streams and eventstore.events back to the seed, with the
-- heap and index pages written, hinted and in the buffer cache, then
-- checkpoints (so each run starts with the same full-page-write state).
\set ON_ERROR_STOP on
-- The other side's table is emptied, so that every run sees the same database.
TRUNCATE baseline.events, baseline.streams;
TRUNCATE eventstore.events, eventstore.streams;
INSERT INTO eventstore.streams SELECT * FROM bench_seed.streams;
INSERT INTO eventstore.events SELECT * FROM bench_seed.events;
SELECT setval('eventstore.streams_stream_id_seq', (SELECT max(stream_id) FROM bench_seed.streams)) IS NOT NULL AS ok;
SELECT setval('eventstore.events_position_seq', (SELECT max(position) FROM bench_seed.events)) IS NOT NULL AS ok;
VACUUM (ANALYZE) eventstore.streams, eventstore.events;
CHECKPOINT;
