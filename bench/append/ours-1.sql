-- Ours, 1 event per call: eventstore.append to an existing stream (or one of the
-- hot streams), expected version -2 (any): this measures the write path, not
-- conflicts. Event ids are left NULL, so append makes them (new_event_id()).
-- Payloads are bind parameters (-M prepared, -D event_type/data/meta).
\set n random(1, :nstreams)
SELECT * FROM eventstore.append('bench-' || :n::text, -2, ARRAY[
  eventstore.event(:event_type, :data, :meta)]);
