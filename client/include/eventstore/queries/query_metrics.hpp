// Counters and latency histograms of the queries a bus answered, kept in the
// process per query type (fed by query_metrics_middleware). Read them at any
// time, from any thread:
//
//   eventstore::QueryMetrics metrics;
//   bus.use(eventstore::query_metrics_middleware(metrics));
//   ...
//   auto total = metrics.total();
//   std::cout << total.asked << " queries, p99 " << total.latency.percentile(0.99).count() << " µs\n";
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/framework/latency_histogram.hpp"
#include "eventstore/queries/query_error.hpp"
#include "eventstore/queries/query_middleware.hpp"

namespace eventstore {

// What happened to the queries of one type (or of all types).
struct QueryStatistics {
  std::string query_type;
  std::uint64_t asked = 0;
  // Answered with a value (not_modified ones not included).
  std::uint64_t answered = 0;
  // Of those answered or not modified: by the caching middleware, without the handler.
  std::uint64_t from_cache = 0;
  // The caller's If-None-Match named the current answer (HTTP 304).
  std::uint64_t not_modified = 0;
  std::uint64_t not_found = 0;
  // The read model stayed older than the caller's token.
  std::uint64_t stale_reads = 0;
  // Any other error (no handler, read errors).
  std::uint64_t failed = 0;
  // From the metrics middleware inwards.
  LatencyHistogram latency{};
};

class QueryMetrics {
 public:
  QueryMetrics();
  QueryMetrics(const QueryMetrics&) = delete;
  QueryMetrics& operator=(const QueryMetrics&) = delete;
  ~QueryMetrics();

  // `if_none_match`: the caller's header, to count not-modified outcomes.
  void record(std::string_view query_type, const QueryResult<AnyQueryAnswer>& result, std::string_view if_none_match,
              std::chrono::microseconds duration);

  // One entry per query type, by name.
  [[nodiscard]] std::vector<QueryStatistics> by_query_type() const;
  // Every query type together (query_type "all").
  [[nodiscard]] QueryStatistics total() const;

 private:
  struct Counters;
  [[nodiscard]] Counters& counters_of(std::string_view query_type);

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Counters>, std::less<>> by_type_;
};

}  // namespace eventstore
