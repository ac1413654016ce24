#include "eventstore/queries/query_metrics.hpp"

#include <atomic>

#include "eventstore/queries/query_answer.hpp"

namespace eventstore {

struct QueryMetrics::Counters {
  std::atomic<std::uint64_t> asked{0};
  std::atomic<std::uint64_t> answered{0};
  std::atomic<std::uint64_t> from_cache{0};
  std::atomic<std::uint64_t> not_modified{0};
  std::atomic<std::uint64_t> not_found{0};
  std::atomic<std::uint64_t> stale_reads{0};
  std::atomic<std::uint64_t> failed{0};
  LatencyHistogram latency;

  void add_to(QueryStatistics& statistics) const {
    auto value = [](const std::atomic<std::uint64_t>& counter) { return counter.load(std::memory_order_relaxed); };
    statistics.asked += value(asked);
    statistics.answered += value(answered);
    statistics.from_cache += value(from_cache);
    statistics.not_modified += value(not_modified);
    statistics.not_found += value(not_found);
    statistics.stale_reads += value(stale_reads);
    statistics.failed += value(failed);
    statistics.latency.merge(latency);
  }
};

QueryMetrics::QueryMetrics() = default;
QueryMetrics::~QueryMetrics() = default;

QueryMetrics::Counters& QueryMetrics::counters_of(std::string_view query_type) {
  std::lock_guard lock{mutex_};
  auto found = by_type_.find(query_type);
  if (found == by_type_.end()) found = by_type_.emplace(std::string{query_type}, std::make_unique<Counters>()).first;
  return *found->second;
}

void QueryMetrics::record(std::string_view query_type, const QueryResult<AnyQueryAnswer>& result,
                          std::string_view if_none_match, std::chrono::microseconds duration) {
  Counters& counters = counters_of(query_type);
  auto add = [](std::atomic<std::uint64_t>& counter) { counter.fetch_add(1, std::memory_order_relaxed); };
  add(counters.asked);
  if (result) {
    if (result->from_cache) add(counters.from_cache);
    if (etag_matches(if_none_match, etag_for(result->position)))
      add(counters.not_modified);
    else
      add(counters.answered);
  } else if (result.error().kind() == QueryErrorKind::not_found) {
    add(counters.not_found);
  } else if (result.error().kind() == QueryErrorKind::stale_read) {
    add(counters.stale_reads);
  } else {
    add(counters.failed);
  }
  counters.latency.record(duration);
}

std::vector<QueryStatistics> QueryMetrics::by_query_type() const {
  std::lock_guard lock{mutex_};
  std::vector<QueryStatistics> all;
  all.reserve(by_type_.size());
  for (const auto& [name, counters] : by_type_) {
    all.push_back(QueryStatistics{name});
    counters->add_to(all.back());
  }
  return all;
}

QueryStatistics QueryMetrics::total() const {
  std::lock_guard lock{mutex_};
  QueryStatistics total{"all"};
  for (const auto& entry : by_type_) entry.second->add_to(total);
  return total;
}

}  // namespace eventstore
