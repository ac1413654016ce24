-- Reads by category (with consumer groups), event type, time range and
-- correlation id are each served by an index.
SELECT count(*) AS appended FROM (
  SELECT eventstore.append(
           (ARRAY['invoice', 'parcel', 'refund'])[1 + g % 3] || '-' || (g % 500),
           -2,
           ARRAY[eventstore.event((ARRAY['Issued', 'Sent', 'Paid', 'Closed'])[1 + g % 4],
                                  jsonb_build_object('n', g),
                                  CASE WHEN g % 10 = 0 THEN jsonb_build_object('correlation_id', 'flow-' || (g / 10)) END)])
  FROM generate_series(1, 12000) AS g) AS appends;
ANALYZE eventstore.events;
ANALYZE eventstore.streams;

-- Event type: the type index in log order.
EXPLAIN (COSTS OFF) SELECT * FROM eventstore.read_event_type('Paid', max_count => 10);
SELECT count(*) AS paid, bool_and(event_type = 'Paid') AS only_paid FROM eventstore.read_event_type('Paid', max_count => 100000);
-- The same events in the same order as the global log filtered by type.
SELECT (SELECT array_agg(event_id) FROM eventstore.read_event_type('Closed', max_count => 100000))
     = (SELECT array_agg(event_id) FROM eventstore.read_all(max_count => 100000, event_types => ARRAY['Closed'])) AS same_as_log;
-- Paging from a checkpoint.
SELECT count(*) AS after_checkpoint FROM (
  SELECT * FROM eventstore.read_event_type('Paid',
    (SELECT transaction_id FROM eventstore.read_event_type('Paid', max_count => 100) OFFSET 99 LIMIT 1),
    (SELECT position FROM eventstore.read_event_type('Paid', max_count => 100) OFFSET 99 LIMIT 1),
    100000)) AS page;

-- Time range: the BRIN index on created_at.
EXPLAIN (COSTS OFF) SELECT * FROM eventstore.read_time_range('2000-01-01', '2000-01-02');
SELECT count(*) >= 12000 AS all_recent_events FROM eventstore.read_time_range(now() - interval '1 hour', now() + interval '1 hour', max_count => 100000);
SELECT count(*) AS none_in_2000 FROM eventstore.read_time_range('2000-01-01', '2000-01-02');

-- Correlation id: the partial index on metadata->>'correlation_id'.
EXPLAIN (COSTS OFF) SELECT * FROM eventstore.read_correlated('flow-7');
SELECT stream_name, event_type, data FROM eventstore.read_correlated('flow-7');

-- Paging by cursor (events of one transaction share created_at; position breaks
-- the tie): pages of 997 joined end to end are the whole result, in order, once each.
CREATE TEMP TABLE time_range_pages (page integer, created_at timestamptz, position bigint);
DO $$
DECLARE
  last_time timestamptz := '-infinity';
  last_position bigint := 0;
  page_number integer := 0;
  got integer;
BEGIN
  LOOP
    INSERT INTO time_range_pages
      SELECT page_number, r.created_at, r.position
      FROM eventstore.read_time_range(now() - interval '1 hour', now() + interval '1 hour', last_time, last_position, 997) r;
    GET DIAGNOSTICS got = ROW_COUNT;
    EXIT WHEN got = 0;
    SELECT t.created_at, t.position INTO last_time, last_position
      FROM time_range_pages t WHERE t.page = page_number ORDER BY t.created_at DESC, t.position DESC LIMIT 1;
    page_number := page_number + 1;
    EXIT WHEN page_number > 10000;
  END LOOP;
END $$;
SELECT (SELECT count(*) FROM time_range_pages) = (SELECT count(*) FROM eventstore.read_time_range(now() - interval '1 hour', now() + interval '1 hour', max_count => 100000)) AS pages_hold_every_event,
       (SELECT count(DISTINCT position) FROM time_range_pages) = (SELECT count(*) FROM time_range_pages) AS no_event_twice;
-- Correlated reads page by log position.
SELECT count(*) AS correlated_appends FROM (
  SELECT eventstore.append('parcel-' || g, -2,
           ARRAY[eventstore.event('Sent', jsonb_build_object('n', g), jsonb_build_object('correlation_id', 'flow-paged'))])
  FROM generate_series(1, 5) AS g) AS appends;
CREATE TEMP TABLE correlated_pages AS
  SELECT 1 AS page, stream_name, transaction_id, position FROM eventstore.read_correlated('flow-paged', max_count => 2);
INSERT INTO correlated_pages
  SELECT 2, r.stream_name, r.transaction_id, r.position
  FROM (SELECT transaction_id, position FROM correlated_pages ORDER BY transaction_id DESC, position DESC LIMIT 1) c,
       eventstore.read_correlated('flow-paged', c.transaction_id, c.position, 2) r;
INSERT INTO correlated_pages
  SELECT 3, r.stream_name, r.transaction_id, r.position
  FROM (SELECT transaction_id, position FROM correlated_pages ORDER BY transaction_id DESC, position DESC LIMIT 1) c,
       eventstore.read_correlated('flow-paged', c.transaction_id, c.position, 2) r;
SELECT page, stream_name FROM correlated_pages ORDER BY transaction_id, position;

-- Category: read_category scans the category index (counted in this transaction).
BEGIN;
CREATE TEMP TABLE scans_before AS SELECT pg_stat_get_xact_numscans('eventstore.events_category_order'::regclass) AS scans;
SELECT count(*) AS refunds FROM eventstore.read_category('refund', max_count => 100000);
SELECT pg_stat_get_xact_numscans('eventstore.events_category_order'::regclass) - scans AS category_index_scans
FROM scans_before;
COMMIT;

-- Consumer groups: every stream of the category goes to exactly one member.
CREATE TEMP TABLE members AS
SELECT m AS member, r.stream_name, r.event_id
FROM generate_series(0, 3) AS m,
     LATERAL eventstore.read_category('parcel', max_count => 100000, consumer_group_member => m, consumer_group_size => 4) AS r;
SELECT count(*) AS delivered, count(DISTINCT event_id) AS distinct_events,
       (SELECT count(*) FROM eventstore.read_category('parcel', max_count => 100000)) AS in_category,
       count(DISTINCT member) AS members_used
FROM members;
SELECT count(*) AS streams_in_two_members FROM (
  SELECT stream_name FROM members GROUP BY stream_name HAVING count(DISTINCT member) > 1) AS shared;
-- The same member gets the same streams on every read.
SELECT (SELECT array_agg(DISTINCT stream_name) FROM members WHERE member = 2)
     = (SELECT array_agg(DISTINCT stream_name)
        FROM eventstore.read_category('parcel', max_count => 100000, consumer_group_member => 2, consumer_group_size => 4))
       AS stable;
SELECT * FROM eventstore.read_category('parcel', consumer_group_member => 4, consumer_group_size => 4);
SELECT * FROM eventstore.read_category('parcel', consumer_group_member => 0);
SELECT * FROM eventstore.read_category('parcel', consumer_group_member => 0, consumer_group_size => 0);

-- The indexed reads hide what the lifecycle hides.
SELECT eventstore.truncate_stream('invoice-3', 1000000);
SELECT count(*) AS hidden_invoice_events FROM eventstore.read_event_type('Issued', max_count => 100000) WHERE stream_name = 'invoice-3';
