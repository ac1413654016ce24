// What pipelined appends buy: N threads append single events through one
// Client, with ClientOptions::pipelined_appends off and on, back to back in
// each run (which goes first alternates). Both sides use the same pool, the
// same streams in the same order and the same events; every append must be
// acknowledged, and the events stored must be exactly the acknowledged ones.
// Median of the runs; events/s, p50/p99 latency per append, the on/off ratio
// per run and the mean batch size; a markdown table on stdout, one line per
// measurement on stderr.
//
//   EVENTSTORE_BASE_DSN="host=... port=... user=..." pipelined_appends [--runs 3] [--seconds 5]
//       [--warmup-seconds 2] [--threads 1,8,64] [--pool-size 10] [--pipeline-connections 10]
//       [--batch-size 64] [--one-way-delay-us 0] [--synchronous-commit on|off]
#include <libpq-fe.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <eventstore/eventstore.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_session.hpp"
#include "delay_relay.hpp"

namespace {

using namespace eventstore::bench;

using Clock = std::chrono::steady_clock;

constexpr const char* database = "eventstore_pipeline_bench";
constexpr int seeded_streams = 10'000;

struct Settings {
  int runs = 3;
  double seconds = 5;
  double warmup_seconds = 2;
  std::vector<int> thread_counts{1, 8, 64};
  std::size_t pool_size = 10;
  std::size_t pipeline_connections = 10;
  std::size_t batch_size = 64;
  long one_way_delay_us = 0;
  std::string synchronous_commit = "on";  // for the client's sessions only
};

struct Measurement {
  double events_per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double mean_batch = 0;  // appends per pipelined batch (0 when not pipelined)
};

std::string store_dsn() { return base_dsn() + " dbname=" + database; }

// Where the client connects: the server, or the delay relay in front of it.
std::string client_dsn(const Settings& settings, const DelayRelay* relay) {
  std::string dsn = store_dsn() +
                    " application_name=pipeline_bench options='-c synchronous_commit=" + settings.synchronous_commit +
                    "'";
  if (relay != nullptr) dsn += " host=127.0.0.1 port=" + std::to_string(relay->port());
  return dsn;
}

// A store that already holds data: 10,000 streams of 3 events.
void create_store() {
  recreate_database(database);
  auto session = connect(store_dsn());
  execute(session.get(), "CREATE EXTENSION pg_eventstore");
  execute(session.get(),
          "SELECT count(eventstore.append('bench-' || s, -1, ARRAY(SELECT eventstore.event('Seeded', "
          "jsonb_build_object('n', g)) FROM generate_series(1, 3) AS g))) FROM generate_series(0, " +
              std::to_string(seeded_streams - 1) + ") AS s");
  execute(session.get(), "VACUUM ANALYZE eventstore.events");
  execute(session.get(), "VACUUM ANALYZE eventstore.streams");
}

// ~300 bytes of data and ~100 bytes of metadata, as in the other append benchmarks.
eventstore::EventData make_event(int sequence) {
  return eventstore::EventData::create(
      "OrderPlaced",
      R"({"order_id": "ord-)" + std::to_string(sequence) +
          R"(", "customer": {"id": "cust-000451", "name": "Ada Lovelace"}, "lines": [{"sku": "SKU-10023", )"
          R"("qty": 2, "price": 12.50}, {"sku": "SKU-20417", "qty": 1, "price": 45.00}, {"sku": "SKU-33102", )"
          R"("qty": 3, "price": 7.25}], "currency": "EUR", "total": 91.75, "placed_at": "2024-05-17T10:21:33Z"})",
      R"({"correlation_id": "6f1c2e7a-3b4d-4c5e-9f60-718293a4b5c6", "causation_id": "9a8b7c6d", "user": "u-42"})");
}

std::vector<eventstore::StreamName> stream_names() {
  std::vector<eventstore::StreamName> names;
  names.reserve(seeded_streams);
  for (int i = 0; i < seeded_streams; ++i)
    names.push_back(eventstore::StreamName::from("bench-" + std::to_string(i)).value());
  return names;
}

double percentile(std::vector<double>& values, double fraction) {
  if (values.empty()) return 0;
  auto index = static_cast<std::size_t>(fraction * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index), values.end());
  return values[index];
}

long long stored_events(PGconn* admin) {
  return std::stoll(query_value(admin, "SELECT count(*) FROM eventstore.events"));
}

// `threads` threads appending one event per call to random streams for the
// given time (after a warm-up that is not counted). Starts from a checkpoint
// so that neither side pays for the other's dirty pages; fails the benchmark
// when an append fails or the store does not hold exactly the acknowledged events.
Measurement measure(const Settings& settings, const std::string& dsn, PGconn* admin,
                    const std::vector<eventstore::StreamName>& streams, int threads, bool pipelined) {
  execute(admin, "CHECKPOINT");
  long long stored_before = stored_events(admin);
  eventstore::ClientOptions options{.pool = {.min_size = settings.pool_size, .max_size = settings.pool_size},
                                    .pipelined_appends = pipelined,
                                    .pipeline_connections = settings.pipeline_connections,
                                    .pipeline_batch_size = settings.batch_size};
  auto connected = eventstore::Client::connect(dsn, options);
  if (!connected) fail("connect: " + connected.error().describe());
  std::optional<eventstore::Client> client{std::move(*connected)};

  std::atomic<bool> counting = false;
  std::atomic<bool> stop = false;
  std::atomic<long long> acknowledged = 0;  // warm-up included
  std::mutex failure_mutex;
  std::optional<std::string> first_failure;
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(threads));
  std::vector<std::thread> workers;
  for (int thread = 0; thread < threads; ++thread)
    workers.emplace_back([&, thread] {
      std::mt19937 random{static_cast<unsigned>(thread) * 7919u + 17u};
      std::uniform_int_distribution<std::size_t> pick{0, streams.size() - 1};
      auto& mine = latencies[static_cast<std::size_t>(thread)];
      mine.reserve(200'000);
      int sequence = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        eventstore::EventData event = make_event(++sequence);
        auto started = Clock::now();
        auto appended = client->append(streams[pick(random)], eventstore::ExpectedVersion::any(), event);
        auto took = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
        if (!appended) {
          std::lock_guard lock{failure_mutex};
          if (!first_failure) first_failure = appended.error().describe();
          stop = true;
          break;
        }
        acknowledged.fetch_add(1, std::memory_order_relaxed);
        if (counting.load(std::memory_order_relaxed)) mine.push_back(took);
      }
    });
  std::this_thread::sleep_for(std::chrono::duration<double>(settings.warmup_seconds));
  counting = true;
  auto started = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(settings.seconds));
  counting = false;
  double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
  stop = true;
  for (auto& worker : workers) worker.join();
  if (first_failure) fail("an append failed: " + *first_failure);
  eventstore::ConnectionStatistics statistics = client->connection_statistics();
  client.reset();  // closes the connections before the next side starts
  long long stored = stored_events(admin) - stored_before;
  if (stored != acknowledged.load())
    fail(std::to_string(acknowledged.load()) + " appends acknowledged but " + std::to_string(stored) +
         " events stored");

  Measurement measurement;
  std::vector<double> all;
  for (auto& mine : latencies) all.insert(all.end(), mine.begin(), mine.end());
  if (pipelined && statistics.pipelined_batches > 0)
    measurement.mean_batch =
        static_cast<double>(statistics.pipelined_appends) / static_cast<double>(statistics.pipelined_batches);
  measurement.events_per_second = static_cast<double>(all.size()) / elapsed;
  measurement.p50_ms = percentile(all, 0.50);
  measurement.p99_ms = percentile(all, 0.99);
  return measurement;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// The round trip the client sees: the median of 200 empty queries.
double median_round_trip_ms(const std::string& dsn) {
  auto session = connect(dsn);
  std::vector<double> round_trips;
  for (int i = 0; i < 200; ++i) {
    auto started = Clock::now();
    execute(session.get(), "SELECT 1");
    round_trips.push_back(std::chrono::duration<double, std::milli>(Clock::now() - started).count());
  }
  return median(round_trips);
}

// What a durable commit costs on this disk: the median of 100 one-row INSERT
// transactions on the server's own connection (synchronous_commit on). With
// fsync on, it bounds how fast one connection commits appends one after the other.
double median_commit_ms() {
  auto session = connect(store_dsn() + " options='-c synchronous_commit=on'");
  execute(session.get(), "CREATE TABLE IF NOT EXISTS commit_probe (n integer)");
  std::vector<double> commits;
  for (int i = 0; i < 100; ++i) {
    auto started = Clock::now();
    execute(session.get(), "INSERT INTO commit_probe VALUES (1)");
    commits.push_back(std::chrono::duration<double, std::milli>(Clock::now() - started).count());
  }
  execute(session.get(), "DROP TABLE commit_probe");
  return median(commits);
}

std::vector<int> parse_list(const std::string& text) {
  std::vector<int> values;
  std::stringstream stream{text};
  std::string item;
  while (std::getline(stream, item, ',')) values.push_back(std::stoi(item));
  return values;
}

Settings parse_arguments(int argc, char** argv) {
  Settings settings;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    std::string value = argv[i + 1];
    if (flag == "--runs")
      settings.runs = std::stoi(value);
    else if (flag == "--seconds")
      settings.seconds = std::stod(value);
    else if (flag == "--threads")
      settings.thread_counts = parse_list(value);
    else if (flag == "--pool-size")
      settings.pool_size = std::stoul(value);
    else if (flag == "--pipeline-connections")
      settings.pipeline_connections = std::stoul(value);
    else if (flag == "--batch-size")
      settings.batch_size = std::stoul(value);
    else if (flag == "--one-way-delay-us")
      settings.one_way_delay_us = std::stol(value);
    else if (flag == "--synchronous-commit" && (value == "on" || value == "off"))
      settings.synchronous_commit = value;
    else if (flag == "--warmup-seconds")
      settings.warmup_seconds = std::stod(value);
    else
      fail("unknown flag " + flag);
  }
  if (argc % 2 == 0) fail("every flag takes a value");
  return settings;
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings = parse_arguments(argc, argv);
  create_store();
  auto streams = stream_names();
  auto admin = connect(store_dsn());
  std::unique_ptr<DelayRelay> relay;
  if (settings.one_way_delay_us > 0)
    relay = std::make_unique<DelayRelay>(PQhost(admin.get()), PQport(admin.get()),
                                         std::chrono::microseconds{settings.one_way_delay_us});
  std::string dsn = client_dsn(settings, relay.get());
  double round_trip_ms = median_round_trip_ms(dsn);
  double commit_ms = median_commit_ms();
  std::string client_synchronous_commit = query_value(connect(dsn).get(), "SHOW synchronous_commit");

  struct Cell {
    std::vector<double> events_per_second, p50, p99, mean_batch;
  };
  // [thread count index][pipelined]
  std::vector<std::array<Cell, 2>> cells(settings.thread_counts.size());
  for (int run = 0; run < settings.runs; ++run)
    for (std::size_t t = 0; t < settings.thread_counts.size(); ++t)
      for (int order = 0; order < 2; ++order) {
        bool pipelined = (order + run) % 2 == 1;  // which side goes first alternates
        int threads = settings.thread_counts[t];
        Measurement measured = measure(settings, dsn, admin.get(), streams, threads, pipelined);
        std::fprintf(stderr,
                     "run %d, %d threads, pipelined %s: %.0f events/s, p50 %.3f ms, p99 %.3f ms, mean batch %.2f\n",
                     run + 1, threads, pipelined ? "on" : "off", measured.events_per_second, measured.p50_ms,
                     measured.p99_ms, measured.mean_batch);
        Cell& cell = cells[t][pipelined ? 1 : 0];
        cell.events_per_second.push_back(measured.events_per_second);
        cell.p50.push_back(measured.p50_ms);
        cell.p99.push_back(measured.p99_ms);
        cell.mean_batch.push_back(measured.mean_batch);
      }

  std::string path = relay ? "through a relay adding " + std::to_string(settings.one_way_delay_us) + " us each way"
                           : std::string{"direct (loopback)"};
  std::printf(
      "Pipelined appends through the client: median of %d runs of %.0f s per cell (after %.0f s of warm-up), "
      "off and on back to back in each run, alternating which goes first; single events of ~400 bytes to random "
      "existing streams (expected version any), every append acknowledged and stored once. Pool of %zu "
      "connections; pipelined: %zu sending connections, batches of at most %zu. Client to server: %s, round trip "
      "%.3f ms (median of 200 `SELECT 1`). PostgreSQL %s, fsync %s, synchronous_commit %s for the appends; a "
      "durable one-row commit takes %.3f ms (median of 100); %u cores.\n\n",
      settings.runs, settings.seconds, settings.warmup_seconds, settings.pool_size, settings.pipeline_connections,
      settings.batch_size, path.c_str(), round_trip_ms, query_value(admin.get(), "SHOW server_version").c_str(),
      query_value(admin.get(), "SHOW fsync").c_str(), client_synchronous_commit.c_str(), commit_ms,
      std::thread::hardware_concurrency());
  std::printf(
      "| threads | events/s off | events/s on | on/off (range) | p50 ms off | p50 ms on | p99 ms off | p99 ms on | "
      "appends per batch |\n");
  std::printf("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  for (std::size_t t = 0; t < settings.thread_counts.size(); ++t) {
    const Cell& off = cells[t][0];
    const Cell& on = cells[t][1];
    // Paired: the ratio of the two sides within each run, which moves less than either side on a busy machine.
    std::vector<double> ratios;
    for (std::size_t run = 0; run < off.events_per_second.size(); ++run)
      ratios.push_back(on.events_per_second[run] / off.events_per_second[run]);
    auto [lowest, highest] = std::minmax_element(ratios.begin(), ratios.end());
    std::printf("| %d | %.0f | %.0f | **%.2f** (%.2f-%.2f) | %.2f | %.2f | %.2f | %.2f | %.1f |\n",
                settings.thread_counts[t], median(off.events_per_second), median(on.events_per_second), median(ratios),
                *lowest, *highest, median(off.p50), median(on.p50), median(off.p99), median(on.p99),
                median(on.mean_batch));
  }
  return 0;
}
