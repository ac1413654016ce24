-- The 21 seeded events of a stream, one in each of 21 months (max_count 21:
-- the appends of the other scripts add later versions, which this leaves out,
-- so every repetition reads the same rows).
\set n random(1, :nstreams)
SELECT count(*) FROM eventstore.read_stream('part-' || :n::text, 0, 21);
