// Subscription benchmarks, each against its limit in the same run:
//   catchup   one subscription over the whole log into a no-op handler,
//             against COPY (SELECT the columns the client reads, of the same
//             rows, in log order) TO STDOUT read through libpq; alternating,
//             medians of --reps, for each page size
//   latency   append -> handler called, at --rate appends/s for --seconds,
//             with the wake-up and without it (eventstore.log_wakeups = off
//             in the appending session: the subscription polls)
//   memory    resident memory with a slow handler (200 us per event) for
//             --slow-seconds: the default queue bounds against very large
//             ones (the control, which must grow)
//
//   subscription_benchmark [--events N] [--reps N] [--page-sizes 500,2000,5000]
//       [--rate N] [--seconds N] [--slow-seconds N] [--phases catchup,latency,memory]
//       [--reuse]
// EVENTSTORE_BASE_DSN names the server; the database
// eventstore_subscription_bench is dropped and made, and loaded with --events
// events (--reuse keeps it when it already holds them). Markdown on stdout,
// progress on stderr.
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_session.hpp"
#include "eventstore/eventstore.hpp"

namespace {

using namespace eventstore;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using bench::fail;

const char* const database = "eventstore_subscription_bench";

template <class T>
T or_fail(Result<T> result, const std::string& what) {
  if (!result) fail(what + ": " + result.error().describe());
  return std::move(*result);
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t middle = values.size() / 2;
  return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

// Nearest rank.
double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  auto rank = static_cast<std::size_t>(p * static_cast<double>(sorted.size()) + 0.999999);
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

double resident_mib() {
  std::ifstream statm("/proc/self/statm");
  long size = 0;
  long resident = 0;
  statm >> size >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

std::string text_option(int argc, char** argv, const std::string& name, const std::string& fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (argv[i] == name) return argv[i + 1];
  return fallback;
}

int int_option(int argc, char** argv, const std::string& name, int fallback) {
  return std::stoi(text_option(argc, argv, name, std::to_string(fallback)));
}

bool flag(int argc, char** argv, const std::string& name) {
  for (int i = 1; i < argc; ++i)
    if (argv[i] == name) return true;
  return false;
}

std::vector<int> int_list(const std::string& text) {
  std::vector<int> values;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    values.push_back(std::stoi(text.substr(start, end - start)));
    start = end + 1;
  }
  return values;
}

// --events events in calls of eventstore.append of 1,000 events each (built
// by generate_series), round robin over 200 streams; ~300 B of data and
// ~100 B of metadata per event, as in the append benchmark.
void load(PGconn* session, int events) {
  bench::execute(session, "CREATE EXTENSION pg_eventstore");
  auto started = Clock::now();
  for (int call = 0; call < events / 1000; ++call)
    bench::execute(
        session, "SELECT eventstore.append('account-" + std::to_string(call % 200) +
                     "', -2, ARRAY(SELECT eventstore.event('OrderPlaced', jsonb_build_object('order_id', 'ord-' || n, "
                     "'customer', jsonb_build_object('id', 'cust-' || (n % 997), 'name', 'Ada Lovelace'), 'lines', "
                     "jsonb_build_array(jsonb_build_object('sku', 'SKU-10023', 'qty', 2, 'price', 12.50), "
                     "jsonb_build_object('sku', 'SKU-20417', 'qty', 1, 'price', 45.00), jsonb_build_object('sku', "
                     "'SKU-33102', 'qty', 3, 'price', 7.25)), 'currency', 'EUR', 'total', 91.75, 'placed_at', "
                     "'2024-05-17T10:21:33Z'), jsonb_build_object('correlation_id', md5(n::text), 'causation_id', "
                     "left(md5((n + 1)::text), 8), 'user', 'u-42')) FROM generate_series(" +
                     std::to_string(call * 1000 + 1) + ", " + std::to_string(call * 1000 + 1000) + ") AS n))");
  bench::execute(session, "VACUUM (ANALYZE)");
  bench::execute(session, "CHECKPOINT");
  std::fprintf(stderr, "loaded %d events in %.0f s\n", events,
               std::chrono::duration<double>(Clock::now() - started).count());
}

// Rows per second of COPY TO STDOUT of the columns the client reads, of the
// whole log in read_all's order, every byte received.
double copy_rate(const std::string& dsn, int events) {
  auto connection = bench::connect(dsn);
  auto started = Clock::now();
  PGresult* start = PQexec(connection.get(),
                           "COPY (SELECT s.stream_name, e.version, e.position, e.transaction_id, e.event_id, "
                           "e.event_type, e.data, e.metadata, e.created_at FROM eventstore.events e "
                           "JOIN eventstore.streams s USING (stream_id) ORDER BY e.transaction_id, e.position) "
                           "TO STDOUT");
  if (PQresultStatus(start) != PGRES_COPY_OUT) fail(std::string("COPY: ") + PQerrorMessage(connection.get()));
  PQclear(start);
  long rows = 0;
  char* line = nullptr;
  while (PQgetCopyData(connection.get(), &line, 0) > 0) {
    ++rows;
    PQfreemem(line);
  }
  PGresult* end = PQgetResult(connection.get());
  if (PQresultStatus(end) != PGRES_COMMAND_OK) fail(std::string("COPY: ") + PQerrorMessage(connection.get()));
  PQclear(end);
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (rows != events) fail("COPY gave " + std::to_string(rows) + " rows");
  return static_cast<double>(rows) / seconds;
}

struct CatchUp {
  double events_per_second;
  std::int64_t pages;
};

// From start() (the first join included) until the handler has had every event.
CatchUp catch_up(Client& client, const std::string& name, int page_size, int events) {
  std::atomic<long> handled{0};
  SubscriptionOptions options;
  options.name = name;
  options.page_size = page_size;
  auto started = Clock::now();
  auto subscription = or_fail(Subscription::start(client, client, options,
                                                  [&](const RecordedEvent&) -> HandlerResult {
                                                    handled.fetch_add(1, std::memory_order_relaxed);
                                                    return {};
                                                  }),
                              "catch-up subscription");
  while (handled.load(std::memory_order_relaxed) < events) std::this_thread::sleep_for(200us);
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  const auto statistics = subscription->statistics();
  subscription->stop();
  return {events / seconds, statistics.pages_read};
}

void run_catch_up(Client& client, const std::string& dsn, int events, int reps, const std::vector<int>& page_sizes) {
  std::printf("## Catch-up: one subscription over %d events into a no-op handler, against COPY TO STDOUT\n\n", events);
  std::printf(
      "Subscription: from `Subscription::start` until the handler has had the last event (default options but "
      "`page_size`; one partition). COPY: `COPY (SELECT <the columns read_all returns> FROM events JOIN streams "
      "ORDER BY transaction_id, position) TO STDOUT` read with `PQgetCopyData` on a connection of the same "
      "process. Alternating (the order rotating), %d repetitions; ratio = median of the paired ratios.\n\n",
      reps);
  std::printf(
      "| page size | subscription events/s | COPY rows/s | ratio subscription / COPY (range) | pages read |\n"
      "| ---: | ---: | ---: | --- | ---: |\n");
  for (int page_size : page_sizes) {
    std::vector<double> ours;
    std::vector<double> copy;
    std::vector<double> ratios;
    std::int64_t pages = 0;
    for (int rep = 1; rep <= reps; ++rep) {
      const std::string name = "catch-up-" + std::to_string(page_size) + "-" + std::to_string(rep);
      if (rep % 2 == 1) {
        copy.push_back(copy_rate(dsn, events));
        auto result = catch_up(client, name, page_size, events);
        ours.push_back(result.events_per_second);
        pages = result.pages;
      } else {
        auto result = catch_up(client, name, page_size, events);
        ours.push_back(result.events_per_second);
        pages = result.pages;
        copy.push_back(copy_rate(dsn, events));
      }
      ratios.push_back(ours.back() / copy.back());
      std::fprintf(stderr, "page %d rep %d: subscription %.0f/s, COPY %.0f/s, ratio %.2f\n", page_size, rep,
                   ours.back(), copy.back(), ratios.back());
    }
    auto [low, high] = std::minmax_element(ratios.begin(), ratios.end());
    std::printf("| %d | %.0f | %.0f | **%.2f** (%.2f–%.2f) | %lld |\n", page_size, median(ours), median(copy),
                median(ratios), *low, *high, static_cast<long long>(pages));
    std::fflush(stdout);
  }
}

// One latency run: a subscription at the head of the log, the appender at a
// fixed rate through `appender` (a Client of its own). Each event's data
// carries its sequence number; the appender notes the time just before the
// append call and just after it returned, the handler the time it was called.
void run_latency(Client& client, Client& appender, const std::string& label, const std::string& name, int rate,
                 int seconds) {
  const int count = rate * seconds;
  std::vector<std::int64_t> before(static_cast<std::size_t>(count));
  std::vector<std::int64_t> after(static_cast<std::size_t>(count));
  std::vector<std::int64_t> handled(static_cast<std::size_t>(count), 0);
  SubscriptionOptions options;  // the defaults: page_size 500, wait_timeout 1 s
  options.name = name;
  auto subscription = or_fail(Subscription::start(client, client, options,
                                                  [&](const RecordedEvent& event) -> HandlerResult {
                                                    const auto now = Clock::now().time_since_epoch().count();
                                                    if (event.type != "Timed") return {};
                                                    const auto colon = event.data.find(':');
                                                    const long i = std::stol(event.data.substr(colon + 1));
                                                    if (i >= 0 && i < count) handled[static_cast<std::size_t>(i)] = now;
                                                    return {};
                                                  }),
                              "latency subscription");
  if (!subscription->wait_until_caught_up(10min)) fail("the latency subscription did not catch up");
  const auto at_head = subscription->statistics();
  const auto stream = or_fail(StreamName::from("timed-" + name), "stream name");
  const auto started = Clock::now();
  auto next = started;
  for (int i = 0; i < count; ++i) {
    next += std::chrono::nanoseconds{1'000'000'000 / rate};
    std::this_thread::sleep_until(next);
    before[static_cast<std::size_t>(i)] = Clock::now().time_since_epoch().count();
    (void)or_fail(appender.append(stream, ExpectedVersion::any(),
                                  EventData::create("Timed", "{\"i\": " + std::to_string(i) + "}")),
                  "append");
    after[static_cast<std::size_t>(i)] = Clock::now().time_since_epoch().count();
  }
  const double achieved = count / std::chrono::duration<double>(Clock::now() - started).count();
  std::this_thread::sleep_for(2s);
  const auto statistics = subscription->statistics();
  subscription->stop();  // joins the handler: its writes to `handled` are visible

  std::vector<double> from_call;
  std::vector<double> from_return;
  std::vector<double> append_ms;
  long missing = 0;
  for (std::size_t i = 0; i < handled.size(); ++i) {
    append_ms.push_back(static_cast<double>(after[i] - before[i]) / 1e6);
    if (handled[i] == 0) {
      ++missing;
      continue;
    }
    from_call.push_back(static_cast<double>(handled[i] - before[i]) / 1e6);
    from_return.push_back(static_cast<double>(handled[i] - after[i]) / 1e6);
  }
  std::sort(from_call.begin(), from_call.end());
  std::sort(from_return.begin(), from_return.end());
  std::sort(append_ms.begin(), append_ms.end());
  std::printf("| %s | %.0f | %zu | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %lld | %lld |\n", label.c_str(), achieved,
              from_call.size(), percentile(from_call, 0.5), percentile(from_call, 0.99), percentile(from_call, 1.0),
              percentile(from_return, 0.5), percentile(from_return, 0.99), percentile(append_ms, 0.5),
              static_cast<long long>(statistics.wake_ups - at_head.wake_ups),
              static_cast<long long>(statistics.pages_read - at_head.pages_read));
  std::fflush(stdout);
  if (missing > 0)
    std::fprintf(stderr, "%s: %ld events not handled within 2 s of the last append\n", label.c_str(), missing);
}

void run_latencies(Client& client, const std::string& dsn, int rate, int seconds) {
  std::printf("\n## Live latency: append -> handler called, %d appends/s for %d s\n\n", rate, seconds);
  std::printf(
      "One subscription at the head of the log (default options: `page_size` 500, `wait_timeout` 1 s); one thread "
      "appends one event at a time at the fixed rate through a Client of its own. *From the call*: from just "
      "before `append` was called (so its round trip and commit are included) to the handler's call; *from the "
      "return*: from just after `append` returned (the commit was acknowledged; the handler may run before the "
      "reply arrives, so this can be below 0). Wake-ups: waits at the head of the log that ended because the log "
      "moved (`statistics().wake_ups`); pages: reads of the log during the run.\n\n");
  std::printf(
      "| wake-up | appends/s | events | p50 ms (from the call) | p99 ms | max ms | p50 ms (from the return) | p99 "
      "ms | append p50 ms | wake-ups | pages |\n"
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  {
    auto appender = or_fail(Client::connect(dsn), "appender");
    run_latency(client, appender, "on", "latency-wakeups", rate, seconds);
  }
  {
    auto appender = or_fail(Client::connect(dsn + " options='-c eventstore.log_wakeups=off'"), "appender");
    run_latency(client, appender, "off in the appending session (the subscription polls)", "latency-polling", rate,
                seconds);
  }
}

void run_memory(Client& client, int seconds) {
  std::printf("\n## Resident memory: catch-up with a handler that takes 200 us per event, %d s\n\n", seconds);
  std::printf(
      "The process's resident set (`/proc/self/statm`) sampled every second while one subscription catches up over "
      "the log (default `page_size` 500) with a handler that sleeps 200 us per event; `malloc_trim(0)` before "
      "each. The default bounds (2,000 events, 16 MiB) against `queue_capacity` 10,000,000 and "
      "`queue_capacity_bytes` 10 GiB (the control: the reader runs ahead and the queue must grow).\n\n");
  std::printf(
      "| queue | start MiB | max MiB | end MiB | events handled | queued at most (events, MiB) | every second (MiB) "
      "|\n| --- | ---: | ---: | ---: | ---: | --- | --- |\n");
  for (bool bounded : {true, false}) {
    SubscriptionOptions options;
    options.name = bounded ? "slow-bounded" : "slow-unbounded";
    if (!bounded) {
      options.queue_capacity = 10'000'000;
      options.queue_capacity_bytes = std::size_t{10} << 30;
    }
    malloc_trim(0);
    const double start = resident_mib();
    double highest = start;
    std::string series;
    auto subscription = or_fail(Subscription::start(client, client, options,
                                                    [](const RecordedEvent&) -> HandlerResult {
                                                      std::this_thread::sleep_for(200us);
                                                      return {};
                                                    }),
                                "slow subscription");
    for (int second = 1; second <= seconds; ++second) {
      std::this_thread::sleep_for(1s);
      const double now = resident_mib();
      highest = std::max(highest, now);
      series += (series.empty() ? "" : " ") + std::to_string(static_cast<long>(now + 0.5));
    }
    const double end = resident_mib();
    const auto statistics = subscription->statistics();
    subscription->stop();
    std::printf("| %s | %.0f | %.0f | %.0f | %lld | %zu, %.0f | %s |\n",
                bounded ? "default bounds (2,000 events, 16 MiB)" : "10,000,000 events, 10 GiB (control)", start,
                highest, end, static_cast<long long>(statistics.events_handled), statistics.max_queued_events,
                static_cast<double>(statistics.max_queued_bytes) / (1024.0 * 1024.0), series.c_str());
    std::fflush(stdout);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int events = int_option(argc, argv, "--events", 1'000'000);
  const int reps = int_option(argc, argv, "--reps", 3);
  const auto page_sizes = int_list(text_option(argc, argv, "--page-sizes", "500,2000,5000"));
  const int rate = int_option(argc, argv, "--rate", 1000);
  const int seconds = int_option(argc, argv, "--seconds", 20);
  const int slow_seconds = int_option(argc, argv, "--slow-seconds", 20);
  const std::string phases = text_option(argc, argv, "--phases", "catchup,latency,memory");
  if (events < 1000 || events % 1000 != 0) fail("--events must be a multiple of 1000");
  if (reps < 1 || rate < 1 || seconds < 1 || slow_seconds < 1 || page_sizes.empty()) fail("bad option");

  const std::string base = bench::base_dsn();
  const std::string dsn = base + " dbname=" + database;
  // --reuse: a log loaded by an earlier run (the latency runs' events after
  // it) is read as it is.
  int log_events = events;
  bool loaded = false;
  if (flag(argc, argv, "--reuse")) {
    auto admin = bench::connect(base + " dbname=postgres");
    if (bench::query_value(admin.get(),
                           std::string{"SELECT count(*) FROM pg_database WHERE datname = '"} + database + "'") == "1") {
      auto session = bench::connect(dsn);
      loaded = bench::query_value(session.get(),
                                  "SELECT count(*) FROM eventstore.events WHERE event_type = 'OrderPlaced'") ==
               std::to_string(events);
      if (loaded) {
        log_events = std::stoi(bench::query_value(session.get(), "SELECT count(*) FROM eventstore.events"));
        bench::execute(session.get(),
                       "SELECT eventstore.drop_subscription(subscription_name) FROM eventstore.subscriptions");
      }
    }
  }
  if (!loaded) {
    bench::recreate_database(database);
    auto session = bench::connect(dsn);
    load(session.get(), events);
  }
  auto client = or_fail(Client::connect(dsn), "client");

  if (phases.find("catchup") != std::string::npos) run_catch_up(client, dsn, log_events, reps, page_sizes);
  if (phases.find("memory") != std::string::npos) run_memory(client, slow_seconds);
  if (phases.find("latency") != std::string::npos) run_latencies(client, dsn, rate, seconds);
  return 0;
}
