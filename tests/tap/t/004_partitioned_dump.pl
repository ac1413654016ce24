# A store partitioned by month survives pg_dump and pg_restore. The monthly
# partitions are not members of the extension (they are created after CREATE
# EXTENSION), so the dump holds them as ordinary tables attached to the
# extension's parent, eventstore.events, which CREATE EXTENSION makes
# partitioned in every database; a detached month comes along as a plain table.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('partitioned');
$node->init;
$node->start;

my $summary_query = q{
	SELECT count(*) || ' events, ' || count(DISTINCT stream_id) || ' streams, '
	       || md5(string_agg(s.stream_name || '/' || e.version || '/' || e.event_id || '/' || e.data::text
	                         || '/' || e.created_at, ',' ORDER BY e.position))
	FROM eventstore.events e JOIN eventstore.streams s USING (stream_id)
};
my $layout_query = q{
	SELECT string_agg(partition_name || ' ' || coalesce(from_time::text, '-') || ' ' || coalesce(to_time::text, '-'), ', ')
	FROM eventstore.event_partitions()
};
my $placement_query = q{
	SELECT string_agg(p || ':' || n, ' ' ORDER BY p)
	FROM (SELECT tableoid::regclass::text AS p, count(*) AS n FROM eventstore.events GROUP BY 1) AS placed
};
my $tables_query = q{
	SELECT string_agg(c.relname || ' ' || c.relkind::text || ' ' || c.relispartition, ', ' ORDER BY c.relname)
	FROM pg_class c WHERE c.relnamespace = 'eventstore'::regnamespace AND c.relkind IN ('r', 'p', 'i')
};
my $reads_query = q{
	SELECT (SELECT string_agg(version::text, ',') FROM eventstore.read_stream('acct-2'))
	       || ' | ' || (SELECT string_agg(stream_name || '@' || version, ',') FROM eventstore.read_all(max_count => 10000))
	       || ' | ' || (SELECT string_agg(is_snapshot || ':' || version, ',') FROM eventstore.load('acct-2'))
};

$node->safe_psql('postgres', 'CREATE DATABASE monthly');
$node->safe_psql('monthly', 'CREATE EXTENSION pg_eventstore');
$node->safe_psql('monthly', q{SELECT eventstore.use_monthly_partitions(2, (now() - interval '4 months')::date)});
$node->safe_psql('monthly', q{
	SELECT count(*) FROM (
	  SELECT eventstore.append('acct-' || g, -1, ARRAY[eventstore.event('Opened', jsonb_build_object('n', g)),
	                                                  eventstore.event('Deposited', '{"amount": 5}')])
	  FROM generate_series(1, 40) AS g) AS appended;
});
# Half the streams' events become three months old, some four (as if appended
# then); then later events for all of them.
$node->safe_psql('monthly', q{
	UPDATE eventstore.events SET created_at = created_at - interval '3 months' WHERE stream_id % 2 = 0;
	UPDATE eventstore.events SET created_at = created_at - interval '1 month' WHERE stream_id % 10 = 0;
});
$node->safe_psql('monthly', q{
	SELECT count(*) FROM (
	  SELECT eventstore.append('acct-' || g, 1, ARRAY[eventstore.event('Withdrawn', '{"amount": 1}', NULL, eventstore.new_event_id())])
	  FROM generate_series(1, 40) AS g) AS appended;
});
$node->safe_psql('monthly', q{SELECT eventstore.save_snapshot('acct-2', 1, '{"balance": 5}')});
# Retention: the month four months back is detached (its table stays).
is($node->safe_psql('monthly',
		q{SELECT string_agg(action, ',') FROM eventstore.maintain_partitions(months_ahead => 2, retain_months => 4)}),
	'detached', 'the oldest month is detached');
like($node->safe_psql('monthly', $placement_query), qr/events_p\d{6}:\d+ .*events_p\d{6}:\d+/,
	'the events are spread over several months');

my $dump = "${PostgreSQL::Test::Utils::tmp_check}/monthly.dump";
$node->command_ok([ 'pg_dump', '-Fc', '-f', $dump, '-d', $node->connstr('monthly') ],
	'pg_dump of a store partitioned by month');
$node->safe_psql('postgres', 'CREATE DATABASE monthly_restored');
$node->command_ok([ 'pg_restore', '--exit-on-error', '-d', $node->connstr('monthly_restored'), $dump ],
	'pg_restore into a new database, without an error');

for my $check ([ $summary_query, 'every stream and event' ], [ $layout_query, 'the same partitions and bounds' ],
	[ $placement_query, 'every event in the partition it was in' ],
	[ $tables_query, 'the same tables and indexes, the detached month as a plain table' ],
	[ $reads_query, 'the same reads across partitions' ])
{
	is($node->safe_psql('monthly_restored', $check->[0]), $node->safe_psql('monthly', $check->[0]),
		"the restore has $check->[1]");
}

# The restored store goes on: appends route to the current month, retention works.
$node->safe_psql('monthly_restored',
	q{SELECT eventstore.append('acct-2', 2, ARRAY[eventstore.event('Closed', '{}')])});
is($node->safe_psql('monthly_restored', q{
		SELECT tableoid::regclass::text = 'eventstore.events_p' || to_char(now() AT TIME ZONE 'UTC', 'YYYYMM')
		FROM eventstore.events WHERE event_type = 'Closed'}),
	't', 'an append after the restore goes to the current month');
is($node->safe_psql('monthly_restored', q{SELECT string_agg(version::text, ',') FROM eventstore.read_stream('acct-2')}),
	'0,1,2,3', 'the restored stream reads across partitions');
is($node->safe_psql('monthly_restored',
		q{SELECT count(*) FROM eventstore.maintain_partitions(months_ahead => 3)}),
	'1', 'maintenance goes on after the restore');
is($node->safe_psql('monthly_restored', q{SELECT count(*) FROM eventstore.events_default}), '0',
	'the default partition stays empty');

$node->stop;
done_testing();
