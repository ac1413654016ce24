# Crash during a mixed load: appends, snapshot saves, soft deletes with
# recreation, and truncations of the same streams, with the postmaster killed
# (SIGKILL) in the middle. After restart: every acknowledged event is stored
# (lifecycle calls hide events, they never remove them), no append is stored
# in part, versions are contiguous, every stream row agrees with its events,
# every snapshot is of a version its stream has, and pg_amcheck finds the
# tables and indexes sound.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;

my $writers = 4;
my $operations_per_writer = 10000;
my $streams = 8;

my $node = PostgreSQL::Test::Cluster->new('mixed');
$node->init;
$node->append_conf('postgresql.conf', "fsync = on\nsynchronous_commit = on\nmax_connections = 40\n");
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION pg_eventstore');

# Each writer runs a script of single-statement transactions; an append prints
# "ack" only once the server has acknowledged its commit. Lifecycle calls and
# snapshots may fail (a stream deleted meanwhile): the script goes on.
my @processes;
for my $writer (1 .. $writers) {
	my $script = "${PostgreSQL::Test::Utils::tmp_check}/mixed_$writer.sql";
	open(my $file, '>', $script) or die "cannot write $script: $!";
	for my $operation (1 .. $operations_per_writer) {
		my $stream = 'mix-' . (($operation * 7 + $writer) % $streams);
		my $choice = ($operation * 13 + $writer * 5) % 20;
		if ($choice == 0) {
			print $file "SELECT eventstore.delete_stream('$stream');\n";
		} elsif ($choice == 1) {
			print $file "SELECT eventstore.truncate_stream('$stream', greatest(eventstore.stream_version('$stream'), 0));\n";
		} elsif ($choice <= 3) {
			print $file "SELECT eventstore.save_snapshot('$stream', eventstore.stream_version('$stream'), "
			  . "'{\"writer\": $writer, \"operation\": $operation}');\n";
		} else {
			my $count = 1 + $operation % 3;
			my @events = map {
				"eventstore.event('Tick', '{\"writer\": $writer, \"operation\": $operation}', NULL, "
				  . "md5('$writer-$operation-$_')::uuid)"
			} (1 .. $count);
			print $file "SELECT 'ack $writer-$operation-$count' FROM eventstore.append('$stream', -2, ARRAY["
			  . join(', ', @events) . "]);\n";
		}
	}
	close($file);
	my $output = '';
	my $errors = '';
	push @processes,
	  {
		process => IPC::Run::start(
			[ 'psql', '-X', '-q', '-A', '-t', '-h', $node->host, '-p', $node->port, '-d', 'postgres', '-f', $script ],
			'>', \$output, '2>', \$errors),
		output => \$output
	  };
}

sleep(3);
$node->kill9;
my %acknowledged;
for my $writer (@processes) {
	$writer->{process}->finish;
	for my $line (split /\n/, ${ $writer->{output} }) {
		$acknowledged{$1} = $2 if $line =~ /^ack (\d+-\d+)-(\d+)$/;
	}
}
for my $attempt (1 .. 300) {
	last if $node->start(fail_ok => 1);
	$node->stop('immediate', fail_ok => 1);
	select(undef, undef, undef, 0.2);
}

my $acknowledged_events = 0;
$acknowledged_events += $_ for values %acknowledged;
cmp_ok(scalar(keys %acknowledged), '>', 100, 'appends were acknowledged before the crash');
cmp_ok(scalar(keys %acknowledged), '<', $writers * $operations_per_writer * 0.8,
	'the crash came in the middle of the load');
my $ids = join(',', map { my $a = $_; map { "md5('$a-$_')" } (1 .. $acknowledged{$a}) } keys %acknowledged);
my $found = $node->safe_psql('postgres', "SELECT count(*) FROM eventstore.events WHERE event_id = ANY (ARRAY[$ids]::uuid[])");
is($acknowledged_events - $found, 0, "no acknowledged event lost ($acknowledged_events acknowledged)");
is($node->safe_psql('postgres', q{
		SELECT count(*) FROM (
		  SELECT data->>'operation' AS operation, count(*) AS stored FROM eventstore.events
		  GROUP BY data->>'writer', data->>'operation') appends
		WHERE stored <> 1 + operation::int % 3}),
	'0', 'no append stored in part');
is($node->safe_psql('postgres', q{
		SELECT count(*) FROM (
		  SELECT stream_id, count(*) AS events, count(DISTINCT version) AS versions, max(version) AS highest
		  FROM eventstore.events GROUP BY stream_id) s
		WHERE events <> versions OR highest + 1 <> events}),
	'0', 'versions contiguous from 0 in every stream');
is($node->safe_psql('postgres', q{
		SELECT count(*) FROM eventstore.streams s
		WHERE version <> (SELECT max(version) FROM eventstore.events e WHERE e.stream_id = s.stream_id)}),
	'0', 'every stream row holds its last version');
is($node->safe_psql('postgres', q{
		SELECT count(*) FROM eventstore.snapshots n JOIN eventstore.streams s USING (stream_id)
		WHERE n.version > s.version}),
	'0', 'every snapshot is of a version its stream has');
cmp_ok($node->safe_psql('postgres', 'SELECT count(*) FROM eventstore.snapshots'), '>', 0, 'snapshots were saved');
cmp_ok($node->safe_psql('postgres', 'SELECT count(*) FROM eventstore.streams WHERE truncate_before > 0'), '>', 0,
	'streams were deleted or truncated');
# The store goes on: reads honour the lifecycle, appends continue, reclaim works.
$node->safe_psql('postgres', q{SELECT eventstore.append('mix-1', -2, ARRAY[eventstore.event('After', '{}')])});
cmp_ok($node->safe_psql('postgres', 'SELECT eventstore.reclaim()'), '>=', 0, 'reclaim runs after recovery');
my ($stdout, $stderr);
ok(IPC::Run::run(
		[ 'pg_amcheck', '-h', $node->host, '-p', $node->port, '--install-missing', '--heapallindexed', '--parent-check', '-d', 'postgres' ],
		'>', \$stdout, '2>', \$stderr),
	'pg_amcheck finds no corruption') or diag("$stdout\n$stderr");
$node->stop;
done_testing();
