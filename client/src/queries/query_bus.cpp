#include "eventstore/queries/query_bus.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

namespace eventstore {
namespace {

// The first pause before asking a lagging read model again; it doubles up to the longest.
constexpr std::chrono::milliseconds first_position_pause{1};
constexpr std::chrono::milliseconds longest_position_pause{50};

}  // namespace

void QueryBus::use(QueryMiddleware middleware) { middleware_.push_back(std::move(middleware)); }

QueryResult<AnyQueryAnswer> QueryBus::run_from(std::size_t step, QueryInvocation& invocation) const {
  if (step < middleware_.size()) return middleware_[step](invocation, NextQueryStep{*this, step + 1, invocation});
  return execute_handler(invocation);
}

QueryResult<AnyQueryAnswer> QueryBus::execute_handler(QueryInvocation& invocation) const {
  auto found = handlers_.find(invocation.type);
  if (found == handlers_.end()) return std::unexpected(QueryError::no_handler(invocation.query_type));
  const HandlerEntry& entry = found->second;
  const QueryOptions& options = invocation.options;
  auto deadline = std::chrono::steady_clock::now() + options.position_wait;
  std::chrono::milliseconds pause = first_position_pause;
  for (;;) {
    QueryResult<AnyQueryAnswer> result = entry.execute(invocation.query, options);
    if (!result || result->position >= options.min_position) return result;
    // The read model has not applied the caller's write yet: a projection catching up.
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline)
      return std::unexpected(QueryError::stale_read(invocation.query_type, result->position, options.min_position));
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(pause, deadline - now));
    pause = std::min(pause * 2, longest_position_pause);
  }
}

CacheControlPolicy QueryBus::cache_policy_of(std::type_index type) const {
  auto found = handlers_.find(type);
  return found == handlers_.end() ? CacheControlPolicy{} : found->second.options.cache_control;
}

}  // namespace eventstore
