-- The limit plus a stream row, 1 event per transaction (a variant): the plain
-- INSERT of baseline-1.sql, with the version taken from a per-stream row in
-- baseline.streams (a copy of eventstore.streams: same shape, fill factor
-- and seed) that one UPDATE advances, as any append with optimistic
-- concurrency must. No expected-version check and no idempotency: what a
-- stream row costs in plain SQL.
\set n random(1, :nstreams)
WITH s AS (
  UPDATE baseline.streams SET version = version + 1 WHERE stream_name = 'bench-' || :n::text
  RETURNING stream_id, version)
INSERT INTO baseline.events (position, transaction_id, stream_id, version, created_at, event_id, event_type, data, metadata, category)
SELECT e.* FROM s, LATERAL (VALUES
  (nextval('baseline.position_seq'), pg_current_xact_id(), s.stream_id, s.version - 1 + 1, now(), eventstore.new_event_id(), :event_type::text, :data::jsonb, :meta::jsonb, 'bench')) AS e;
