# The global log after pg_dump and pg_restore into another cluster whose
# transaction counter is behind the original's (and one whose counter is
# ahead): the whole log reads in its original order, new appends come after
# every restored event, a checkpoint taken on the original continues without
# skipping or repeating, and the store keeps its identity. The negative
# control restores with the clock's offset left at 0, as release 0.2 had it:
# the restored log is then invisible to readers.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

# A cluster whose next transaction id is `$next` (pg_resetwal -x, with the
# commit-log segment that id needs).
sub cluster_at_transaction {
	my ($name, $next) = @_;
	my $node = PostgreSQL::Test::Cluster->new($name);
	$node->init;
	$node->append_conf('postgresql.conf', "shared_preload_libraries = 'pg_eventstore'\nmax_prepared_transactions = 4");
	if ($next) {
		command_ok([ 'pg_resetwal', '-x', $next, $node->data_dir ], "$name: transaction counter set to $next");
		my $segment = sprintf('%s/pg_xact/%04X', $node->data_dir, int($next / (32768 * 32)));
		open(my $file, '>', $segment) or die "cannot create $segment: $!";
		print $file "\0" x (8192 * 32);
		close($file);
	}
	$node->start;
	return $node;
}

sub next_transaction {
	my ($node) = @_;
	return $node->safe_psql('postgres', 'SELECT pg_snapshot_xmax(pg_current_snapshot())');
}

my $events_in_order = q{
	SELECT string_agg(r.event_id::text, ',' ORDER BY r.delivered)
	FROM eventstore.read_all(max_count => 100000) WITH ORDINALITY
	  AS r(stream_name, version, position, transaction_id, event_id, event_type, data, metadata, created_at, delivered)
};

# The original: a counter far ahead, 40 appends in separate transactions.
my $original = cluster_at_transaction('original', 200_000_000);
$original->safe_psql('postgres', 'CREATE DATABASE store');
$original->safe_psql('store', 'CREATE EXTENSION pg_eventstore');
for my $i (1 .. 40) {
	$original->safe_psql('store',
		"SELECT eventstore.append('account-' || ($i % 7), -2, ARRAY[eventstore.event('Deposited', '{\"n\": $i}'), eventstore.event('Audited', '{}')])");
}
my $original_order = $original->safe_psql('store', $events_in_order);
my $store_id = $original->safe_psql('store', 'SELECT eventstore.store_id()');
# A reader's checkpoint after 30 of the 80 events.
my ($checkpoint_transaction, $checkpoint_position) = split /\|/, $original->safe_psql('store',
	q{SELECT transaction_id, position FROM eventstore.read_all(max_count => 30) ORDER BY transaction_id DESC, position DESC LIMIT 1});
my $original_rest = $original->safe_psql('store',
	"SELECT string_agg(event_id::text, ',') FROM eventstore.read_all('$checkpoint_transaction', $checkpoint_position, 1000)");
note "original: next transaction " . next_transaction($original) . ", checkpoint ($checkpoint_transaction, $checkpoint_position)";
is(scalar(split /,/, $original_order), 80, 'the original log has 80 events');

my $dump = "${PostgreSQL::Test::Utils::tmp_check}/store.dump";
command_ok([ 'pg_dump', '-Fc', '-f', $dump, '-d', $original->connstr('store') ], 'pg_dump of the store');

# A store of another database of the same cluster refuses the checkpoint.
$original->safe_psql('postgres', 'CREATE DATABASE other_store');
$original->safe_psql('other_store', 'CREATE EXTENSION pg_eventstore');
my ($status, $stdout, $stderr) = $original->psql('other_store',
	"SELECT * FROM eventstore.read_all('$checkpoint_transaction', $checkpoint_position, 10, NULL, '$store_id')");
like($stderr, qr/checkpoint of store \Q$store_id\E cannot be read in this database/,
	'another database of the cluster refuses a checkpoint of the store (22V11)');

sub restore_into {
	my ($node, $database) = @_;
	$node->safe_psql('postgres', "CREATE DATABASE $database");
	command_ok([ 'pg_restore', '-d', $node->connstr($database), $dump ], $node->name . ": pg_restore into $database");
}

for my $case ([ 'behind', 0 ], [ 'ahead', 400_000_000 ]) {
	my ($name, $next) = @$case;
	my $copy = cluster_at_transaction("counter_$name", $next);
	restore_into($copy, 'store');
	my $restored_min = $copy->safe_psql('store', 'SELECT min(transaction_id) FROM eventstore.events');
	note "$name: next transaction " . next_transaction($copy) . ", restored log transactions from $restored_min";
	is($copy->safe_psql('store', $events_in_order), $original_order, "$name: the restored log reads in its original order");
	is($copy->safe_psql('store', 'SELECT eventstore.store_id()'), $store_id, "$name: the store keeps its identity");
	note "$name: clock offset " . $copy->safe_psql('store', 'SELECT transaction_offset FROM eventstore.log_clock()');
	$copy->safe_psql('store',
		q{SELECT eventstore.append('account-' || g, -2, ARRAY[eventstore.event('AfterRestore', '{}')]) FROM generate_series(1, 5) AS g});
	$copy->safe_psql('store', q{SELECT eventstore.append('account-99', -1, ARRAY[eventstore.event('AfterRestore', '{}')])});
	is($copy->safe_psql('store',
			q{SELECT string_agg(event_type, ',') FROM (SELECT event_type FROM eventstore.read_all(max_count => 100000) OFFSET 80) AS t}),
		join(',', ('AfterRestore') x 6), "$name: new appends come after every restored event");
	my $continued = $copy->safe_psql('store',
		"SELECT string_agg(event_id::text, ',') FROM eventstore.read_all('$checkpoint_transaction', $checkpoint_position, 1000, NULL, '$store_id') WHERE event_type <> 'AfterRestore'");
	is($continued, $original_rest, "$name: the original's checkpoint continues without skipping or repeating");
	is($copy->safe_psql('store',
			"SELECT count(*) FROM eventstore.read_all('$checkpoint_transaction', $checkpoint_position, 1000, NULL, '$store_id')"),
		50 + 6, "$name: and goes on to the new appends");
	if ($name eq 'behind') {
		# The control: the same restore with the offset left at 0.
		restore_into($copy, 'control');
		$copy->safe_psql('control', q{
			UPDATE eventstore.store_identity
			SET system_identifier = (SELECT system_identifier FROM pg_control_system()), transaction_offset = 0
			WHERE store_id = eventstore.store_id()});
		$copy->safe_psql('control', q{DELETE FROM eventstore.store_identity WHERE created_at > (SELECT min(created_at) FROM eventstore.store_identity)});
		is($copy->safe_psql('control', 'SELECT count(*) FROM eventstore.read_all()'), '0',
			'control: without the offset, the restored events are beyond the fence and nobody reads them');
	}
	$copy->stop;
}

$original->stop;
done_testing();
