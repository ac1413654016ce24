# Upgrades and dumps. From every released version, ALTER EXTENSION ... UPDATE
# with data in place gives the same functions, tables, indexes and types as a
# fresh install of the newest version, and keeps the data; pg_dump and restore
# into a new database keep every stream, event and snapshot.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('upgrade');
$node->init;
$node->start;

my $newest = $node->safe_psql('postgres',
	"SELECT default_version FROM pg_available_extensions WHERE name = 'pg_eventstore'");
my @released = grep { $_ ne $newest } split /\n/, $node->safe_psql('postgres',
	"SELECT version FROM pg_available_extension_versions WHERE name = 'pg_eventstore' ORDER BY string_to_array(version, '.')::int[]");
cmp_ok(scalar(@released), '>=', 1, "there are released versions before $newest (@released)");

# Everything the extension defines, in a comparable text form.
my $catalog_query = q{
	SELECT 'function ' || p.oid::regprocedure || ' ' || pg_get_function_result(p.oid) || ' '
	       || l.lanname || ' ' || p.provolatile::text || ' ' || p.proisstrict || ' ' || coalesce(p.probin, '')
	       || ' ' || md5(p.prosrc) || ' ' || coalesce(array_to_string(p.proacl, ','), 'default')
	FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
	WHERE p.pronamespace = 'eventstore'::regnamespace
	UNION ALL
	SELECT 'column ' || c.relname || '.' || a.attname || ' ' || a.attnum || ' ' || format_type(a.atttypid, a.atttypmod)
	       || ' ' || a.attnotnull || ' ' || coalesce(co.collname, '') || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
	FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_collation co ON co.oid = a.attcollation
	     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
	WHERE c.relnamespace = 'eventstore'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
	UNION ALL
	SELECT 'relation ' || c.relname || ' ' || c.relkind::text || ' ' || coalesce(array_to_string(c.reloptions, ','), '')
	       || ' ' || coalesce(array_to_string(c.relacl, ','), 'default')
	FROM pg_class c WHERE c.relnamespace = 'eventstore'::regnamespace
	UNION ALL
	SELECT 'index ' || pg_get_indexdef(i.indexrelid)
	FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace = 'eventstore'::regnamespace
	UNION ALL
	SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
	FROM pg_constraint WHERE connamespace = 'eventstore'::regnamespace
	UNION ALL
	SELECT 'dumped ' || unnest(extconfig)::regclass FROM pg_extension WHERE extname = 'pg_eventstore'
	ORDER BY 1
};

my $workload = q{
	SELECT count(*) FROM (
	  SELECT eventstore.append('acct-' || g, -1, ARRAY[eventstore.event('Opened', jsonb_build_object('n', g)),
	                                                  eventstore.event('Deposited', '{"amount": 5}')])
	  FROM generate_series(1, 50) AS g) AS appended;
};
my $summary_query = q{
	SELECT count(*) || ' events, ' || count(DISTINCT stream_id) || ' streams, '
	       || md5(string_agg(s.stream_name || '/' || e.version || '/' || e.event_id || '/' || e.data::text, ',' ORDER BY e.position))
	FROM eventstore.events e JOIN eventstore.streams s USING (stream_id)
};

$node->safe_psql('postgres', 'CREATE DATABASE fresh');
$node->safe_psql('fresh', 'CREATE EXTENSION pg_eventstore');
my $fresh_catalog = $node->safe_psql('fresh', $catalog_query);

for my $version (@released) {
	my $database = 'from_' . ($version =~ s/\./_/gr);
	$node->safe_psql('postgres', "CREATE DATABASE $database");
	$node->safe_psql($database, "CREATE EXTENSION pg_eventstore VERSION '$version'");
	$node->safe_psql($database, $workload);
	my $before = $node->safe_psql($database, $summary_query);
	$node->safe_psql($database, 'ALTER EXTENSION pg_eventstore UPDATE');
	is($node->safe_psql($database, "SELECT extversion FROM pg_extension WHERE extname = 'pg_eventstore'"),
		$newest, "$version updates to $newest");
	is($node->safe_psql($database, $catalog_query), $fresh_catalog,
		"$version updated to $newest defines exactly what a fresh install of $newest does");
	is($node->safe_psql($database, $summary_query), $before, "$version: the events are kept by the update");
	# The updated store works: append, read, and what the newest version added.
	$node->safe_psql($database,
		q{SELECT eventstore.append('acct-1', 1, ARRAY[eventstore.event('Withdrawn', '{"amount": 1}')])});
	is($node->safe_psql($database, q{SELECT eventstore.stream_version('acct-1')}), '2',
		"$version: appends continue after the update");
	$node->safe_psql($database, q{SELECT eventstore.save_snapshot('acct-1', 2, '{"balance": 4}')});
	is($node->safe_psql($database, q{SELECT string_agg(is_snapshot || ':' || version, ' ') FROM eventstore.load('acct-1')}),
		'true:2', "$version: snapshots work after the update");
}

# The old SQL declarations keep working with the newest library: a database
# still on the oldest version appends and reads.
my $oldest = $released[0];
$node->safe_psql('postgres', 'CREATE DATABASE stays_old');
$node->safe_psql('stays_old', "CREATE EXTENSION pg_eventstore VERSION '$oldest'");
$node->safe_psql('stays_old', $workload);
is($node->safe_psql('stays_old',
		q{SELECT count(*) FROM eventstore.read_all(max_count => 1000)}), '100',
	"a database on $oldest reads through the newest library");
is($node->safe_psql('stays_old', q{SELECT count(*) FROM eventstore.read_stream('acct-7')}), '2',
	"a database on $oldest reads streams through the newest library");

# pg_dump of a database using the extension, restored into a new one.
$node->safe_psql('fresh', $workload);
$node->safe_psql('fresh', q{SELECT eventstore.save_snapshot('acct-3', 1, '{"balance": 5}')});
my $dump = "${PostgreSQL::Test::Utils::tmp_check}/fresh.dump";
$node->command_ok([ 'pg_dump', '-Fc', '-f', $dump, '-d', $node->connstr('fresh') ], 'pg_dump of a database with the extension');
$node->safe_psql('postgres', 'CREATE DATABASE restored');
$node->command_ok([ 'pg_restore', '-d', $node->connstr('restored'), $dump ], 'pg_restore into a new database');
is($node->safe_psql('restored', $summary_query), $node->safe_psql('fresh', $summary_query),
	'the restore has every stream and event');
is($node->safe_psql('restored', q{SELECT string_agg(version || ':' || state::text, ' ') FROM eventstore.snapshots}),
	$node->safe_psql('fresh', q{SELECT string_agg(version || ':' || state::text, ' ') FROM eventstore.snapshots}),
	'the restore has every snapshot');
# The sequences came along: new appends get new positions and stream ids.
$node->safe_psql('restored', q{SELECT eventstore.append('acct-new', -1, ARRAY[eventstore.event('Opened', '{}')])});
is($node->safe_psql('restored',
		q{SELECT count(*) FROM eventstore.events WHERE position = (SELECT max(position) FROM eventstore.events)}),
	'1', 'positions continue after the restore');
is($node->safe_psql('restored', q{SELECT eventstore.stream_version('acct-3')}), '1',
	'restored streams keep their versions');
is($node->safe_psql('restored', $catalog_query), $fresh_catalog, 'the restore defines what a fresh install does');

$node->stop;
done_testing();
