-- Ours, 10 events per call, called as a plain expression (SELECT f(...)) rather
-- than as a table function (SELECT * FROM f(...)): a variant, to measure
-- what the function scan (executor node, tuplestore) costs. See ours-10.sql.
\set n random(1, :nstreams)
SELECT eventstore.append('bench-' || :n::text, -2, ARRAY[
  eventstore.event(:event_type, :data, :meta),
  eventstore.event(:event_type, :data, :meta),
  eventstore.event(:event_type, :data, :meta),
  eventstore.event(:event_type, :data, :meta),
  eventstore.event(:event_type, :data, :meta),
  eventstore.event(:event_type, :data, :meta),
  eventstore.event(:event_type, :data, :meta),
  eventstore.event(:event_type, :data, :meta),
  eventstore.event(:event_type, :data, :meta),
  eventstore.event(:event_type, :data, :meta)]);
