# Durability under crashes: writers append while the postmaster is killed with
# SIGKILL; after restart every acknowledged event is there (lost = 0), no
# append is there in part, there are no duplicates or gaps, the stream rows
# agree with the events, and pg_amcheck finds the tables and indexes sound.
# The negative control runs the same load with synchronous_commit = off, which
# acknowledges commits before they are durable: the check must see losses.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;

my $writers = 4;
my $appends_per_writer = 4000;

# One psql per writer, each append its own transaction; psql prints "ack" only
# after the server has acknowledged the commit.
sub start_writers {
	my ($node, $round) = @_;
	my @writers;
	for my $writer (1 .. $writers) {
		my $script = "${PostgreSQL::Test::Utils::tmp_check}/writer_${round}_${writer}.sql";
		open(my $file, '>', $script) or die "cannot write $script: $!";
		for my $append (1 .. $appends_per_writer) {
			my $count = 1 + $append % 3;
			my @events = map {
				"eventstore.event('Tick', '{\"round\": $round, \"writer\": $writer, \"append\": $append}', NULL, "
				  . "md5('$round-$writer-$append-$_')::uuid)"
			} (1 .. $count);
			my $stream = 'crash-' . ($append % 16);
			print $file "SELECT 'ack $round-$writer-$append-$count' FROM eventstore.append('$stream', -2, ARRAY["
			  . join(', ', @events) . "]);\n";
		}
		close($file);
		my $output = '';
		my $errors = '';
		my $psql = IPC::Run::start(
			[
				'psql', '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1',
				'-h', $node->host, '-p', $node->port, '-d', 'postgres', '-f', $script
			],
			'>', \$output, '2>', \$errors);
		push @writers, { process => $psql, output => \$output };
	}
	return @writers;
}

# Appends acknowledged by the writers: "round-writer-append" => event count.
sub acknowledged {
	my @writers = @_;
	my %appends;
	for my $writer (@writers) {
		$writer->{process}->finish;
		for my $line (split /\n/, ${ $writer->{output} }) {
			$appends{$1} = $2 if $line =~ /^ack (\d+-\d+-\d+)-(\d+)$/;
		}
	}
	return %appends;
}

# The killed postmaster's backends take a moment to notice and exit; until then
# the old shared memory is in use and a new postmaster refuses to start.
sub start_after_crash {
	my ($node) = @_;
	for my $attempt (1 .. 300) {
		return if $node->start(fail_ok => 1);
		# A failed start leaves the old postmaster's pid behind; forget it.
		$node->stop('immediate', fail_ok => 1);
		select(undef, undef, undef, 0.2);
	}
	BAIL_OUT('the cluster did not start after the crash');
}

sub crash_and_check {
	my ($node, $round, $label) = @_;
	my @writers = start_writers($node, $round);
	# Let the load run, then kill the postmaster in the middle of it.
	sleep(3);
	$node->kill9;
	my %acknowledged = acknowledged(@writers);
	my $acknowledged_events = 0;
	$acknowledged_events += $_ for values %acknowledged;
	start_after_crash($node);

	my $ids = join(',', map { my $a = $_; map { "md5('$a-$_')" } (1 .. $acknowledged{$a}) } keys %acknowledged);
	my $found = $ids eq '' ? 0 : $node->safe_psql('postgres',
		"SELECT count(*) FROM eventstore.events WHERE event_id = ANY (ARRAY[$ids]::uuid[])");
	my $lost = $acknowledged_events - $found;
	# The events of one append are all there or none.
	my $partial = $node->safe_psql('postgres', qq{
		SELECT count(*) FROM (
		  SELECT data->>'append' AS append, count(*) AS stored FROM eventstore.events
		  WHERE data->>'round' = '$round' GROUP BY data->>'writer', data->>'append') appends
		WHERE stored <> 1 + append::int % 3});
	note("$label round $round: acknowledged_appends=" . scalar(keys %acknowledged)
		  . " acknowledged_events=$acknowledged_events lost=$lost partial_appends=$partial");
	return ($lost, $partial, scalar(keys %acknowledged));
}

sub check_invariants {
	my ($node, $label) = @_;
	is($node->safe_psql('postgres',
			'SELECT count(*) - count(DISTINCT event_id) FROM eventstore.events'),
		'0', "$label: no event id stored twice");
	is($node->safe_psql('postgres', q{
			SELECT count(*) FROM (
			  SELECT stream_id, count(*) AS events, count(DISTINCT version) AS versions, max(version) AS highest
			  FROM eventstore.events GROUP BY stream_id) s
			WHERE events <> versions OR highest + 1 <> events}),
		'0', "$label: versions contiguous from 0 in every stream (no dup, no gap)");
	is($node->safe_psql('postgres', q{
			SELECT count(*) FROM eventstore.streams s
			WHERE version IS DISTINCT FROM (SELECT max(version) FROM eventstore.events e WHERE e.stream_id = s.stream_id)}),
		'0', "$label: every stream row holds its last version");
	my ($stdout, $stderr);
	my $amcheck = IPC::Run::run(
		[
			'pg_amcheck', '-h', $node->host, '-p', $node->port, '--install-missing',
			'--heapallindexed', '--parent-check', '-d', 'postgres'
		],
		'>', \$stdout, '2>', \$stderr);
	ok($amcheck, "$label: pg_amcheck finds no corruption") or diag("$stdout\n$stderr");
}

my $node = PostgreSQL::Test::Cluster->new('durable');
$node->init;
$node->append_conf('postgresql.conf', "fsync = on\nsynchronous_commit = on\nmax_connections = 40\n");
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION pg_eventstore');

for my $round (1 .. 2) {
	my ($lost, $partial, $acknowledged) = crash_and_check($node, $round, 'synchronous_commit=on');
	cmp_ok($acknowledged, '>', 100, "round $round: the writers were acknowledged before the crash");
	is($lost, 0, "round $round: no acknowledged event lost after kill -9");
	is($partial, 0, "round $round: no append stored in part");
	check_invariants($node, "round $round");
}
$node->stop;

# Negative control: commits acknowledged before their WAL is flushed.
my $control = PostgreSQL::Test::Cluster->new('asynchronous');
$control->init;
$control->append_conf('postgresql.conf',
	"synchronous_commit = off\nwal_writer_delay = 10s\nwal_writer_flush_after = 0\nmax_connections = 40\n");
$control->start;
$control->safe_psql('postgres', 'CREATE EXTENSION pg_eventstore');
my $control_lost = 0;
for my $round (1 .. 3) {
	my ($lost) = crash_and_check($control, 10 + $round, 'synchronous_commit=off');
	$control_lost += $lost;
	last if $control_lost > 0;
}
cmp_ok($control_lost, '>', 0, 'negative control: the check sees acknowledged events lost under synchronous_commit=off');
$control->stop;

done_testing();
