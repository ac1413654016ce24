-- pg_eventstore 0.3 to 0.4: subscriptions. Their checkpoints, leases and
-- members, parked events, the operator commands on them, the lag per
-- partition, and the readers' wake-up (wait_for_log).

\echo Use "ALTER EXTENSION pg_eventstore UPDATE TO '0.4'" to load this file. \quit

-- Subscriptions (docs/subscriptions.md): a subscription's readers share its
-- partitions (the streams split by consumer_group_member(stream_name,
-- partition_count)); each partition has a checkpoint and a lease. A member
-- holds a partition's lease while it renews it; when the lease passes to
-- another member its epoch grows, and a checkpoint is written only with the
-- current epoch and only forwards: a stale member, or an old run that
-- acknowledges late, never moves a checkpoint back. Membership is rows with
-- an expiry, never session locks (which a transaction-mode pooler breaks).
CREATE TABLE eventstore.subscriptions (
    subscription_name text        NOT NULL CHECK (subscription_name ~ '^[A-Za-z0-9_.:-]{1,200}$'),
    partition_count   integer     NOT NULL CHECK (partition_count BETWEEN 1 AND 1024),
    -- What the subscription reads: the whole log, or one category; only some
    -- event types when event_types is not NULL. Used for its lag.
    category          text,
    event_types       text[],
    created_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT subscriptions_pkey PRIMARY KEY (subscription_name)
);

CREATE TABLE eventstore.subscription_partitions (
    subscription_name      text        NOT NULL REFERENCES eventstore.subscriptions ON DELETE CASCADE,
    partition_number       integer     NOT NULL,
    -- The member holding the lease (NULL: free) until lease_expires_at.
    owner                  text,
    lease_expires_at       timestamptz,
    -- Grows each time the lease passes to a member.
    lease_epoch            bigint      NOT NULL DEFAULT 0,
    -- The last event handled (NULL: none yet), as read_all pages on it.
    checkpoint_transaction xid8,
    checkpoint_position    bigint,
    acknowledged_at        timestamptz,
    CONSTRAINT subscription_partitions_pkey PRIMARY KEY (subscription_name, partition_number)
);

CREATE TABLE eventstore.subscription_members (
    subscription_name text        NOT NULL REFERENCES eventstore.subscriptions ON DELETE CASCADE,
    member            text        NOT NULL CHECK (length(member) BETWEEN 1 AND 200),
    expires_at        timestamptz NOT NULL,
    joined_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT subscription_members_pkey PRIMARY KEY (subscription_name, member)
);

-- Events a subscription's handler failed on after its retries: kept with
-- their position, the last error and the attempts, until an operator replays
-- them ('replay': the subscription handles them again) or skips them.
CREATE TABLE eventstore.parked_events (
    subscription_name text        NOT NULL REFERENCES eventstore.subscriptions ON DELETE CASCADE,
    event_id          uuid        NOT NULL,
    partition_number  integer     NOT NULL,
    stream_name       text        NOT NULL,
    version           bigint      NOT NULL,
    transaction_id    xid8        NOT NULL,
    position          bigint      NOT NULL,
    event_type        text        NOT NULL,
    error             text        NOT NULL,
    attempts          integer     NOT NULL,
    state             text        NOT NULL DEFAULT 'parked' CHECK (state IN ('parked', 'replay', 'skipped', 'replayed')),
    parked_at         timestamptz NOT NULL DEFAULT now(),
    resolved_at       timestamptz,
    CONSTRAINT parked_events_pkey PRIMARY KEY (subscription_name, event_id)
);
CREATE INDEX parked_events_state ON eventstore.parked_events (subscription_name, state, transaction_id, position);

SELECT pg_catalog.pg_extension_config_dump('eventstore.subscriptions', '');
SELECT pg_catalog.pg_extension_config_dump('eventstore.subscription_partitions', '');
SELECT pg_catalog.pg_extension_config_dump('eventstore.subscription_members', '');
SELECT pg_catalog.pg_extension_config_dump('eventstore.parked_events', '');

-- Wakes the reader when the log may have moved: the database's change
-- counter once it differs from `seen` (or after timeout_ms), at once when
-- `seen` is NULL. NULL without the library in shared_preload_libraries (after
-- a sleep of at most 100 ms): the reader then polls. Readers always read by
-- position: a wake-up only says when.
CREATE FUNCTION eventstore.wait_for_log(seen bigint DEFAULT NULL, timeout_ms integer DEFAULT 1000)
RETURNS bigint
AS 'MODULE_PATHNAME', 'eventstore_wait_for_log'
LANGUAGE C VOLATILE;

-- The member (0 .. group_size - 1) of a consumer group that reads the stream,
-- by the hash read_category uses.
CREATE FUNCTION eventstore.consumer_group_member(stream_name text, group_size integer)
RETURNS integer
AS 'MODULE_PATHNAME', 'eventstore_consumer_group_member'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Joins (or renews) `member` in the subscription, creating the subscription
-- at its first join, and returns the partitions the member holds now, with
-- their epoch and checkpoint. The live members (sorted by name) share the
-- partitions round robin; a partition passes to its new member once the
-- member holding it lets it go (at its next join) or its lease expires. A
-- dead member's partitions are taken over within `lease` plus one join
-- interval of the others. Joins of one subscription run one at a time.
-- 22023 when partition_count, category or event_types differ from the
-- subscription's, or the lease is not positive.
CREATE FUNCTION eventstore.join_subscription(
    subscription_name text,
    member            text,
    partition_count   integer  DEFAULT 1,
    lease             interval DEFAULT '10 seconds',
    category          text     DEFAULT NULL,
    event_types       text[]   DEFAULT NULL)
RETURNS TABLE (partition_number integer, lease_epoch bigint, checkpoint_transaction xid8, checkpoint_position bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  existing eventstore.subscriptions;
  now_at   timestamptz := clock_timestamp();
  members  text[];
  my_rank  integer;
BEGIN
  IF join_subscription.subscription_name IS NULL OR join_subscription.member IS NULL
     OR join_subscription.partition_count IS NULL OR join_subscription.lease IS NULL THEN
    RAISE EXCEPTION 'subscription_name, member, partition_count and lease must not be NULL' USING ERRCODE = '22004';
  END IF;
  IF join_subscription.subscription_name !~ '^[A-Za-z0-9_.:-]{1,200}$' THEN
    RAISE EXCEPTION 'subscription_name must be 1 to 200 letters, digits, ''_'', ''.'', '':'' or ''-'', got "%"',
      join_subscription.subscription_name USING ERRCODE = '22023';
  END IF;
  IF length(join_subscription.member) NOT BETWEEN 1 AND 200 THEN
    RAISE EXCEPTION 'member must be 1 to 200 characters' USING ERRCODE = '22023';
  END IF;
  IF join_subscription.lease <= interval '0' THEN
    RAISE EXCEPTION 'lease must be positive, got %', join_subscription.lease USING ERRCODE = '22023';
  END IF;
  INSERT INTO eventstore.subscriptions AS s (subscription_name, partition_count, category, event_types)
    VALUES (join_subscription.subscription_name, join_subscription.partition_count,
            join_subscription.category, join_subscription.event_types)
    ON CONFLICT ON CONSTRAINT subscriptions_pkey DO NOTHING;
  SELECT * INTO existing FROM eventstore.subscriptions AS s
    WHERE s.subscription_name = join_subscription.subscription_name FOR UPDATE;
  IF existing.partition_count <> join_subscription.partition_count
     OR existing.category IS DISTINCT FROM join_subscription.category
     OR existing.event_types IS DISTINCT FROM join_subscription.event_types THEN
    RAISE EXCEPTION 'subscription "%" reads % with % partitions; this member asks for % with %',
      existing.subscription_name,
      coalesce('category ' || existing.category, 'the log') || coalesce(' types ' || existing.event_types::text, ''),
      existing.partition_count,
      coalesce('category ' || join_subscription.category, 'the log') || coalesce(' types ' || join_subscription.event_types::text, ''),
      join_subscription.partition_count
      USING ERRCODE = '22023';
  END IF;
  INSERT INTO eventstore.subscription_partitions AS p (subscription_name, partition_number)
    SELECT existing.subscription_name, n FROM generate_series(0, existing.partition_count - 1) AS n
    ON CONFLICT ON CONSTRAINT subscription_partitions_pkey DO NOTHING;

  DELETE FROM eventstore.subscription_members AS m
    WHERE m.subscription_name = existing.subscription_name AND m.expires_at <= now_at;
  INSERT INTO eventstore.subscription_members AS m (subscription_name, member, expires_at)
    VALUES (existing.subscription_name, join_subscription.member, now_at + join_subscription.lease)
    ON CONFLICT ON CONSTRAINT subscription_members_pkey DO UPDATE SET expires_at = excluded.expires_at;
  SELECT array_agg(m.member ORDER BY m.member COLLATE "C") INTO members
    FROM eventstore.subscription_members AS m WHERE m.subscription_name = existing.subscription_name;
  my_rank := array_position(members, join_subscription.member) - 1;

  -- Let go of what is no longer this member's.
  UPDATE eventstore.subscription_partitions AS p SET owner = NULL, lease_expires_at = NULL
    WHERE p.subscription_name = existing.subscription_name AND p.owner = join_subscription.member
      AND p.partition_number % cardinality(members) <> my_rank;
  -- Renew what it holds, and take what is its own and free (never held, let
  -- go, or its lease expired).
  UPDATE eventstore.subscription_partitions AS p
    SET lease_epoch = CASE WHEN p.owner = join_subscription.member THEN p.lease_epoch ELSE p.lease_epoch + 1 END,
        owner = join_subscription.member,
        lease_expires_at = now_at + join_subscription.lease
    WHERE p.subscription_name = existing.subscription_name
      AND p.partition_number % cardinality(members) = my_rank
      AND (p.owner IS NULL OR p.owner = join_subscription.member OR p.lease_expires_at <= now_at);
  RETURN QUERY
    SELECT p.partition_number, p.lease_epoch, p.checkpoint_transaction, p.checkpoint_position
    FROM eventstore.subscription_partitions AS p
    WHERE p.subscription_name = existing.subscription_name AND p.owner = join_subscription.member
    ORDER BY p.partition_number;
END
$$;

-- Raises 55V04 unless `member` holds the partition's lease at `lease_epoch`
-- (it may have expired while no other member took it), and locks the row.
CREATE FUNCTION eventstore.check_subscription_lease(
    subscription_name text, member text, partition_number integer, lease_epoch bigint)
RETURNS eventstore.subscription_partitions
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  held eventstore.subscription_partitions;
BEGIN
  SELECT * INTO held FROM eventstore.subscription_partitions AS p
    WHERE p.subscription_name = check_subscription_lease.subscription_name
      AND p.partition_number = check_subscription_lease.partition_number
    FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'subscription "%" has no partition %', check_subscription_lease.subscription_name,
      check_subscription_lease.partition_number USING ERRCODE = '42V01';
  END IF;
  IF held.owner IS DISTINCT FROM check_subscription_lease.member OR held.lease_epoch <> check_subscription_lease.lease_epoch THEN
    RAISE EXCEPTION 'member "%" no longer holds partition % of subscription "%" (epoch %, now % held by %)',
      check_subscription_lease.member, held.partition_number, held.subscription_name, check_subscription_lease.lease_epoch,
      held.lease_epoch, coalesce('"' || held.owner || '"', 'nobody')
      USING ERRCODE = '55V04';
  END IF;
  RETURN held;
END
$$;

-- Moves the partition's checkpoint forwards to (checkpoint_transaction,
-- checkpoint_position): true when it moved, false when the checkpoint was
-- already there or beyond (it never moves back). 55V04 when `member` no
-- longer holds the lease at `lease_epoch`. Called in the transaction that
-- writes a projection's read model, the read model and the checkpoint commit
-- together.
CREATE FUNCTION eventstore.acknowledge(
    subscription_name      text,
    member                 text,
    partition_number       integer,
    lease_epoch            bigint,
    checkpoint_transaction xid8,
    checkpoint_position    bigint)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  held eventstore.subscription_partitions;
BEGIN
  IF acknowledge.checkpoint_transaction IS NULL OR acknowledge.checkpoint_position IS NULL THEN
    RAISE EXCEPTION 'checkpoint_transaction and checkpoint_position must not be NULL' USING ERRCODE = '22004';
  END IF;
  held := eventstore.check_subscription_lease(acknowledge.subscription_name, acknowledge.member,
                                              acknowledge.partition_number, acknowledge.lease_epoch);
  IF held.checkpoint_transaction IS NOT NULL
     AND (held.checkpoint_transaction, held.checkpoint_position)
         >= (acknowledge.checkpoint_transaction, acknowledge.checkpoint_position) THEN
    RETURN false;
  END IF;
  UPDATE eventstore.subscription_partitions AS p
    SET checkpoint_transaction = acknowledge.checkpoint_transaction,
        checkpoint_position = acknowledge.checkpoint_position,
        acknowledged_at = clock_timestamp()
    WHERE p.subscription_name = held.subscription_name AND p.partition_number = held.partition_number;
  RETURN true;
END
$$;

-- The member leaves: its partitions are free for the others at their next join.
CREATE FUNCTION eventstore.leave_subscription(subscription_name text, member text)
RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  UPDATE eventstore.subscription_partitions AS p SET owner = NULL, lease_expires_at = NULL
    WHERE p.subscription_name = leave_subscription.subscription_name AND p.owner = leave_subscription.member;
  DELETE FROM eventstore.subscription_members AS m
    WHERE m.subscription_name = leave_subscription.subscription_name AND m.member = leave_subscription.member;
$$;

-- Parks an event the handler failed on (fenced like acknowledge); parking it
-- again (a replay that failed) updates its error and attempts.
CREATE FUNCTION eventstore.park_event(
    subscription_name text,
    member            text,
    partition_number  integer,
    lease_epoch       bigint,
    event_id          uuid,
    stream_name       text,
    version           bigint,
    event_transaction xid8,
    event_position    bigint,
    event_type        text,
    error             text,
    attempts          integer)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM eventstore.check_subscription_lease(park_event.subscription_name, park_event.member,
                                              park_event.partition_number, park_event.lease_epoch);
  INSERT INTO eventstore.parked_events AS e (subscription_name, event_id, partition_number, stream_name, version,
                                             transaction_id, position, event_type, error, attempts)
    VALUES (park_event.subscription_name, park_event.event_id, park_event.partition_number, park_event.stream_name,
            park_event.version, park_event.event_transaction, park_event.event_position, park_event.event_type,
            left(park_event.error, 4000), park_event.attempts)
    ON CONFLICT ON CONSTRAINT parked_events_pkey DO UPDATE
      SET error = excluded.error, attempts = e.attempts + excluded.attempts, state = 'parked',
          parked_at = now(), resolved_at = NULL;
END
$$;

-- Raises 42V01 when the subscription does not exist.
CREATE FUNCTION eventstore.require_subscription(subscription_name text)
RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NOT EXISTS (SELECT FROM eventstore.subscriptions AS s WHERE s.subscription_name = require_subscription.subscription_name) THEN
    RAISE EXCEPTION 'subscription "%" does not exist', require_subscription.subscription_name USING ERRCODE = '42V01';
  END IF;
END
$$;

-- Operator commands: replay parked events (all, or one), or skip one. They
-- return how many events changed state; the subscription's members replay
-- at their next join.
CREATE FUNCTION eventstore.replay_parked_events(subscription_name text, event_id uuid DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  changed integer;
BEGIN
  PERFORM eventstore.require_subscription(replay_parked_events.subscription_name);
  UPDATE eventstore.parked_events AS e SET state = 'replay'
    WHERE e.subscription_name = replay_parked_events.subscription_name AND e.state = 'parked'
      AND (replay_parked_events.event_id IS NULL OR e.event_id = replay_parked_events.event_id);
  GET DIAGNOSTICS changed = ROW_COUNT;
  RETURN changed;
END
$$;

CREATE FUNCTION eventstore.skip_parked_event(subscription_name text, event_id uuid)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  changed integer;
BEGIN
  PERFORM eventstore.require_subscription(skip_parked_event.subscription_name);
  UPDATE eventstore.parked_events AS e SET state = 'skipped', resolved_at = now()
    WHERE e.subscription_name = skip_parked_event.subscription_name AND e.event_id = skip_parked_event.event_id
      AND e.state IN ('parked', 'replay');
  GET DIAGNOSTICS changed = ROW_COUNT;
  RETURN changed;
END
$$;

-- The events an operator asked to replay in the partitions `member` holds,
-- oldest first.
CREATE FUNCTION eventstore.parked_events_to_replay(subscription_name text, member text, max_count integer DEFAULT 100)
RETURNS SETOF eventstore.parked_events
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT e.* FROM eventstore.parked_events AS e
    JOIN eventstore.subscription_partitions AS p
      ON p.subscription_name = e.subscription_name AND p.partition_number = e.partition_number
  WHERE e.subscription_name = parked_events_to_replay.subscription_name AND e.state = 'replay'
    AND p.owner = parked_events_to_replay.member
  ORDER BY e.transaction_id, e.position
  LIMIT parked_events_to_replay.max_count
$$;

-- A replayed event was handled (fenced like acknowledge).
CREATE FUNCTION eventstore.resolve_parked_event(
    subscription_name text, member text, partition_number integer, lease_epoch bigint, event_id uuid)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM eventstore.check_subscription_lease(resolve_parked_event.subscription_name, resolve_parked_event.member,
                                              resolve_parked_event.partition_number, resolve_parked_event.lease_epoch);
  UPDATE eventstore.parked_events AS e SET state = 'replayed', resolved_at = now()
    WHERE e.subscription_name = resolve_parked_event.subscription_name AND e.event_id = resolve_parked_event.event_id;
END
$$;

-- Moves every checkpoint of the subscription to (checkpoint_transaction,
-- checkpoint_position), or to the start when both are NULL: its members
-- lose their leases (the epochs grow) and read again from there.
CREATE FUNCTION eventstore.reset_subscription(
    subscription_name text, checkpoint_transaction xid8 DEFAULT NULL, checkpoint_position bigint DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM eventstore.require_subscription(reset_subscription.subscription_name);
  IF (reset_subscription.checkpoint_transaction IS NULL) <> (reset_subscription.checkpoint_position IS NULL) THEN
    RAISE EXCEPTION 'checkpoint_transaction and checkpoint_position must be given together (or both NULL)'
      USING ERRCODE = '22023';
  END IF;
  UPDATE eventstore.subscription_partitions AS p
    SET checkpoint_transaction = reset_subscription.checkpoint_transaction,
        checkpoint_position = reset_subscription.checkpoint_position,
        owner = NULL, lease_expires_at = NULL, lease_epoch = p.lease_epoch + 1, acknowledged_at = clock_timestamp()
    WHERE p.subscription_name = reset_subscription.subscription_name;
END
$$;

-- How far each partition is behind the head of the log: the events of its
-- streams after its checkpoint (of the subscription's category and types),
-- and the seconds from the oldest of them to now; its lease; its parked
-- events; and, when readers are held back, what holds them (the oldest
-- holder of eventstore.log_fence_report()).
CREATE FUNCTION eventstore.subscription_lag(subscription_name text)
RETURNS TABLE (
    partition_number       integer,
    owner                  text,
    lease_epoch            bigint,
    lease_expires_at       timestamptz,
    checkpoint_transaction xid8,
    checkpoint_position    bigint,
    events_behind          bigint,
    seconds_behind         double precision,
    parked_events          bigint,
    log_held_by            text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  subscription eventstore.subscriptions;
  holder       text;
BEGIN
  PERFORM eventstore.require_subscription(subscription_lag.subscription_name);
  SELECT * INTO subscription FROM eventstore.subscriptions AS s WHERE s.subscription_name = subscription_lag.subscription_name;
  SELECT r.kind || coalesce(' pid ' || r.pid, '') || coalesce(' gid ' || r.gid, '') || ' for ' || coalesce(r.age::text, '?')
    INTO holder FROM eventstore.log_fence_report() AS r LIMIT 1;
  RETURN QUERY
    SELECT p.partition_number, p.owner, p.lease_epoch, p.lease_expires_at, p.checkpoint_transaction,
           p.checkpoint_position, behind.events, coalesce(extract(epoch FROM clock_timestamp() - behind.oldest)::float8, 0),
           (SELECT count(*) FROM eventstore.parked_events AS e
             WHERE e.subscription_name = p.subscription_name AND e.partition_number = p.partition_number
               AND e.state IN ('parked', 'replay')),
           holder
    FROM eventstore.subscription_partitions AS p
    CROSS JOIN LATERAL (
      SELECT count(*) AS events, min(e.created_at) AS oldest
      FROM eventstore.events AS e JOIN eventstore.streams AS st ON st.stream_id = e.stream_id
      WHERE (p.checkpoint_transaction IS NULL
             OR (e.transaction_id, e.position) > (p.checkpoint_transaction, p.checkpoint_position))
        AND (subscription.category IS NULL OR e.category = subscription.category)
        AND (subscription.event_types IS NULL OR e.event_type = ANY (subscription.event_types))
        AND (subscription.partition_count = 1
             OR eventstore.consumer_group_member(st.stream_name, subscription.partition_count) = p.partition_number)
    ) AS behind
    WHERE p.subscription_name = subscription.subscription_name
    ORDER BY p.partition_number;
END
$$;

-- Removes the subscription with its checkpoints, members and parked events.
CREATE FUNCTION eventstore.drop_subscription(subscription_name text)
RETURNS boolean
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  WITH gone AS (DELETE FROM eventstore.subscriptions AS s WHERE s.subscription_name = drop_subscription.subscription_name RETURNING 1)
  SELECT count(*) > 0 FROM gone
$$;

REVOKE EXECUTE ON FUNCTION
    eventstore.wait_for_log(bigint, integer),
    eventstore.join_subscription(text, text, integer, interval, text, text[]),
    eventstore.check_subscription_lease(text, text, integer, bigint),
    eventstore.acknowledge(text, text, integer, bigint, xid8, bigint),
    eventstore.leave_subscription(text, text),
    eventstore.park_event(text, text, integer, bigint, uuid, text, bigint, xid8, bigint, text, text, integer),
    eventstore.require_subscription(text),
    eventstore.replay_parked_events(text, uuid),
    eventstore.skip_parked_event(text, uuid),
    eventstore.parked_events_to_replay(text, text, integer),
    eventstore.resolve_parked_event(text, text, integer, bigint, uuid),
    eventstore.reset_subscription(text, xid8, bigint),
    eventstore.subscription_lag(text),
    eventstore.drop_subscription(text)
FROM PUBLIC;
-- Readers subscribe (their checkpoints and parked events are theirs to
-- write); writers also operate subscriptions; admins also reset and drop.
GRANT SELECT ON eventstore.subscriptions, eventstore.subscription_partitions, eventstore.subscription_members,
                eventstore.parked_events TO eventstore_reader;
GRANT EXECUTE ON FUNCTION
    eventstore.wait_for_log(bigint, integer),
    eventstore.consumer_group_member(text, integer),
    eventstore.join_subscription(text, text, integer, interval, text, text[]),
    eventstore.acknowledge(text, text, integer, bigint, xid8, bigint),
    eventstore.leave_subscription(text, text),
    eventstore.park_event(text, text, integer, bigint, uuid, text, bigint, xid8, bigint, text, text, integer),
    eventstore.parked_events_to_replay(text, text, integer),
    eventstore.resolve_parked_event(text, text, integer, bigint, uuid),
    eventstore.subscription_lag(text)
TO eventstore_reader;
GRANT EXECUTE ON FUNCTION
    eventstore.replay_parked_events(text, uuid),
    eventstore.skip_parked_event(text, uuid)
TO eventstore_writer;
GRANT EXECUTE ON FUNCTION
    eventstore.reset_subscription(text, xid8, bigint),
    eventstore.drop_subscription(text)
TO eventstore_admin;
