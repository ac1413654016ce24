-- The limit, 1 event per transaction: a plain INSERT of the same rows into
-- baseline.events (same shape and indexes as eventstore.events), no
-- concurrency check. Position from a sequence, the appending transaction's
-- xid8, the same random stream number as ours, a version unique per stream
-- (a sequence), the time, a time-ordered event id, and the payloads as bind
-- parameters (-M prepared, -D event_type/data/meta), one row per event.
\set n random(1, :nstreams)
INSERT INTO baseline.events (position, transaction_id, stream_id, version, created_at, event_id, event_type, data, metadata, category) VALUES
  (nextval('baseline.position_seq'), pg_current_xact_id(), :n, nextval('baseline.version_seq'), now(), eventstore.new_event_id(), :event_type, :data, :meta, 'bench');
