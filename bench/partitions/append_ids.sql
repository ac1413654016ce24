-- As append.sql, with the event id given by the client: append looks for it
-- in every partition before writing (idempotent retry) and, with monthly
-- partitions, in the other months after writing (event ids unique across them).
\set n random(1, :nstreams)
SELECT * FROM eventstore.append('part-' || :n::text, -2, ARRAY[
  eventstore.event(:event_type, :data, :meta, eventstore.new_event_id())]);
