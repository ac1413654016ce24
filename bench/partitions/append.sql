-- 1 event per call to an existing stream, expected version -2 (any), ids made
-- by append. Payloads are bind parameters (-M prepared, -D event_type/data/meta).
\set n random(1, :nstreams)
SELECT * FROM eventstore.append('part-' || :n::text, -2, ARRAY[
  eventstore.event(:event_type, :data, :meta)]);
