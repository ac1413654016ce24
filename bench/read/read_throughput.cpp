// Read throughput through the client against the limit, COPY ... TO STDOUT of
// the same rows, in one run: a stream of 100,000 events read with the lazy
// range, and a global log of 1,000,000 events read with read_all pages.
// Median of several runs; events/s and the ratio to COPY. Writes a markdown
// table to stdout and the raw runs as JSON to the file given by --json.
//
//   EVENTSTORE_BASE_DSN="host=... port=... user=..." read_throughput [--runs 3] [--json out.json]
#include <libpq-fe.h>
#include <eventstore/eventstore.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>
#include "bench_session.hpp"

namespace {

using namespace eventstore::bench;

using Clock = std::chrono::steady_clock;

constexpr const char* database = "eventstore_read_bench";
constexpr long long stream_events = 100'000;
constexpr long long log_events = 1'000'000;

// ~300 bytes of data and ~100 bytes of metadata per event, as in the append benchmark.
const char* const event_sql =
    "eventstore.event('OrderPlaced', jsonb_build_object('order_id', 'ord-' || g, 'customer', "
    "jsonb_build_object('id', 'cust-000451', 'name', 'Ada Lovelace'), 'lines', jsonb_build_array("
    "jsonb_build_object('sku', 'SKU-10023', 'qty', 2, 'price', 12.50), jsonb_build_object('sku', 'SKU-20417', "
    "'qty', 1, 'price', 45.00), jsonb_build_object('sku', 'SKU-33102', 'qty', 3, 'price', 7.25)), 'currency', "
    "'EUR', 'total', 91.75, 'placed_at', '2024-05-17T10:21:33Z'), jsonb_build_object('correlation_id', "
    "'6f1c2e7a-3b4d-4c5e-9f60-718293a4b5c6', 'causation_id', '9a8b7c6d', 'user', 'u-42'))";

// The store: one stream of 100,000 events, and enough other streams, appended
// in many transactions of 100 events, to make a log of 1,000,000 events.
void create_store(const std::string& dsn) {
  recreate_database(database);
  auto session = connect(dsn);
  execute(session.get(), "CREATE EXTENSION pg_eventstore");
  std::fprintf(stderr, "read_throughput: writing %lld events...\n", log_events);
  for (long long written = 0; written < stream_events; written += 1000)
    execute(session.get(), std::string("SELECT eventstore.append('big-1', -2, ARRAY(SELECT ") + event_sql +
                               " FROM generate_series(1, 1000) AS g))");
  for (long long batch = 0; batch < (log_events - stream_events) / 100'000; ++batch)
    execute(session.get(), "SELECT count(eventstore.append('spread-' || (s % 5000), -2, ARRAY(SELECT " +
                               std::string(event_sql) + " FROM generate_series(1, 100) AS g))) FROM generate_series(" +
                               std::to_string(batch * 1000) + ", " + std::to_string(batch * 1000 + 999) + ") AS s");
  execute(session.get(), "VACUUM ANALYZE eventstore.events");
  execute(session.get(), "VACUUM ANALYZE eventstore.streams");
}

// Rows and seconds of a COPY (query) TO STDOUT, every byte received.
double copy_rows_per_second(PGconn* connection, const std::string& query, long long expected_rows) {
  auto started = Clock::now();
  std::unique_ptr<PGresult, decltype(&PQclear)> start(PQexec(connection, ("COPY (" + query + ") TO STDOUT").c_str()),
                                                      &PQclear);
  if (PQresultStatus(start.get()) != PGRES_COPY_OUT) fail(std::string("COPY: ") + PQerrorMessage(connection));
  long long rows = 0;
  char* line = nullptr;
  int length;
  while ((length = PQgetCopyData(connection, &line, 0)) > 0) {
    ++rows;
    PQfreemem(line);
  }
  std::unique_ptr<PGresult, decltype(&PQclear)> end(PQgetResult(connection), &PQclear);
  if (PQresultStatus(end.get()) != PGRES_COMMAND_OK) fail(std::string("COPY: ") + PQerrorMessage(connection));
  double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (rows != expected_rows) fail("COPY returned " + std::to_string(rows) + " rows");
  return static_cast<double>(rows) / seconds;
}

const std::string recorded_columns =
    "s.stream_name, e.version, e.position, e.transaction_id, e.event_id, e.event_type, e.data, e.metadata, "
    "e.created_at FROM eventstore.events e JOIN eventstore.streams s USING (stream_id)";

double stream_through_client(eventstore::Client& client, std::int32_t page_size) {
  auto stream = eventstore::StreamName::from("big-1").value();
  auto started = Clock::now();
  long long count = 0;
  std::size_t bytes = 0;
  for (auto& event : client.stream(stream, {.page_size = page_size})) {
    if (!event) fail("stream: " + event.error().describe());
    if (event->version.value() != count) fail("stream: versions not contiguous");
    bytes += event->data.size();
    ++count;
  }
  double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (count != stream_events || bytes == 0) fail("stream: wrong count");
  return static_cast<double>(count) / seconds;
}

double log_through_client(eventstore::Client& client, std::int32_t page_size) {
  auto started = Clock::now();
  std::optional<eventstore::LogPosition> checkpoint;
  long long count = 0;
  for (;;) {
    auto page = client.read_all(checkpoint, page_size);
    if (!page) fail("read_all: " + page.error().describe());
    if (page->empty()) break;
    count += static_cast<long long>(page->size());
    checkpoint = page->back().log_position;
  }
  double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (count != log_events) fail("read_all returned " + std::to_string(count) + " events");
  return static_cast<double>(count) / seconds;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

struct Case {
  std::string name;
  std::function<double()> ours;
  std::function<double()> limit;
  std::vector<double> ours_runs{}, limit_runs{}, ratios{};
};

}  // namespace

int main(int argc, char** argv) {
  int runs = 3;
  std::string json_path;
  bool reuse = false;
  for (int i = 1; i < argc; ++i) {
    std::string argument = argv[i];
    if (argument == "--runs" && i + 1 < argc)
      runs = std::atoi(argv[++i]);
    else if (argument == "--json" && i + 1 < argc)
      json_path = argv[++i];
    else if (argument == "--reuse")
      reuse = true;  // keep a store written by an earlier run
    else
      fail("usage: read_throughput [--runs N] [--json file] [--reuse]");
  }
  std::string dsn = base_dsn() + " dbname=" + database;
  if (!reuse) create_store(dsn);
  auto copy_session = connect(dsn);
  auto client = eventstore::Client::connect(dsn);
  if (!client) fail("connect: " + client.error().describe());

  std::vector<Case> cases;
  cases.push_back({"read_stream, 100,000-event stream, lazy range, pages of 1,000",
                   [&] { return stream_through_client(*client, 1000); },
                   [&] {
                     return copy_rows_per_second(
                         copy_session.get(),
                         "SELECT " + recorded_columns + " WHERE s.stream_name = 'big-1' ORDER BY e.version",
                         stream_events);
                   }});
  for (std::int32_t page : {1000, 10000})
    cases.push_back({"read_all, 1,000,000-event log, pages of " + std::to_string(page),
                     [&, page] { return log_through_client(*client, page); },
                     [&] {
                       return copy_rows_per_second(
                           copy_session.get(), "SELECT " + recorded_columns + " ORDER BY e.transaction_id, e.position",
                           log_events);
                     }});

  for (auto& benchmark : cases) {
    benchmark.ours();  // warm the cache and the connection
    for (int run = 0; run < runs; ++run) {
      // Alternate which side goes first, so drift hits both.
      double ours, limit;
      if (run % 2 == 0) {
        ours = benchmark.ours();
        limit = benchmark.limit();
      } else {
        limit = benchmark.limit();
        ours = benchmark.ours();
      }
      benchmark.ours_runs.push_back(ours);
      benchmark.limit_runs.push_back(limit);
      benchmark.ratios.push_back(ours / limit);
    }
  }

  std::printf("| read | client events/s | COPY rows/s | ratio client / COPY (range) |\n| --- | ---: | ---: | --- |\n");
  for (const auto& benchmark : cases) {
    auto [low, high] = std::minmax_element(benchmark.ratios.begin(), benchmark.ratios.end());
    std::printf("| %s | %.0f | %.0f | **%.2f** (%.2f–%.2f) |\n", benchmark.name.c_str(), median(benchmark.ours_runs),
                median(benchmark.limit_runs), median(benchmark.ratios), *low, *high);
  }
  if (!json_path.empty()) {
    std::ofstream json(json_path);
    json << "{\"runs\": " << runs << ", \"cases\": [";
    for (std::size_t c = 0; c < cases.size(); ++c) {
      json << (c ? ", " : "") << "{\"name\": \"" << cases[c].name << "\", \"client_events_per_second\": [";
      for (std::size_t r = 0; r < cases[c].ours_runs.size(); ++r) json << (r ? ", " : "") << cases[c].ours_runs[r];
      json << "], \"copy_rows_per_second\": [";
      for (std::size_t r = 0; r < cases[c].limit_runs.size(); ++r) json << (r ? ", " : "") << cases[c].limit_runs[r];
      json << "]}";
    }
    json << "]}\n";
  }
  return 0;
}
