# Projections are exactly once across crashes: a projection (balances per
# account, tests/e2e/projection_worker.cpp) writes each batch's changes and
# its subscription's checkpoints in one transaction, and pauses between the
# writes and the COMMIT. The postmaster is killed (SIGKILL) there, again and
# again, and restarted; in the end the read model must equal a replay of the
# events computed in SQL. The negative control runs the same with a
# projection that commits its changes before the checkpoint: it must come out
# different (events counted twice).
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use Time::HiRes qw(usleep);

my $worker = "$ENV{EVENTSTORE_BUILD_DIR}/tests/e2e/projection_worker";
ok(-x $worker, "the projection worker is built ($worker)") or BAIL_OUT('build the tests first');

my $crashes = 4;
my $events = 3000;

my $node = PostgreSQL::Test::Cluster->new('projection');
$node->init;
$node->append_conf('postgresql.conf', "shared_preload_libraries = 'pg_eventstore'\nfsync = on\n");
$node->start;

my $replay = q{SELECT s.stream_name, count(*), sum((e.data ->> 'amount')::bigint)
               FROM eventstore.events e JOIN eventstore.streams s USING (stream_id) GROUP BY 1};

# Runs the worker against `database` with the postmaster killed $crashes times
# while it builds, then once to the end; returns how many events the read
# model was short of the log at each crash (so that the crashes are shown to
# land mid-build) and the differences from the replay.
sub crash_and_finish {
	my ($database, @flags) = @_;
	$node->safe_psql('postgres', "CREATE DATABASE $database");
	$node->safe_psql($database, 'CREATE EXTENSION pg_eventstore');
	$node->safe_psql($database,
		"SELECT count(*) FROM (SELECT eventstore.append('account-' || (g % 40), -2, ARRAY[eventstore.event('Deposited', jsonb_build_object('amount', g))]) FROM generate_series(1, $events) AS g) AS appended");
	my @short_at_crash;
	for my $crash (1 .. $crashes) {
		my ($out, $err) = ('', '');
		my $process = IPC::Run::start([ $worker, $node->connstr($database), '--pause-ms', '150', @flags ],
			'>', \$out, '2>', \$err);
		usleep(300_000 + int(rand(600_000)));
		$node->kill9;
		$process->kill_kill;
		# The killed postmaster's children take a moment to go.
		for (1 .. 100) {
			$node->stop('immediate', fail_ok => 1);
			last if $node->start(fail_ok => 1);
			usleep(100_000);
		}
		my $built = $node->safe_psql($database,
			q{SELECT coalesce(sum(events), 0) FROM balances_v1.balances WHERE to_regclass('balances_v1.balances') IS NOT NULL});
		push @short_at_crash, $events - ($built || 0);
	}
	my ($out, $err) = ('', '');
	IPC::Run::run([ $worker, $node->connstr($database), '--pause-ms', '1', @flags ], '>', \$out, '2>', \$err);
	like($out, qr/caught_up=yes/, "$database: the projection catches up after $crashes crashes") or diag($err);
	my $differences = $node->safe_psql($database,
		"SELECT count(*) FROM ((SELECT stream_name, events, total FROM balances_v1.balances EXCEPT $replay)
		                       UNION ALL ($replay EXCEPT SELECT stream_name, events, total FROM balances_v1.balances)) AS d");
	my $counted = $node->safe_psql($database, 'SELECT sum(events) FROM balances_v1.balances');
	return (\@short_at_crash, $differences, $counted);
}

my ($short, $differences, $counted) = crash_and_finish('exactly_once');
note("events not yet in the read model at each crash: @$short");
ok((grep { $_ > 0 && $_ < $events } @$short) >= 2, 'the crashes landed while the read model was being built');
is($differences, '0', 'the read model equals a replay of the events after the crashes');
is($counted, "$events", "every event counted once ($counted)");

my ($control_short, $control_differences, $control_counted) = crash_and_finish('control', '--separate-commits');
note("control: events not yet in the read model at each crash: @$control_short; counted $control_counted of $events");
isnt($control_differences, '0',
	'negative control: changes committed apart from the checkpoint count events twice after crashes');

$node->stop;
done_testing();
