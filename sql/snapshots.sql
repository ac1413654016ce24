-- Snapshots: save the state at a version, load it with the events after it in
-- one call; other state schema versions are ignored; old snapshots are pruned.
SELECT next_expected_version FROM eventstore.append('account-7', -1,
  (SELECT array_agg(eventstore.event('Deposited', jsonb_build_object('amount', n)) ORDER BY n) FROM generate_series(1, 10) AS n));

-- Without a snapshot, load is the whole stream.
SELECT is_snapshot, version, event_type, data FROM eventstore.load('account-7');

SELECT eventstore.save_snapshot('account-7', 5, '{"balance": 21}');
SELECT is_snapshot, version, event_type, data FROM eventstore.load('account-7');
-- The newest snapshot wins; a page of the tail with max_count.
SELECT eventstore.save_snapshot('account-7', 8, '{"balance": 45}');
SELECT is_snapshot, version, data FROM eventstore.load('account-7', max_count => 1);
-- Another state schema version: that snapshot only for that shape.
SELECT eventstore.save_snapshot('account-7', 9, '{"balance_cents": 5500}', 2);
SELECT is_snapshot, version, data FROM eventstore.load('account-7', 2);
SELECT is_snapshot, version, data FROM eventstore.load('account-7', 3);
-- Saving the same snapshot again replaces it.
SELECT eventstore.save_snapshot('account-7', 8, '{"balance": 45, "note": "again"}');
SELECT is_snapshot, version, data FROM eventstore.load('account-7', max_count => 0 + 1);
SELECT count(*) FROM eventstore.snapshots s JOIN eventstore.streams USING (stream_id) WHERE stream_name = 'account-7';

-- Pruning keeps the newest N snapshots of the stream (all shapes together).
SELECT eventstore.save_snapshot('account-7', v, jsonb_build_object('v', v)) FROM generate_series(0, 7) AS v;
SELECT state_schema_version, s.version FROM eventstore.snapshots s JOIN eventstore.streams USING (stream_id)
WHERE stream_name = 'account-7' ORDER BY s.version;
SELECT eventstore.save_snapshot('account-7', 9, '{"v": 9}', keep => 1);
SELECT state_schema_version, s.version FROM eventstore.snapshots s JOIN eventstore.streams USING (stream_id)
WHERE stream_name = 'account-7' ORDER BY s.version;

-- A stream that does not exist loads as nothing.
SELECT count(*) FROM eventstore.load('no-such-account');

-- Bad input writes nothing.
SELECT eventstore.save_snapshot('account-7', 10, '{}');
SELECT eventstore.save_snapshot('account-7', -1, '{}');
SELECT eventstore.save_snapshot('no-such-account', 0, '{}');
SELECT eventstore.save_snapshot('account-7', 3, '{}', keep => 0);
SELECT eventstore.save_snapshot('account-7', 3, NULL);
SELECT eventstore.save_snapshot(NULL, 3, '{}');
SELECT eventstore.save_snapshot('account-7', 3, '{}', NULL);
SELECT eventstore.save_snapshot('', 3, '{}');
SET eventstore.max_snapshot_size = '1kB';
SELECT eventstore.save_snapshot('account-7', 3, jsonb_build_object('x', repeat('x', 2000)));
RESET eventstore.max_snapshot_size;
SELECT * FROM eventstore.load('account-7', max_count => 0);
SELECT * FROM eventstore.load('account-7', NULL);
SELECT count(*) FROM eventstore.snapshots;

-- A snapshot stored out of line loads whole.
SELECT eventstore.save_snapshot('account-7', 9, jsonb_build_object('text', repeat('y', 300000)));
SELECT is_snapshot, version, length(data->>'text') FROM eventstore.load('account-7') WHERE is_snapshot;
