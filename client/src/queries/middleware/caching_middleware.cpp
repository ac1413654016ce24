#include "eventstore/queries/middleware/caching_middleware.hpp"

#include <algorithm>
#include <atomic>
#include <exception>

namespace eventstore {

struct CachingMiddleware::Counters {
  std::atomic<std::uint64_t> hits{0};
  std::atomic<std::uint64_t> misses{0};
  std::atomic<std::uint64_t> undecodable{0};
  std::atomic<std::uint64_t> cache_errors{0};

  void add_to(QueryCacheStatistics& statistics) const {
    auto value = [](const std::atomic<std::uint64_t>& counter) { return counter.load(std::memory_order_relaxed); };
    statistics.hits += value(hits);
    statistics.misses += value(misses);
    statistics.undecodable += value(undecodable);
    statistics.cache_errors += value(cache_errors);
  }
};

namespace {

void add_one(std::atomic<std::uint64_t>& counter) { counter.fetch_add(1, std::memory_order_relaxed); }

}  // namespace

CachingMiddleware::CachingMiddleware(cache::TieredCache& cache) : cache_(cache) {}
CachingMiddleware::~CachingMiddleware() = default;

void CachingMiddleware::add(std::type_index type, Entry entry) {
  entry.counters = std::make_shared<Counters>();
  entries_.insert_or_assign(type, std::move(entry));
}

QueryMiddleware CachingMiddleware::middleware() {
  return [this](QueryInvocation& invocation, const NextQueryStep& next) -> QueryResult<AnyQueryAnswer> {
    auto found = entries_.find(invocation.type);
    if (found == entries_.end()) return next();
    return answer(found->second, invocation, next);
  };
}

QueryResult<AnyQueryAnswer> CachingMiddleware::answer(const Entry& entry, QueryInvocation& invocation,
                                                      const NextQueryStep& next) const {
  Counters& counters = *entry.counters;
  const std::string key = entry.key_of(invocation.query);
  // What this caller's own load got from the handler, when the cache called it.
  std::optional<QueryResult<AnyQueryAnswer>> fresh;
  cache::CacheLoader loader = [&]() -> Result<cache::CachedValue> {
    fresh = next();
    if (!*fresh) return std::unexpected(Error{ErrorCode::internal, "the query failed: " + fresh->error().describe()});
    try {
      return cache::CachedValue{entry.encode((*fresh)->value), (*fresh)->position};
    } catch (const std::exception& failure) {
      return std::unexpected(Error{ErrorCode::invalid_argument,
                                   "the answer of " + entry.query_type + " could not be encoded: " + failure.what()});
    }
  };
  Result<cache::CachedValue> cached =
      cache_.get_or_load(key, invocation.options.min_position, loader, entry.options.time_to_live);
  if (fresh) {
    // The handler's answer (or error) as it was: nothing to decode.
    add_one(counters.misses);
    return std::move(*fresh);
  }
  if (!cached) {
    // The cache failed, or another caller's load of the key did: its error
    // is not this caller's, so the handler is asked directly.
    add_one(counters.cache_errors);
    add_one(counters.misses);
    return next();
  }
  std::optional<std::any> value = entry.decode(cached->bytes);
  if (!value) {
    add_one(counters.undecodable);
    add_one(counters.misses);
    (void)cache_.invalidate(key);
    return next();
  }
  add_one(counters.hits);
  return AnyQueryAnswer{std::move(*value), cached->position, true};
}

std::vector<QueryCacheStatistics> CachingMiddleware::by_query_type() const {
  std::vector<QueryCacheStatistics> all;
  for (const auto& [type, entry] : entries_) {
    all.push_back(QueryCacheStatistics{entry.query_type});
    entry.counters->add_to(all.back());
  }
  std::ranges::sort(all, {}, &QueryCacheStatistics::query_type);
  return all;
}

QueryCacheStatistics CachingMiddleware::total() const {
  QueryCacheStatistics total{"all"};
  for (const auto& entry : entries_) entry.second.counters->add_to(total);
  return total;
}

}  // namespace eventstore
