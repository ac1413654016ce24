-- Ours with client-supplied event ids, 1 event per call (a variant, for the
-- profile): the ids come with the events, so append also probes the event-id
-- index for an earlier identical append (idempotent retry). See ours-1.sql.
\set n random(1, :nstreams)
SELECT * FROM eventstore.append('bench-' || :n::text, -2, ARRAY[
  eventstore.event(:event_type, :data, :meta, eventstore.new_event_id())]);
