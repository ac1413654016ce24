// Projection rebuild against its physical limit: a read model (balances per
// account: events counted, amounts summed) rebuilt by ProjectionRunner from
// the whole log, against a plain INSERT ... SELECT that computes the same
// table from the events in SQL, in the same run and database. Each
// repetition rebuilds a new version (a new schema from the start of the log,
// as a blue/green rebuild does) and runs the SQL into a new table. Prints a
// markdown table: medians, the ratio, and the read models compared.
//
//   projection_rebuild [--events N] [--accounts N] [--reps N] [--page-size N]
//   (EVENTSTORE_BASE_DSN names the server; the database eventstore_projection_bench is dropped and made)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "eventstore/eventstore.hpp"
#include "eventstore/projections.hpp"

namespace {

using namespace eventstore;
using Stopwatch = std::chrono::steady_clock;

template <class T>
T or_exit(Result<T> result, const char* what) {
  if (!result) {
    std::fprintf(stderr, "%s: %s\n", what, result.error().describe().c_str());
    std::exit(1);
  }
  return std::move(*result);
}

void must(Result<SqlRows> result, const char* what) { (void)or_exit(std::move(result), what); }

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

ProjectionDefinition balances(int version) {
  ProjectionDefinition definition;
  definition.name = "balances";
  definition.version = version;
  definition.source = SubscriptionSource::of_category("account");
  definition.tables = {"balances"};
  definition.create_sql =
      "CREATE TABLE {schema}.balances (stream_name text PRIMARY KEY, events bigint NOT NULL, total bigint NOT NULL)";
  definition.handle = [](const RecordedEvent& event, ProjectionContext& context) -> HandlerResult {
    auto written = context.sql().execute(
        "INSERT INTO " + context.table("balances") +
            " AS b VALUES ($1, 1, ($2::jsonb ->> 'amount')::bigint) ON CONFLICT (stream_name) DO UPDATE SET "
            "events = b.events + 1, total = b.total + excluded.total",
        {event.stream.value(), event.data});
    if (!written) return std::unexpected(written.error().describe());
    return {};
  };
  return definition;
}

int option(int argc, char** argv, const std::string& name, int fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (argv[i] == name) return std::atoi(argv[i + 1]);
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const char* base = std::getenv("EVENTSTORE_BASE_DSN");
  if (base == nullptr) {
    std::fprintf(stderr, "set EVENTSTORE_BASE_DSN (source build/cluster.env)\n");
    return 2;
  }
  const int events = option(argc, argv, "--events", 200'000);
  const int accounts = option(argc, argv, "--accounts", 1'000);
  const int reps = option(argc, argv, "--reps", 3);
  const int page_size = option(argc, argv, "--page-size", 1000);
  const std::string dsn = std::string{base} + " dbname=eventstore_projection_bench";
  {
    auto admin = or_exit(ReadModelSession::connect(std::string{base} + " dbname=postgres"), "connect");
    must(admin.execute("DROP DATABASE IF EXISTS eventstore_projection_bench WITH (FORCE)"), "drop");
    must(admin.execute("CREATE DATABASE eventstore_projection_bench"), "create");
  }
  auto session = or_exit(ReadModelSession::connect(dsn), "connect");
  must(session.execute("CREATE EXTENSION pg_eventstore"), "extension");
  // 1,000 events per append, spread over the accounts.
  for (int first = 0; first < events; first += 1000)
    must(session.execute(
             "SELECT eventstore.append_multi(ARRAY(SELECT eventstore.stream_append('account-' || a, -2, "
             "ARRAY(SELECT eventstore.event('Deposited', jsonb_build_object('amount', g)) "
             "FROM generate_series(1, $2::int) AS g)) FROM generate_series(1, $1::int) AS a))",
             {std::to_string(accounts), std::to_string(std::max(1, std::min(1000, events - first) / accounts))}),
         "load");
  auto stored = or_exit(session.execute("SELECT count(*) FROM eventstore.events"), "count");
  const double stored_events = std::stod(*stored.rows[0][0]);
  must(session.execute("VACUUM ANALYZE eventstore.events"), "vacuum");

  auto client = or_exit(Client::connect(dsn), "client");
  std::vector<double> projection_rates, sql_rates;
  bool equal = true;
  for (int rep = 1; rep <= reps; ++rep) {
    const std::string table = "balances_sql_" + std::to_string(rep);
    must(session.execute("CREATE TABLE " + table +
                         " (stream_name text PRIMARY KEY, events bigint NOT NULL, total bigint NOT NULL)"),
         "sql table");
    auto started = Stopwatch::now();
    must(session.execute("INSERT INTO " + table +
                         " SELECT s.stream_name, count(*), sum((e.data ->> 'amount')::bigint) FROM eventstore.events e "
                         "JOIN eventstore.streams s USING (stream_id) WHERE s.category = 'account' GROUP BY 1"),
         "insert select");
    sql_rates.push_back(stored_events / std::chrono::duration<double>(Stopwatch::now() - started).count());

    ProjectionOptions options;
    options.subscription.page_size = page_size;
    started = Stopwatch::now();
    auto runner = or_exit(ProjectionRunner::start(client, dsn, balances(rep), options), "projection");
    if (!runner->wait_until_caught_up(std::chrono::minutes{30})) {
      std::fprintf(stderr, "the projection did not catch up\n");
      return 1;
    }
    projection_rates.push_back(stored_events / std::chrono::duration<double>(Stopwatch::now() - started).count());
    runner->stop();
    auto differences =
        or_exit(session.execute("SELECT count(*) FROM ((SELECT * FROM " + table + " EXCEPT SELECT * FROM balances_v" +
                                std::to_string(rep) + ".balances) UNION ALL (SELECT * FROM balances_v" +
                                std::to_string(rep) + ".balances EXCEPT SELECT * FROM " + table + ")) AS d"),
                "compare");
    equal = equal && differences.rows[0][0] == "0";
    std::fprintf(stderr, "rep %d: projection %.0f events/s, INSERT ... SELECT %.0f events/s\n", rep,
                 projection_rates.back(), sql_rates.back());
  }
  double projection = median(projection_rates), sql = median(sql_rates);
  std::printf(
      "| events | accounts | page size | projection rebuild (events/s) | INSERT ... SELECT (events/s) | ratio | "
      "read models equal |\n| --- | --- | --- | --- | --- | --- | --- |\n");
  std::printf("| %.0f | %d | %d | %.0f | %.0f | %.3f | %s |\n", stored_events, accounts, page_size, projection, sql,
              projection / sql, equal ? "yes" : "NO");
  return equal ? 0 : 1;
}
