-- A whole stream of the seed: 21 events, one in each of 21 months.
\set n random(1, :nstreams)
SELECT count(*) FROM eventstore.read_stream('part-' || :n::text);
