// Command processing through the framework against a real server: each
// command goes through the CommandBus (metrics, tracing, deadline and retry
// middleware) to a Repository<Order> update, which loads the order, decides
// and appends. Threads × snapshots on/off × aggregate cache off/on, a
// warm-up, then a fixed duration; median of several runs. Prints a markdown
// table (commands/s, p50, p99, conflicts, cache hits) and writes the raw runs
// as JSON to the file given by --json.
//
// The mix: every thread runs the lives of its own orders (place, 3 to 30 line
// changes, pay, ship or cancel), several at a time so that streams of
// different lengths are loaded; 2 % of the commands add lines to a few hot
// orders that all threads share, so that some commands conflict and are
// retried. Every command is valid for the order's state, so any failure is
// an error of the store or the framework and is reported.
//
//   EVENTSTORE_BASE_DSN="host=... port=... user=..." command_processing
//     [--threads 1,8,64] [--seconds 10] [--warmup 3] [--runs 3] [--snapshot-every 10] [--pool N]
//     [--preload-orders 20000] [--cache off,on] [--cache-capacity 10000] [--json out.json]
#include <libpq-fe.h>
#include <eventstore/eventstore.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "bench_session.hpp"
#include "orders.hpp"

namespace {

using namespace eventstore::bench;

using Clock = std::chrono::steady_clock;
constexpr const char* database = "eventstore_command_bench";

struct Settings {
  std::vector<int> threads{1, 8, 64};
  int seconds = 10;
  int warmup_seconds = 3;
  int runs = 3;
  std::int64_t snapshot_every = 10;
  // Finished orders (10 events each) in the store before the first run.
  int preload_orders = 20'000;
  // Connections of the Client; 0: one per thread, at most 16.
  int pool = 0;
  // The repository's aggregate cache: off, on, or both (compared within each run).
  std::vector<bool> cache_modes{false, true};
  std::size_t cache_capacity = 10'000;
  std::string json_path;
};

// A fresh database that already holds `orders` finished orders (10 events
// each), analysed: an empty table gives misleading plans.
void create_store(const std::string& dsn, int orders) {
  recreate_database(database);
  auto session = connect(dsn);
  execute(session.get(), "CREATE EXTENSION pg_eventstore");
  std::fprintf(stderr, "command_processing: writing %d orders...\n", orders);
  const std::string metadata =
      R"('{"command_id": "0190a0d0-0000-7000-8000-000000000000", "correlation_id": "0190a0d0-0000-7000-8000-000000000000", "causation_id": "0190a0d0-0000-7000-8000-000000000000", "schema_version": 3}')";
  execute(session.get(),
          "SELECT count(eventstore.append('order-old-' || o, -1, ARRAY["
          "eventstore.event('OrderPlaced', '{\"customer\": \"customer-1\", \"currency\": \"EUR\"}', " +
              metadata +
              ")] || "
              "ARRAY(SELECT eventstore.event('LineAdded', jsonb_build_object('sku', 'SKU-' || l, 'quantity', 2, "
              "'unit_price_cents', 1250), " +
              metadata +
              ") FROM generate_series(1, 7) AS l) || ARRAY["
              "eventstore.event('PaymentConfirmed', '{\"amount_cents\": 17500, \"payment_reference\": \"pay\"}', " +
              metadata +
              "), "
              "eventstore.event('OrderShipped', '{\"carrier\": \"DHL\"}', " +
              metadata +
              ")])) "
              "FROM generate_series(1, " +
              std::to_string(orders) + ") AS o");
  execute(session.get(), "VACUUM ANALYZE");
  execute(session.get(), "CHECKPOINT");
}

// One order as the thread that owns it knows it, to send only commands that
// its state allows.
struct OwnOrder {
  std::string id;
  bool placed = false;
  bool paid = false;
  int line_changes_left = 0;
  std::map<std::string, std::int64_t> line_totals;  // sku -> quantity * price
};

struct ThreadTally {
  eventstore::LatencyHistogram latency;
  std::uint64_t commands = 0;
  std::uint64_t conflicts = 0;
  std::uint64_t errors = 0;
  std::string first_error;
};

class OrderClerk {
 public:
  OrderClerk(const eventstore::CommandBus& bus, std::string prefix, const std::vector<std::string>& hot_orders,
             std::uint64_t seed)
      : bus_(&bus), prefix_(std::move(prefix)), hot_orders_(&hot_orders), random_(seed), open_(8) {}

  // Sends commands until `stop`; records those that start after `measure_from`.
  void run(Clock::time_point measure_from, const std::atomic<bool>& stop, ThreadTally& tally) {
    while (!stop.load(std::memory_order_relaxed)) {
      auto started = Clock::now();
      auto result = next_command();
      auto took = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
      if (started < measure_from) continue;
      ++tally.commands;
      tally.latency.record(took);
      if (result) {
        tally.conflicts += static_cast<std::uint64_t>(result->conflicts);
      } else if (tally.errors++ == 0) {
        tally.first_error = result.error().describe();
      }
    }
  }

 private:
  eventstore::CommandResult<eventstore::CommandOutcome> next_command() {
    if (!hot_orders_->empty() && next(100) < 2) {
      auto product = next(5);
      return bus_->send(orders::AddLine{(*hot_orders_)[next(hot_orders_->size())], "HOT-" + std::to_string(product), 1,
                                        100 + static_cast<std::int64_t>(product) * 100});
    }
    auto& slot = open_[next(open_.size())];
    if (!slot) {
      slot.emplace();
      slot->id = prefix_ + std::to_string(created_++);
      slot->line_changes_left = 3 + static_cast<int>(next(28));
    }
    OwnOrder& order = *slot;
    if (!order.placed) {
      order.placed = true;
      return bus_->send(orders::PlaceOrder{order.id, "customer-" + std::to_string(next(5000)), "EUR"});
    }
    if (order.line_changes_left > 0 || order.line_totals.empty()) {
      --order.line_changes_left;
      if (!order.line_totals.empty() && next(5) == 0) {
        auto line = std::next(order.line_totals.begin(), static_cast<std::ptrdiff_t>(next(order.line_totals.size())));
        std::string sku = line->first;
        order.line_totals.erase(line);
        return bus_->send(orders::RemoveLine{order.id, sku});
      }
      auto product = next(40);
      std::int64_t price = 199 + static_cast<std::int64_t>(product) * 25;  // one price per product
      std::int64_t quantity = 1 + static_cast<std::int64_t>(next(3));
      std::string sku = "SKU-" + std::to_string(100 + product);
      order.line_totals[sku] += quantity * price;
      return bus_->send(orders::AddLine{order.id, sku, quantity, price});
    }
    if (!order.paid) {
      order.paid = true;
      std::int64_t total = 0;
      for (const auto& [sku, amount] : order.line_totals) total += amount;
      return bus_->send(orders::ConfirmPayment{order.id, total, "pay-" + order.id});
    }
    std::string id = std::move(order.id);
    slot.reset();
    if (next(10) == 0) return bus_->send(orders::CancelOrder{id, "customer asked"});
    return bus_->send(orders::ShipOrder{id, "DHL"});
  }

  [[nodiscard]] std::uint64_t next(std::uint64_t bound) {
    return std::uniform_int_distribution<std::uint64_t>{0, bound - 1}(random_);
  }

  const eventstore::CommandBus* bus_;
  std::string prefix_;
  const std::vector<std::string>* hot_orders_;
  std::mt19937_64 random_;
  std::vector<std::optional<OwnOrder>> open_;
  std::uint64_t created_ = 0;
};

struct Measurement {
  int threads;
  bool snapshots;
  bool cache;
  int run;
  double commands_per_second;
  double p50_ms;
  double p99_ms;
  std::uint64_t commands;
  std::uint64_t conflicts;
  std::uint64_t errors;
  eventstore::RepositoryStatistics repository;
};

Measurement measure(const Settings& settings, const std::string& dsn, int threads, bool snapshots, bool cache,
                    int run) {
  const auto pool = static_cast<std::size_t>(settings.pool > 0 ? settings.pool : std::min(threads, 16));
  auto client = eventstore::Client::connect(dsn, {.pool = {.min_size = pool, .max_size = pool}});
  if (!client) fail("connect: " + client.error().describe());
  // Snapshots through the Client's own pool.
  eventstore::SnapshotStore& snapshot_store = *client;
  const auto registry = orders::order_event_types();
  const eventstore::RepositoryOptions options{
      .snapshots = eventstore::snapshot_every(settings.snapshot_every),
      .conflicts = {.max_attempts = 30, .max_pause = std::chrono::milliseconds{2}},
      .cache = {.capacity = cache ? settings.cache_capacity : 0}};
  auto repository =
      snapshots ? std::make_unique<eventstore::Repository<orders::Order>>(*client, snapshot_store, registry, options)
                : std::make_unique<eventstore::Repository<orders::Order>>(*client, registry, options);
  eventstore::CommandBus bus;
  eventstore::CommandMetrics metrics;
  bus.use(eventstore::metrics_middleware(metrics));
  bus.use(eventstore::tracing_middleware());
  bus.use(eventstore::deadline_middleware(std::chrono::seconds{5}));
  bus.use(eventstore::retry_middleware({.max_attempts = 3}));
  orders::handle_order_commands(bus, *repository);

  const std::string run_id = eventstore::EventId::generate().to_string().substr(24);
  std::vector<std::string> hot_orders;
  for (int hot = 0; hot < 8; ++hot) {
    hot_orders.push_back(run_id + "-hot-" + std::to_string(hot));
    if (auto placed = bus.send(orders::PlaceOrder{hot_orders.back(), "customer-hot", "EUR"}); !placed)
      fail("placing a hot order: " + placed.error().describe());
  }

  std::vector<ThreadTally> tallies(static_cast<std::size_t>(threads));
  std::atomic<bool> stop{false};
  const auto started = Clock::now();
  const auto measure_from = started + std::chrono::seconds{settings.warmup_seconds};
  {
    std::vector<std::jthread> workers;
    for (int thread = 0; thread < threads; ++thread)
      workers.emplace_back([&, thread] {
        OrderClerk clerk{bus, run_id + "-t" + std::to_string(thread) + "-", hot_orders,
                         static_cast<std::uint64_t>(run * 1000 + thread)};
        clerk.run(measure_from, stop, tallies[static_cast<std::size_t>(thread)]);
      });
    std::this_thread::sleep_until(measure_from + std::chrono::seconds{settings.seconds});
    stop = true;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - measure_from).count();
  eventstore::LatencyHistogram latency;
  Measurement result{threads, snapshots, cache, run, 0, 0, 0, 0, 0, 0, repository->statistics()};
  std::string first_error;
  for (const auto& tally : tallies) {
    latency.merge(tally.latency);
    result.commands += tally.commands;
    result.conflicts += tally.conflicts;
    result.errors += tally.errors;
    if (first_error.empty()) first_error = tally.first_error;
  }
  if (result.errors > 0)
    std::fprintf(stderr, "command_processing: %llu commands failed, the first: %s\n",
                 static_cast<unsigned long long>(result.errors), first_error.c_str());
  result.commands_per_second = static_cast<double>(result.commands) / seconds;
  result.p50_ms = static_cast<double>(latency.percentile(0.50).count()) / 1000.0;
  result.p99_ms = static_cast<double>(latency.percentile(0.99).count()) / 1000.0;
  std::fprintf(stderr,
               "  run %d, %2d threads, snapshots %-3s, cache %-3s: %8.0f commands/s  p50 %6.2f ms  p99 %6.2f ms  "
               "%llu conflicts  %llu cache hits\n",
               run + 1, threads, snapshots ? "on" : "off", cache ? "on" : "off", result.commands_per_second,
               result.p50_ms, result.p99_ms, static_cast<unsigned long long>(result.conflicts),
               static_cast<unsigned long long>(result.repository.cache_hits));
  return result;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

Settings parse(int argc, char** argv) {
  Settings settings;
  for (int i = 1; i < argc; ++i) {
    std::string_view argument = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) fail(std::string{argument} + " needs a value");
      return argv[++i];
    };
    if (argument == "--threads") {
      settings.threads.clear();
      std::stringstream list{value()};
      for (std::string item; std::getline(list, item, ',');) settings.threads.push_back(std::stoi(item));
    } else if (argument == "--seconds") {
      settings.seconds = std::stoi(value());
    } else if (argument == "--warmup") {
      settings.warmup_seconds = std::stoi(value());
    } else if (argument == "--runs") {
      settings.runs = std::stoi(value());
    } else if (argument == "--snapshot-every") {
      settings.snapshot_every = std::stoll(value());
    } else if (argument == "--preload-orders") {
      settings.preload_orders = std::stoi(value());
    } else if (argument == "--pool") {
      settings.pool = std::stoi(value());
    } else if (argument == "--cache") {
      settings.cache_modes.clear();
      std::stringstream list{value()};
      for (std::string item; std::getline(list, item, ',');) {
        if (item != "on" && item != "off") fail("--cache takes off, on or off,on");
        settings.cache_modes.push_back(item == "on");
      }
    } else if (argument == "--cache-capacity") {
      settings.cache_capacity = static_cast<std::size_t>(std::stoull(value()));
    } else if (argument == "--json") {
      settings.json_path = value();
    } else {
      fail(
          "usage: command_processing [--threads 1,8,64] [--seconds 10] [--warmup 3] [--runs 3] "
          "[--snapshot-every 10] [--pool N] [--preload-orders 20000] [--cache off,on] [--cache-capacity N] "
          "[--json out.json]");
    }
  }
  if (settings.runs < 1 || settings.seconds < 1 || settings.threads.empty() || settings.cache_modes.empty() ||
      settings.cache_capacity < 1)
    fail("runs, seconds, threads, cache modes and the cache capacity must be positive");
  return settings;
}

}  // namespace

int main(int argc, char** argv) {
  const Settings settings = parse(argc, argv);
  const std::string dsn = base_dsn() + " dbname=" + database;
  create_store(dsn, settings.preload_orders);

  // Runs rotate through every cell, each run in another order, so that the
  // sides of a comparison see the same machine.
  std::vector<std::pair<bool, bool>> cells;  // snapshots, cache
  for (bool snapshots : {false, true})
    for (bool cache : settings.cache_modes) cells.emplace_back(snapshots, cache);
  std::vector<Measurement> measurements;
  for (int run = 0; run < settings.runs; ++run)
    for (int threads : settings.threads) {
      std::rotate(cells.begin(), cells.begin() + run % static_cast<int>(cells.size()), cells.end());
      for (auto [snapshots, cache] : cells)
        measurements.push_back(measure(settings, dsn, threads, snapshots, cache, run));
      std::rotate(cells.begin(), cells.end() - run % static_cast<int>(cells.size()), cells.end());
    }

  std::printf(
      "| threads | snapshots | cache | commands/s | p50 ms | p99 ms | conflicts retried | cache hits %% | failed | "
      "commands/s vs. first row |\n");
  std::printf("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  bool any_failed = false;
  for (int threads : settings.threads) {
    double baseline = 0;
    for (auto [snapshots, cache] : cells) {
      std::vector<double> rates, p50s, p99s, conflicts, hit_shares;
      std::uint64_t failed = 0;
      for (const auto& m : measurements)
        if (m.threads == threads && m.snapshots == snapshots && m.cache == cache) {
          rates.push_back(m.commands_per_second);
          p50s.push_back(m.p50_ms);
          p99s.push_back(m.p99_ms);
          conflicts.push_back(static_cast<double>(m.conflicts));
          hit_shares.push_back(m.repository.loads > 0 ? 100.0 * static_cast<double>(m.repository.cache_hits) /
                                                            static_cast<double>(m.repository.loads)
                                                      : 0.0);
          failed += m.errors;
        }
      any_failed = any_failed || failed > 0;
      if (baseline == 0) baseline = median(rates);
      std::printf("| %d | %s | %s | %.0f | %.2f | %.2f | %.0f | %.0f | %llu | %.2f |\n", threads,
                  snapshots ? "on" : "off", cache ? "on" : "off", median(rates), median(p50s), median(p99s),
                  median(conflicts), median(hit_shares), static_cast<unsigned long long>(failed),
                  median(rates) / baseline);
    }
  }
  std::printf(
      "\nMedians of %d runs of %d s after a %d s warm-up; snapshot every %lld events; pool %s; cache capacity %zu.\n",
      settings.runs, settings.seconds, settings.warmup_seconds, static_cast<long long>(settings.snapshot_every),
      settings.pool > 0 ? std::to_string(settings.pool).c_str() : "min(threads, 16)", settings.cache_capacity);

  if (!settings.json_path.empty()) {
    std::ofstream json{settings.json_path};
    json << "[\n";
    for (std::size_t i = 0; i < measurements.size(); ++i) {
      const auto& m = measurements[i];
      json << "  {\"threads\": " << m.threads << ", \"snapshots\": " << (m.snapshots ? "true" : "false")
           << ", \"cache\": " << (m.cache ? "true" : "false") << ", \"run\": " << m.run + 1
           << ", \"commands_per_second\": " << m.commands_per_second << ", \"p50_ms\": " << m.p50_ms
           << ", \"p99_ms\": " << m.p99_ms << ", \"commands\": " << m.commands << ", \"conflicts\": " << m.conflicts
           << ", \"failed\": " << m.errors << ", \"loads\": " << m.repository.loads
           << ", \"loads_from_snapshot\": " << m.repository.loads_from_snapshot
           << ", \"events_replayed\": " << m.repository.events_replayed
           << ", \"events_appended\": " << m.repository.events_appended
           << ", \"snapshots_saved\": " << m.repository.snapshots_saved
           << ", \"cache_hits\": " << m.repository.cache_hits << ", \"cache_misses\": " << m.repository.cache_misses
           << ", \"cache_evictions\": " << m.repository.cache_evictions
           << ", \"cache_invalidations\": " << m.repository.cache_invalidations << "}"
           << (i + 1 < measurements.size() ? ",\n" : "\n");
    }
    json << "]\n";
  }
  return any_failed ? 1 : 0;
}
