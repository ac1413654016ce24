// The cache an application uses: level 1 in the process (MemoryCache), an
// optional level 2 shared by processes (e.g. RedisCache), and the rules that
// make it safe to put in front of the event store:
//
//   position rule   every value carries the LogPosition it reflects; a caller
//                   that passes a position (the read-your-writes token of its
//                   append) never gets an older value: an older entry is a miss.
//   single-flight   concurrent misses of one key call the loader once; the
//                   others wait for its result. A loader error goes to all of
//                   them and is never cached.
//   fallback        a level-2 failure marks level 2 unavailable (status()) and
//                   the request goes on with level 1 and the loader; level 2 is
//                   tried again after level2_retry_interval. No request fails
//                   because of level 2 (unless fall_back_when_level2_fails is off).
//   invalidation    invalidate, invalidate_before and invalidate_many reach both
//                   levels, and stop a load in flight from storing what it read.
//
//   eventstore::cache::TieredCache cache{{}, std::make_unique<eventstore::cache::RedisCache>()};
//   auto order = cache.get_or_load("order-42", token, [&] { return load_order("order-42"); });
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "eventstore/cache/cache_level.hpp"
#include "eventstore/cache/cache_statistics.hpp"
#include "eventstore/cache/cache_status.hpp"
#include "eventstore/cache/cached_value.hpp"
#include "eventstore/cache/memory_cache.hpp"
#include "eventstore/cache/tiered_cache_options.hpp"
#include "eventstore/store/clock.hpp"
#include "eventstore/store/log_position.hpp"
#include "eventstore/store/result.hpp"

namespace eventstore::cache {

// Reads the value of a key from the source of truth, with the position it reflects.
using CacheLoader = std::function<Result<CachedValue>()>;

class TieredCache {
 public:
  // `level2` may be null: level 1 alone.
  explicit TieredCache(TieredCacheOptions options = {}, std::unique_ptr<CacheLevel> level2 = nullptr,
                       Clock& clock = Clock::system());
  ~TieredCache();
  TieredCache(const TieredCache&) = delete;
  TieredCache& operator=(const TieredCache&) = delete;

  // The value of `key` at `min_position` or newer, from level 1 or level 2;
  // nullopt when neither has one.
  [[nodiscard]] Result<std::optional<CachedValue>> get(std::string_view key, LogPosition min_position = {});
  // The value of `key` at `min_position` or newer, loaded (once for all
  // concurrent callers) and stored in both levels when neither has it.
  [[nodiscard]] Result<CachedValue> get_or_load(std::string_view key, LogPosition min_position,
                                                const CacheLoader& loader,
                                                std::optional<std::chrono::milliseconds> time_to_live = {});
  // Stores `value` in both levels (unless they hold a newer position).
  Result<void> put(std::string_view key, const CachedValue& value,
                   std::optional<std::chrono::milliseconds> time_to_live = {});

  // Drops `key` from both levels.
  Result<void> invalidate(std::string_view key);
  // Drops `key` from both levels where its value is older than `position`
  // (what a subscription calls when it sees an event of `key` at `position`).
  Result<void> invalidate_before(std::string_view key, LogPosition position);
  // Drops all `keys` from both levels (one level-2 round trip).
  Result<void> invalidate_many(std::span<const std::string> keys);

  [[nodiscard]] CacheStatus status() const;
  [[nodiscard]] CacheStatistics statistics() const;
  [[nodiscard]] MemoryCache& level1() noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace eventstore::cache
