// A projection for the crash test (tests/tap/t/007_projection_exactly_once.pl):
// "balances" per stream (events counted, amounts summed), built by
// ProjectionRunner with a pause between writing each batch and its commit,
// so that a server killed at a random moment is most likely killed there.
//
//   projection_worker DSN [--separate-commits] [--pause-ms N]
//
// Runs until it has caught up with the log, then exits 0 (1 on an error).
// --separate-commits is the negative control: the handler commits each
// event's change on its own, before the checkpoint, as a projection that
// does not share the subscription's transaction would; after crashes its
// balances count some events twice.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "eventstore/eventstore.hpp"
#include "eventstore/projections.hpp"

int main(int argc, char** argv) {
  using namespace eventstore;
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DSN [--separate-commits] [--pause-ms N]\n", argv[0]);
    return 2;
  }
  std::string dsn = argv[1];
  bool separate_commits = false;
  int pause_ms = 100;
  for (int i = 2; i < argc; ++i) {
    std::string argument = argv[i];
    if (argument == "--separate-commits")
      separate_commits = true;
    else if (argument == "--pause-ms" && i + 1 < argc)
      pause_ms = std::atoi(argv[++i]);
  }
  auto client = Client::connect(dsn);
  if (!client) {
    std::fprintf(stderr, "connect: %s\n", client.error().describe().c_str());
    return 1;
  }
  ProjectionDefinition balances;
  balances.name = "balances";
  balances.version = 1;
  balances.source = SubscriptionSource::of_category("account");
  balances.tables = {"balances"};
  balances.create_sql =
      "CREATE TABLE {schema}.balances (stream_name text PRIMARY KEY, events bigint NOT NULL, total bigint NOT NULL)";
  balances.handle = [separate_commits](const RecordedEvent& event, ProjectionContext& context) -> HandlerResult {
    auto written = context.sql().execute(
        "INSERT INTO " + context.table("balances") +
            " AS b VALUES ($1, 1, ($2::jsonb ->> 'amount')::bigint) "
            "ON CONFLICT (stream_name) DO UPDATE SET events = b.events + 1, total = b.total + excluded.total",
        {event.stream.value(), event.data});
    if (!written) return std::unexpected(written.error().describe());
    if (separate_commits) {
      // The control: the change is made durable on its own.
      if (auto released =
              context.sql().execute("RELEASE SAVEPOINT projection_event; COMMIT; BEGIN; SAVEPOINT projection_event");
          !released)
        return std::unexpected(released.error().describe());
    }
    return {};
  };
  ProjectionOptions options;
  options.subscription.page_size = 50;
  options.subscription.lease = std::chrono::milliseconds{2000};
  options.subscription.join_interval = std::chrono::milliseconds{200};
  options.before_commit = [pause_ms] { std::this_thread::sleep_for(std::chrono::milliseconds{pause_ms}); };
  auto runner = ProjectionRunner::start(*client, dsn, balances, options);
  if (!runner) {
    std::fprintf(stderr, "start: %s\n", runner.error().describe().c_str());
    return 1;
  }
  bool caught_up = (*runner)->wait_until_caught_up(std::chrono::minutes{5});
  auto status = (*runner)->status();
  (*runner)->stop();
  std::printf("caught_up=%s handled=%lld\n", caught_up ? "yes" : "no",
              status ? static_cast<long long>(status->events_handled) : -1LL);
  return caught_up ? 0 : 1;
}
