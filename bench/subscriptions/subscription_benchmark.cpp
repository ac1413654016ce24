// Subscription benchmarks, each against its limit in the same run:
//   catch-up  one subscription over the whole log into a no-op handler,
//             against COPY (the same rows, in log order) TO STDOUT read
//             through libpq; alternating, medians of --reps
//   latency   append committed -> handler called, at --rate appends/s
//   memory    resident memory with a slow handler (200 us per event), the
//             default queue bounds against unbounded ones (the control)
//
//   subscription_benchmark [--events N] [--reps N] [--rate N] [--seconds N]
//   (EVENTSTORE_BASE_DSN names the server; eventstore_subscription_bench is dropped and made)
#include <libpq-fe.h>

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

#include "eventstore/eventstore.hpp"

namespace {

using namespace eventstore;
using namespace std::chrono_literals;
using Stopwatch = std::chrono::steady_clock;

template <class T>
T or_exit(Result<T> result, const char* what) {
  if (!result) {
    std::fprintf(stderr, "%s: %s\n", what, result.error().describe().c_str());
    std::exit(1);
  }
  return std::move(*result);
}

void must(PGconn* connection, const std::string& sql) {
  PGresult* result = PQexec(connection, sql.c_str());
  auto status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    std::fprintf(stderr, "%s: %s\n", sql.substr(0, 60).c_str(), PQerrorMessage(connection));
    std::exit(1);
  }
  PQclear(result);
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<std::size_t>(p * static_cast<double>(values.size())))];
}

long resident_kib() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

int option(int argc, char** argv, const std::string& name, int fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (argv[i] == name) return std::atoi(argv[i + 1]);
  return fallback;
}

// Rows per second of COPY (the log's rows, in log order) TO STDOUT.
double copy_rate(const std::string& dsn, double events) {
  PGconn* connection = PQconnectdb(dsn.c_str());
  auto started = Stopwatch::now();
  PGresult* result = PQexec(connection,
                            "COPY (SELECT s.stream_name, e.version, e.position, e.transaction_id, e.event_id, "
                            "e.event_type, e.data, e.metadata, e.created_at FROM eventstore.events e "
                            "JOIN eventstore.streams s USING (stream_id) ORDER BY e.transaction_id, e.position) "
                            "TO STDOUT");
  if (PQresultStatus(result) != PGRES_COPY_OUT) {
    std::fprintf(stderr, "COPY: %s\n", PQerrorMessage(connection));
    std::exit(1);
  }
  PQclear(result);
  long rows = 0;
  char* buffer = nullptr;
  int length;
  while ((length = PQgetCopyData(connection, &buffer, 0)) > 0) {
    ++rows;
    PQfreemem(buffer);
  }
  PQclear(PQgetResult(connection));
  double seconds = std::chrono::duration<double>(Stopwatch::now() - started).count();
  PQfinish(connection);
  if (static_cast<double>(rows) != events) std::fprintf(stderr, "COPY gave %ld rows of %.0f\n", rows, events);
  return static_cast<double>(rows) / seconds;
}

SubscriptionOptions options_named(const std::string& name, int page_size) {
  SubscriptionOptions options;
  options.name = name;
  options.page_size = page_size;
  options.wait_timeout = 200ms;
  return options;
}

double catch_up_rate(Client& client, const std::string& name, int page_size, double events) {
  std::atomic<long> handled{0};
  auto started = Stopwatch::now();
  auto subscription = or_exit(Subscription::start(client, client, options_named(name, page_size),
                                                  [&](const RecordedEvent&) -> HandlerResult {
                                                    ++handled;
                                                    return {};
                                                  }),
                              "subscription");
  while (static_cast<double>(handled.load()) < events) std::this_thread::sleep_for(1ms);
  double seconds = std::chrono::duration<double>(Stopwatch::now() - started).count();
  subscription->stop();
  return events / seconds;
}

}  // namespace

int main(int argc, char** argv) {
  const char* base = std::getenv("EVENTSTORE_BASE_DSN");
  if (base == nullptr) {
    std::fprintf(stderr, "set EVENTSTORE_BASE_DSN (source build/cluster.env)\n");
    return 2;
  }
  const int events = option(argc, argv, "--events", 1'000'000);
  const int reps = option(argc, argv, "--reps", 3);
  const int rate = option(argc, argv, "--rate", 1000);
  const int seconds = option(argc, argv, "--seconds", 20);
  const std::string dsn = std::string{base} + " dbname=eventstore_subscription_bench";
  {
    PGconn* admin = PQconnectdb((std::string{base} + " dbname=postgres").c_str());
    must(admin, "DROP DATABASE IF EXISTS eventstore_subscription_bench WITH (FORCE)");
    must(admin, "CREATE DATABASE eventstore_subscription_bench");
    PQfinish(admin);
  }
  PGconn* session = PQconnectdb(dsn.c_str());
  must(session, "CREATE EXTENSION pg_eventstore");
  auto loading = Stopwatch::now();
  // 1,000 streams, 1,000 events per call (one to each stream), a realistic payload.
  for (int call = 0; call < events / 1000; ++call)
    must(session,
         "SELECT eventstore.append_multi(ARRAY(SELECT eventstore.stream_append('account-' || a, -2, "
         "ARRAY[eventstore.event('Deposited', jsonb_build_object('amount', a, 'currency', 'EUR', 'reference', "
         "md5(a::text)))]) FROM generate_series(1, 1000) AS a))");
  must(session, "VACUUM ANALYZE");
  std::fprintf(stderr, "loaded %d events in %.0f s\n", events,
               std::chrono::duration<double>(Stopwatch::now() - loading).count());
  auto client = or_exit(Client::connect(dsn), "client");

  std::printf("## Catch-up over %d events into a no-op handler, against COPY TO STDOUT\n\n", events);
  std::printf("| page size | subscription (events/s) | COPY (rows/s) | ratio |\n| --- | --- | --- | --- |\n");
  for (int page_size : {1000, 5000}) {
    std::vector<double> ours, copy;
    for (int rep = 1; rep <= reps; ++rep) {
      copy.push_back(copy_rate(dsn, events));
      ours.push_back(catch_up_rate(client, "catch-up-" + std::to_string(page_size) + "-" + std::to_string(rep),
                                   page_size, events));
      std::fprintf(stderr, "page %d rep %d: ours %.0f/s, COPY %.0f/s\n", page_size, rep, ours.back(), copy.back());
    }
    std::printf("| %d | %.0f | %.0f | %.2f |\n", page_size, median(ours), median(copy), median(ours) / median(copy));
  }

  // Live latency: a subscription at the head, an appender at a fixed rate.
  {
    std::vector<double> latencies;
    std::mutex mutex;
    std::atomic<std::int64_t> sent_at{0};
    auto subscription = or_exit(Subscription::start(client, client, options_named("latency", 1000),
                                                    [&](const RecordedEvent& event) -> HandlerResult {
                                                      if (event.type != "Timed") return {};
                                                      auto now = Stopwatch::now().time_since_epoch().count();
                                                      auto sent =
                                                          std::stoll(event.data.substr(event.data.find(':') + 1));
                                                      std::lock_guard lock(mutex);
                                                      latencies.push_back(static_cast<double>(now - sent) / 1e6);
                                                      return {};
                                                    }),
                                "latency subscription");
    if (!subscription->wait_until_caught_up(10min)) return 1;
    auto stream = or_exit(StreamName::from("timed-1"), "name");
    auto next = Stopwatch::now();
    for (int i = 0; i < rate * seconds; ++i) {
      next += std::chrono::nanoseconds{1'000'000'000 / rate};
      std::this_thread::sleep_until(next);
      // The time just before the append: what is measured includes its commit.
      auto now = Stopwatch::now().time_since_epoch().count();
      (void)or_exit(client.append(stream, ExpectedVersion::any(),
                                  EventData::create("Timed", "{\"sent\": " + std::to_string(now) + "}")),
                    "append");
    }
    std::this_thread::sleep_for(1s);
    auto statistics = subscription->statistics();
    subscription->stop();
    std::lock_guard lock(mutex);
    std::printf("\n## Live latency, append called -> handler called, %d appends/s for %d s\n\n", rate, seconds);
    std::printf("| events | p50 (ms) | p99 (ms) | max (ms) | wake-ups |\n| --- | --- | --- | --- | --- |\n");
    std::printf("| %zu | %.2f | %.2f | %.2f | %lld |\n", latencies.size(), percentile(latencies, 0.5),
                percentile(latencies, 0.99), percentile(latencies, 1.0), static_cast<long long>(statistics.wake_ups));
  }

  // Memory with a slow handler: bounded queue against an unbounded one.
  std::printf("\n## Resident memory, handler 200 us per event, %d s\n\n", seconds / 2);
  std::printf("| queue | start (MiB) | max (MiB) | end (MiB) | queued at most |\n| --- | --- | --- | --- | --- |\n");
  for (bool bounded : {true, false}) {
    auto options = options_named(bounded ? "slow-bounded" : "slow-unbounded", 5000);
    if (!bounded) {
      options.queue_capacity = 100'000'000;
      options.queue_capacity_bytes = std::size_t{64} << 30;
    }
    long start = resident_kib(), highest = start;
    auto subscription = or_exit(Subscription::start(client, client, options,
                                                    [](const RecordedEvent&) -> HandlerResult {
                                                      std::this_thread::sleep_for(200us);
                                                      return {};
                                                    }),
                                "slow subscription");
    for (int second = 0; second < seconds / 2; ++second) {
      std::this_thread::sleep_for(1s);
      highest = std::max(highest, resident_kib());
    }
    long end = resident_kib();
    auto statistics = subscription->statistics();
    subscription->stop();
    std::printf("| %s | %.0f | %.0f | %.0f | %zu events |\n", bounded ? "default bounds" : "unbounded (control)",
                static_cast<double>(start) / 1024, static_cast<double>(highest) / 1024, static_cast<double>(end) / 1024,
                statistics.max_queued_events);
  }
  PQfinish(session);
  return 0;
}
