// Middleware that answers queries from a TieredCache (level 1 in the process,
// level 2 in Redis) for the query types it is told about, and asks the rest
// of the chain (the handler) on a miss. The cache keeps each answer's bytes
// with its position, and the caller's min_position goes to the cache, so an
// answer older than the caller's token is a miss: the handler is asked
// again, and the bus waits for the read model (QueryOptions::position_wait)
// or fails with QueryError::stale_read. An answer older than the token is
// never returned.
//
//   eventstore::cache::TieredCache cache;
//   eventstore::CachingMiddleware caching{cache};
//   caching.cache<GetOrder>();  // key: query.cache_key(); bytes: nlohmann::json (to_json/from_json of OrderView)
//   caching.cache<OrdersOfCustomer>([](const OrdersOfCustomer& q) { return "orders-of:" + q.customer_id; });
//   bus.use(caching.middleware());
//
// Keys are the cache's keys as they are: make them unique across query
// types ("order:42", "orders-of:c-7"), and use the same ones in the
// QueryCacheInvalidator's mapping.
#pragma once

#include <any>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <typeindex>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "eventstore/cache/tiered_cache.hpp"
#include "eventstore/queries/query_bus.hpp"
#include "eventstore/queries/query_middleware.hpp"

namespace eventstore {

// Turns answers of type T into the cache's bytes and back; decode gives
// nullopt for bytes it cannot read (they are then treated as a miss).
template <class T>
struct QueryCodec {
  std::function<std::string(const T&)> encode;
  std::function<std::optional<T>(std::string_view)> decode;
};

// T as JSON text through nlohmann::json (to_json and from_json found by ADL).
template <class T>
[[nodiscard]] QueryCodec<T> json_codec() {
  return QueryCodec<T>{
      [](const T& value) { return nlohmann::json(value).dump(); },
      [](std::string_view bytes) -> std::optional<T> {
        try {
          return nlohmann::json::parse(bytes).template get<T>();
        } catch (const nlohmann::json::exception&) {
          return std::nullopt;
        }
      },
  };
}

// A query type with its own cache key: `std::string cache_key() const`.
template <class Query>
concept CacheKeyed = requires(const Query& query) {
  { query.cache_key() } -> std::convertible_to<std::string>;
};

struct QueryCachingOptions {
  // How long an answer stays cached; the cache's own default when empty.
  std::optional<std::chrono::milliseconds> time_to_live{};
};

// What the middleware did for the queries of one type (or all types).
struct QueryCacheStatistics {
  std::string query_type;
  // Answered from the cache (either level, or another caller's load of the same key).
  std::uint64_t hits = 0;
  // The handler was asked (nothing cached, or only older than the caller's token).
  std::uint64_t misses = 0;
  // Cached bytes the codec could not read (then asked the handler).
  std::uint64_t undecodable = 0;
  // The cache failed (a level 2 without fallback), or another caller's load of the
  // same key failed: the handler was asked directly.
  std::uint64_t cache_errors = 0;
};

class CachingMiddleware {
 public:
  // `cache` must outlive the middleware and every bus using it.
  explicit CachingMiddleware(cache::TieredCache& cache);
  CachingMiddleware(const CachingMiddleware&) = delete;
  CachingMiddleware& operator=(const CachingMiddleware&) = delete;
  ~CachingMiddleware();

  // Caches the answers of `Query` under key_of(query), encoded by `codec`.
  template <class Query>
  void cache(std::function<std::string(const Query&)> key_of, QueryCodec<QueryAnswerOf<Query>> codec,
             QueryCachingOptions options = {}) {
    using Answer = QueryAnswerOf<Query>;
    Entry entry;
    entry.query_type = query_type_name<Query>();
    entry.options = options;
    entry.key_of = [key_of = std::move(key_of)](const void* query) {
      return key_of(*static_cast<const Query*>(query));
    };
    entry.encode = [encode = codec.encode](const std::any& value) {
      return encode(std::any_cast<const Answer&>(value));
    };
    entry.decode = [decode = codec.decode](std::string_view bytes) -> std::optional<std::any> {
      std::optional<Answer> value = decode(bytes);
      if (!value) return std::nullopt;
      return std::any{std::move(*value)};
    };
    add(std::type_index{typeid(Query)}, std::move(entry));
  }
  // ... in JSON.
  template <class Query>
  void cache(std::function<std::string(const Query&)> key_of, QueryCachingOptions options = {}) {
    cache<Query>(std::move(key_of), json_codec<QueryAnswerOf<Query>>(), options);
  }
  // ... under query.cache_key(), in JSON.
  template <CacheKeyed Query>
  void cache(QueryCachingOptions options = {}) {
    cache<Query>([](const Query& query) { return std::string{query.cache_key()}; }, json_codec<QueryAnswerOf<Query>>(),
                 options);
  }

  // The middleware to add to a bus (bus.use(caching.middleware())); it refers to this object.
  [[nodiscard]] QueryMiddleware middleware();

  // One entry per cached query type, by name; the cache's own counters are in cache.statistics().
  [[nodiscard]] std::vector<QueryCacheStatistics> by_query_type() const;
  [[nodiscard]] QueryCacheStatistics total() const;

 private:
  struct Counters;
  struct Entry {
    std::string query_type;
    QueryCachingOptions options;
    std::function<std::string(const void*)> key_of;
    std::function<std::string(const std::any&)> encode;
    std::function<std::optional<std::any>(std::string_view)> decode;
    std::shared_ptr<Counters> counters;
  };

  void add(std::type_index type, Entry entry);
  [[nodiscard]] QueryResult<AnyQueryAnswer> answer(const Entry& entry, QueryInvocation& invocation,
                                                   const NextQueryStep& next) const;

  cache::TieredCache& cache_;
  std::unordered_map<std::type_index, Entry> entries_;
};

}  // namespace eventstore
