# On a hot standby every function that writes refuses with 25006 and reads
# work (the log fence there follows the primary's running transactions).
# A database owner who is not a superuser cannot install the extension
# (it is not trusted: docs/operations.md says why) and gets 42501.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $primary = PostgreSQL::Test::Cluster->new('primary');
$primary->init(allows_streaming => 1);
$primary->append_conf('postgresql.conf', "shared_preload_libraries = 'pg_eventstore'");
$primary->start;
$primary->safe_psql('postgres', 'CREATE DATABASE store');
$primary->safe_psql('store', 'CREATE EXTENSION pg_eventstore');
$primary->safe_psql('store', q{SELECT eventstore.append('account-' || g, -1, ARRAY[eventstore.event('Opened', '{}')])
                               FROM generate_series(1, 5) AS g});
$primary->safe_psql('store', q{SELECT eventstore.save_snapshot('account-1', 0, '{}')});
$primary->safe_psql('store', q{SELECT eventstore.set_stream_limits('account-2', max_count => 1)});
$primary->backup('base');

my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($primary, 'base', has_streaming => 1);
$standby->start;
$primary->safe_psql('store', q{SELECT eventstore.append('account-6', -1, ARRAY[eventstore.event('Opened', '{}')])});
$primary->wait_for_catchup($standby);

is($standby->safe_psql('store', 'SELECT count(*) FROM eventstore.read_all()'), '6', 'the standby reads the log');
is($standby->safe_psql('store', q{SELECT count(*) FROM eventstore.read_category('account')}), '6',
	'and the category');
is($standby->safe_psql('store', 'SELECT eventstore.log_fence_source()'), 'recovery',
	'the standby fence follows the primary');
is($standby->safe_psql('store', q{SELECT count(*) FROM eventstore.read_stream('account-1')}), '1', 'and streams');

my %writes = (
	'append' => q{SELECT eventstore.append('account-1', -2, ARRAY[eventstore.event('Late', '{}')])},
	'append_multi' => q{SELECT eventstore.append_multi(ARRAY[eventstore.stream_append('account-7', -1, ARRAY[eventstore.event('New', '{}')])])},
	'delete_stream' => q{SELECT eventstore.delete_stream('account-1')},
	'tombstone_stream' => q{SELECT eventstore.tombstone_stream('account-1')},
	'truncate_stream' => q{SELECT eventstore.truncate_stream('account-1', 1)},
	'set_stream_limits' => q{SELECT eventstore.set_stream_limits('account-1', max_count => 1)},
	'save_snapshot' => q{SELECT eventstore.save_snapshot('account-1', 0, '{"again": true}')},
	'reclaim' => q{SELECT eventstore.reclaim()},
);
for my $function (sort keys %writes) {
	my ($status, $stdout, $stderr) = $standby->psql('store', "\\set VERBOSITY verbose\n$writes{$function}");
	like($stderr, qr/25006: cannot execute eventstore\.\Q$function\E\(\) in a read-only transaction/,
		"$function refuses on the standby with 25006, naming itself");
}
is($standby->safe_psql('store', 'SELECT count(*) FROM eventstore.events'), '6', 'the standby wrote nothing');

# A database owner who is not a superuser.
$primary->safe_psql('postgres', 'CREATE ROLE store_owner LOGIN');
$primary->safe_psql('postgres', 'CREATE DATABASE owned OWNER store_owner');
my ($status, $stdout, $stderr) = $primary->psql('owned', "\\set VERBOSITY verbose\nCREATE EXTENSION pg_eventstore",
	extra_params => [ '-U', 'store_owner' ]);
like($stderr, qr/42501: permission denied to create extension "pg_eventstore"/,
	'a database owner who is not a superuser cannot install it (42501)');
$primary->safe_psql('owned', 'CREATE EXTENSION pg_eventstore');
$primary->safe_psql('owned', 'GRANT eventstore_writer TO store_owner');
is($primary->safe_psql('owned',
		q{SELECT next_expected_version FROM eventstore.append('owned-1', -1, ARRAY[eventstore.event('A', '{}')])},
		extra_params => [ '-U', 'store_owner' ]),
	'0', 'installed by a superuser, the owner appends through the writer role');

$standby->stop;
$primary->stop;
done_testing();
