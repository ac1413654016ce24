// The orders sample against a real server, run by `make demo`: a few
// thousand commands through the command bus from several threads, with the
// repository's snapshots and conflict retries, and the bus's logging,
// metrics, tracing, idempotency, deadline and retry middleware, while a
// projection keeps the read models (order summary, orders per customer,
// revenue per day) live. Prints what happened, one order's stream, the read
// models, and then rebuilds them as version 2 (blue/green) with its progress.
//
//   EVENTSTORE_DSN="host=... dbname=..." orders_demo [--threads 8] [--orders-per-thread 60]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include <eventstore/eventstore.hpp>
#include <eventstore/projections.hpp>

#include "order_read_models.hpp"
#include "orders.hpp"
#include "orders_service.hpp"
#include "orders_workload.hpp"

namespace {

template <typename T>
T or_exit(eventstore::Result<T> result, const char* what) {
  if (!result) {
    std::cerr << what << ": " << result.error().describe() << '\n';
    std::exit(1);
  }
  return std::move(*result);
}

std::string milliseconds(std::chrono::microseconds duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f ms", static_cast<double>(duration.count()) / 1000.0);
  return text;
}

void print_stream(eventstore::EventStore& store, const std::string& stream_name) {
  auto stream = or_exit(eventstore::StreamName::from(stream_name), "stream name");
  std::cout << "One order's stream, " << stream_name << ":\n";
  for (auto& event : store.stream(stream)) {
    if (!event) {
      std::cerr << "reading " << stream_name << ": " << event.error().describe() << '\n';
      std::exit(1);
    }
    auto metadata = eventstore::EventMetadata::parse(event->metadata);
    std::cout << "  v" << event->version.value() << "  " << event->type << "  " << event->data << '\n'
              << "      command " << metadata.command_id << "  trace " << metadata.traceparent << '\n';
  }
}

void print_rows(eventstore::ReadModelSession& session, const std::string& title, const std::string& sql) {
  auto rows = or_exit(session.execute(sql), title.c_str());
  std::cout << title << '\n';
  for (const auto& row : rows.rows) {
    std::cout << "  ";
    for (const auto& value : row) std::printf("%-14s", value.value_or("-").c_str());
    std::cout << '\n';
  }
}

void print_read_models(eventstore::ReadModelSession& session) {
  print_rows(session, "Orders by status (orders.order_summary):",
             "SELECT status, count(*), sum(total_cents) FROM orders.order_summary GROUP BY 1 ORDER BY 1");
  print_rows(session, "Top customers (orders.orders_per_customer): customer, orders, paid, revenue in cents",
             "SELECT customer, orders, paid_orders, revenue_cents FROM orders.orders_per_customer "
             "ORDER BY revenue_cents DESC, customer LIMIT 5");
  print_rows(session, "Revenue per day (orders.revenue_per_day): day, currency, paid orders, cents",
             "SELECT day, currency, paid_orders, revenue_cents FROM orders.revenue_per_day ORDER BY 1, 2");
}

// Version 2 of the read models rebuilds from the start of the log while
// version 1 serves; then one transaction switches the views.
void rebuild_read_models(eventstore::Client& client, const char* dsn, eventstore::ReadModelSession& session) {
  std::cout << "\nRebuilding the read models as version 2 (orders_v2) while version 1 serves:\n";
  auto v2 = or_exit(eventstore::ProjectionRunner::start(client, dsn, orders::order_read_models(2)), "start v2");
  for (;;) {
    auto status = or_exit(v2->status(), "status");
    std::printf(
        "  handled %6lld  %8.0f events/s  behind %6lld  ETA %s\n", static_cast<long long>(status.events_handled),
        status.events_per_second, static_cast<long long>(status.events_behind),
        status.seconds_to_catch_up ? (std::to_string(*status.seconds_to_catch_up).substr(0, 4) + " s").c_str() : "-");
    if (status.events_behind == 0 && v2->wait_until_caught_up(std::chrono::milliseconds{200})) break;
    std::this_thread::sleep_for(std::chrono::milliseconds{150});
  }
  if (auto promoted = v2->promote(); !promoted) {
    std::cerr << "promote v2: " << promoted.error().describe() << '\n';
    std::exit(1);
  }
  print_rows(session, "Served version:", "SELECT version FROM orders.served_version");
  print_rows(session, "Shipped orders by carrier (a column only version 2 has):",
             "SELECT carrier, count(*) FROM orders.order_summary WHERE status = 'shipped' GROUP BY 1 ORDER BY 1");
}

int option(int argc, char** argv, std::string_view name, int fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (argv[i] == name) return std::atoi(argv[i + 1]);
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const char* dsn = std::getenv("EVENTSTORE_DSN");
  if (dsn == nullptr) {
    std::cerr << "set EVENTSTORE_DSN to a libpq connection string\n";
    return 2;
  }
  orders::WorkloadOptions workload{
      .threads = option(argc, argv, "--threads", 8),
      .orders_per_thread = option(argc, argv, "--orders-per-thread", 60),
      .run_id = eventstore::EventId::generate().to_string().substr(24),
  };
  // The first few rejections as the logging middleware reports them.
  std::mutex log_mutex;
  int logged = 0;
  auto log_rejections = [&](const eventstore::CommandLogEntry& entry) {
    if (entry.level == eventstore::LogLevel::info) return;
    std::lock_guard lock{log_mutex};
    if (logged++ < 4) std::cout << "  log: " << to_string(entry.level) << ' ' << entry.describe() << '\n';
  };
  auto service =
      or_exit(orders::OrdersService::connect(
                  dsn, {.connections = static_cast<std::size_t>(workload.threads) + 2, .logger = log_rejections}),
              "connect");
  eventstore::CommandBus& bus = service->bus();

  // The read models follow the log live from the start of the run.
  auto read_models = or_exit(eventstore::ProjectionRunner::start(service->client(), dsn, orders::order_read_models(1)),
                             "start projection");
  if (auto promoted = read_models->promote(); !promoted) {
    std::cerr << "promote: " << promoted.error().describe() << '\n';
    return 1;
  }

  std::cout << "Orders demo: " << workload.threads << " threads, " << workload.orders_per_thread << " orders each, "
            << workload.hot_orders << " hot orders shared by all (run " << workload.run_id << ")\n";
  auto result = orders::run_workload(bus, workload);
  auto seconds = std::chrono::duration<double>(result.elapsed).count();
  auto total = service->metrics().total();
  auto store = service->repository().statistics();

  std::cout << '\n';
  std::printf("Commands  %llu in %.2f s (%.0f per second)\n", static_cast<unsigned long long>(total.sent), seconds,
              static_cast<double>(total.sent) / seconds);
  std::printf(
      "  succeeded %llu (of which repeated by command id %llu), rejected by rules %llu, invalid %llu, "
      "failed %llu\n",
      static_cast<unsigned long long>(total.succeeded), static_cast<unsigned long long>(total.repeated),
      static_cast<unsigned long long>(total.rejected), static_cast<unsigned long long>(total.invalid),
      static_cast<unsigned long long>(total.failed));
  std::printf("Events    %llu appended; conflicts retried %llu (gave up %llu)\n",
              static_cast<unsigned long long>(store.events_appended), static_cast<unsigned long long>(store.conflicts),
              static_cast<unsigned long long>(store.conflict_retries_exhausted));
  std::printf("Loads     %llu, %llu from a snapshot; %llu events replayed; %llu snapshots saved\n",
              static_cast<unsigned long long>(store.loads), static_cast<unsigned long long>(store.loads_from_snapshot),
              static_cast<unsigned long long>(store.events_replayed),
              static_cast<unsigned long long>(store.snapshots_saved));
  std::cout << "Latency   p50 " << milliseconds(total.latency.percentile(0.50)) << ", p99 "
            << milliseconds(total.latency.percentile(0.99)) << ", max " << milliseconds(total.latency.max()) << '\n';
  std::cout << "\nBy command:\n";
  for (const auto& type : service->metrics().by_command_type())
    std::printf("  %-15s %5llu sent  %5llu ok  %4llu rejected  %3llu invalid  %4llu conflicts  p50 %s  p99 %s\n",
                type.command_type.c_str(), static_cast<unsigned long long>(type.sent),
                static_cast<unsigned long long>(type.succeeded), static_cast<unsigned long long>(type.rejected),
                static_cast<unsigned long long>(type.invalid), static_cast<unsigned long long>(type.conflicts_retried),
                milliseconds(type.latency.percentile(0.50)).c_str(),
                milliseconds(type.latency.percentile(0.99)).c_str());
  std::cout << "\nRejected by rules:\n";
  for (const auto& [reason, count] : result.rejections)
    std::printf("  %5llu  %s\n", static_cast<unsigned long long>(count), reason.c_str());
  for (const auto& failure : result.failures) std::cout << "  failed: " << failure << '\n';

  std::cout << '\n';
  print_stream(service->client(), "order-" + result.showcase_order_id);

  bool caught_up = read_models->wait_until_caught_up(std::chrono::seconds{60});
  auto status = or_exit(read_models->status(), "projection status");
  std::printf("\nRead models (projection orders v1): %lld events handled, caught up: %s\n",
              static_cast<long long>(status.events_handled), caught_up ? "yes" : "no");
  auto session = or_exit(eventstore::ReadModelSession::connect(dsn), "read model session");
  print_read_models(session);
  rebuild_read_models(service->client(), dsn, session);
  return result.failures.empty() && caught_up ? 0 : 1;
}
