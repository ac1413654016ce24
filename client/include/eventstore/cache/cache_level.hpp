// One level of the cache: level 1 in the process (MemoryCache), level 2 shared
// by processes (RedisCache). TieredCache combines them; the position rule and
// single-flight live there, so a level only stores, finds and drops.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "eventstore/cache/cache_entry.hpp"
#include "eventstore/cache/cached_value.hpp"
#include "eventstore/store/log_position.hpp"
#include "eventstore/store/result.hpp"

namespace eventstore::cache {

class CacheLevel {
 public:
  virtual ~CacheLevel() = default;

  // The entry of `key`, or nullopt when there is none or it has expired.
  [[nodiscard]] virtual Result<std::optional<CacheEntry>> get(std::string_view key) = 0;
  // Stores `value` for `time_to_live` (more than zero), unless the level holds
  // a value of a newer position for `key`: an older load never hides a newer one.
  virtual Result<void> put(std::string_view key, const CachedValue& value, std::chrono::milliseconds time_to_live) = 0;
  // Drops the entry of `key`, whatever its position.
  virtual Result<void> erase(std::string_view key) = 0;
  // Drops the entries of all `keys` (one round trip where the level is remote).
  virtual Result<void> erase_many(std::span<const std::string> keys) = 0;
  // Drops the entry of `key` if its position is older than `position`.
  virtual Result<void> erase_older_than(std::string_view key, LogPosition position) = 0;

 protected:
  CacheLevel() = default;
  CacheLevel(const CacheLevel&) = default;
  CacheLevel& operator=(const CacheLevel&) = default;
};

}  // namespace eventstore::cache
