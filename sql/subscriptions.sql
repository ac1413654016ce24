-- Subscriptions: members share partitions by leases, checkpoints move only
-- forwards and only with the current lease epoch, parked events are replayed
-- or skipped by operators, the lag counts each partition's events, and
-- wait_for_log wakes a reader when an append ends.
SELECT eventstore.consumer_group_member('order-1', 4) AS member_of_4,
       eventstore.consumer_group_member('order-1', 1) AS member_of_1;

-- The first member takes every partition; the second gets its share once
-- the first lets it go (at its next join).
SELECT * FROM eventstore.join_subscription('orders-view', 'member-a', 4, '1 hour');
SELECT * FROM eventstore.join_subscription('orders-view', 'member-b', 4, '1 hour');
SELECT * FROM eventstore.join_subscription('orders-view', 'member-a', 4, '1 hour');
SELECT * FROM eventstore.join_subscription('orders-view', 'member-b', 4, '1 hour');
SELECT partition_number, owner, lease_epoch FROM eventstore.subscription_partitions ORDER BY partition_number;

-- Checkpoints move forwards only, and only for the lease holder at its epoch.
SELECT eventstore.acknowledge('orders-view', 'member-a', 0, 1, '100', 7) AS moved;
SELECT eventstore.acknowledge('orders-view', 'member-a', 0, 1, '100', 7) AS moved_again;
SELECT eventstore.acknowledge('orders-view', 'member-a', 0, 1, '99', 500) AS moved_back;
SELECT eventstore.acknowledge('orders-view', 'member-b', 0, 1, '200', 1);
SELECT eventstore.acknowledge('orders-view', 'member-a', 1, 1, '200', 1);
SELECT checkpoint_transaction, checkpoint_position FROM eventstore.subscription_partitions WHERE partition_number = 0;

-- A member that leaves lets its partitions go; the other takes them with a
-- new epoch, and the old epoch can no longer write (a late acknowledgement
-- of a stale member).
SELECT eventstore.leave_subscription('orders-view', 'member-a');
SELECT * FROM eventstore.join_subscription('orders-view', 'member-b', 4, '1 hour');
SELECT eventstore.acknowledge('orders-view', 'member-a', 0, 1, '300', 1);
SELECT eventstore.acknowledge('orders-view', 'member-b', 0, 2, '300', 1) AS moved;

-- An expired lease is taken over by the next join of another member.
SELECT * FROM eventstore.join_subscription('short-lease', 'member-a', 2, '10 milliseconds');
SELECT pg_sleep(0.05);
SELECT * FROM eventstore.join_subscription('short-lease', 'member-b', 2, '1 hour');

-- A member asking for another shape of the subscription is refused.
SELECT * FROM eventstore.join_subscription('orders-view', 'member-c', 3, '1 hour');
SELECT * FROM eventstore.join_subscription('orders-view', 'member-c', 4, '1 hour', 'order');
SELECT * FROM eventstore.join_subscription('orders-view', 'member-c', 4, '0 seconds');
SELECT * FROM eventstore.join_subscription('Bad Name!', 'member-c', 4, '1 hour');
SELECT * FROM eventstore.join_subscription(NULL, 'member-c', 4, '1 hour');

-- Parked events: parked by the lease holder, replayed or skipped by an
-- operator; the replay is offered to the member holding the partition.
SELECT eventstore.park_event('orders-view', 'member-b', 2, 2, '0190f2a4-0000-7000-8000-000000000001', 'order-9', 3,
                             '150', 12, 'OrderPlaced', 'handler failed: boom', 5);
SELECT eventstore.park_event('orders-view', 'member-a', 2, 1, '0190f2a4-0000-7000-8000-000000000002', 'order-9', 4,
                             '150', 13, 'OrderPlaced', 'stale', 5);
SELECT event_id, stream_name, version, transaction_id, position, error, attempts, state FROM eventstore.parked_events;
SELECT eventstore.replay_parked_events('orders-view') AS to_replay;
SELECT event_id, state FROM eventstore.parked_events_to_replay('orders-view', 'member-b');
SELECT count(*) AS offered_to_a_non_holder FROM eventstore.parked_events_to_replay('orders-view', 'member-a');
SELECT eventstore.resolve_parked_event('orders-view', 'member-b', 2, 2, '0190f2a4-0000-7000-8000-000000000001');
SELECT state, resolved_at IS NOT NULL AS resolved FROM eventstore.parked_events;
SELECT eventstore.park_event('orders-view', 'member-b', 2, 2, '0190f2a4-0000-7000-8000-000000000003', 'order-9', 5,
                             '151', 14, 'OrderPlaced', 'boom again', 5);
SELECT eventstore.skip_parked_event('orders-view', '0190f2a4-0000-7000-8000-000000000003') AS skipped;
SELECT eventstore.skip_parked_event('orders-view', '0190f2a4-0000-7000-8000-000000000003') AS skipped_twice;
SELECT eventstore.replay_parked_events('no-such-subscription');

-- Lag: the events of each partition's streams after its checkpoint.
SELECT count(*) FROM (SELECT eventstore.append('lag-' || n, -1, ARRAY[eventstore.event('Counted', '{}')])
                      FROM generate_series(1, 20) AS n) AS appended;
SELECT * FROM eventstore.join_subscription('lag-view', 'member-a', 2, '1 hour', 'lag');
SELECT partition_number, events_behind,
       events_behind = (SELECT count(*) FROM eventstore.streams
                        WHERE category = 'lag' AND eventstore.consumer_group_member(stream_name, 2) = partition_number)
         AS matches_the_streams,
       seconds_behind > 0 AS has_seconds, log_held_by
FROM eventstore.subscription_lag('lag-view');
SELECT r.transaction_id, r.position
FROM eventstore.read_category('lag', max_count => 100) AS r ORDER BY r.transaction_id DESC, r.position DESC LIMIT 1 \gset last_
SELECT eventstore.acknowledge('lag-view', 'member-a', p, 1, :'last_transaction_id', :last_position) FROM generate_series(0, 1) AS p;
SELECT partition_number, events_behind, seconds_behind FROM eventstore.subscription_lag('lag-view');

-- Reset moves every checkpoint and takes every lease away.
SELECT eventstore.reset_subscription('lag-view');
SELECT partition_number, owner, lease_epoch, checkpoint_transaction FROM eventstore.subscription_partitions
WHERE subscription_name = 'lag-view';
SELECT eventstore.reset_subscription('lag-view', '5', NULL);

-- wait_for_log: the counter at once without `seen`, and no wait for a
-- counter that has moved already.
SELECT eventstore.wait_for_log(NULL, 0) AS changes \gset
SELECT eventstore.append('wake-1', -1, ARRAY[eventstore.event('Woken', '{}')]) IS NOT NULL AS appended;
SELECT eventstore.wait_for_log(:changes, 10000) > :changes AS moved;
SELECT eventstore.wait_for_log(NULL, -1);
SELECT eventstore.wait_for_log(NULL, NULL);

SELECT eventstore.drop_subscription('orders-view') AS dropped, eventstore.drop_subscription('orders-view') AS dropped_twice;
SELECT count(*) AS parked_left FROM eventstore.parked_events WHERE subscription_name = 'orders-view';

-- Without wake-ups (eventstore.log_wakeups = off in the appending session)
-- an append ends without moving the counter: a reader waits its timeout.
SET eventstore.log_wakeups = off;
SELECT eventstore.wait_for_log(NULL, 0) AS quiet \gset
SELECT eventstore.append('wake-2', -1, ARRAY[eventstore.event('Unannounced', '{}')]) IS NOT NULL AS appended;
SELECT eventstore.wait_for_log(:quiet, 50) = :quiet AS not_woken;
RESET eventstore.log_wakeups;
