// Level 2: Redis through libhiredis, shared by every process of the
// application. Each value is stored with the position it reflects (a fixed
// 40-digit prefix), so that Redis itself refuses to replace a newer value with
// an older one and drops only older values on erase_older_than (small Lua
// scripts). Every call is bounded by the options' timeouts and returns an
// Error instead of waiting longer; a failed connection is closed and opened
// again on a later call. Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "eventstore/cache/cache_entry.hpp"
#include "eventstore/cache/cache_level.hpp"
#include "eventstore/cache/cached_value.hpp"
#include "eventstore/cache/redis_cache_options.hpp"
#include "eventstore/store/log_position.hpp"
#include "eventstore/store/result.hpp"

namespace eventstore::cache {

class RedisConnectionPool;

class RedisCache final : public CacheLevel {
 public:
  // Connects lazily: a Redis that is down when the cache is made is not an error.
  explicit RedisCache(RedisCacheOptions options = {});
  ~RedisCache() override;
  RedisCache(const RedisCache&) = delete;
  RedisCache& operator=(const RedisCache&) = delete;

  [[nodiscard]] Result<std::optional<CacheEntry>> get(std::string_view key) override;
  Result<void> put(std::string_view key, const CachedValue& value, std::chrono::milliseconds time_to_live) override;
  Result<void> erase(std::string_view key) override;
  Result<void> erase_many(std::span<const std::string> keys) override;
  Result<void> erase_older_than(std::string_view key, LogPosition position) override;

  // PING: whether Redis answers within the timeouts.
  Result<void> ping();
  [[nodiscard]] const RedisCacheOptions& options() const noexcept { return options_; }

 private:
  [[nodiscard]] std::string redis_key(std::string_view key) const;

  RedisCacheOptions options_;
  std::unique_ptr<RedisConnectionPool> pool_;
};

}  // namespace eventstore::cache
