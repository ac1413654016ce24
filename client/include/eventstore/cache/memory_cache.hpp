// Level 1: an in-process cache bounded in bytes, in shards that each have
// their own lock and evict the least recently used entry first. Entries
// expire after their time to live, read from an injectable Clock so that tests
// move time by hand. Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/cache/cache_entry.hpp"
#include "eventstore/cache/cache_level.hpp"
#include "eventstore/cache/cached_value.hpp"
#include "eventstore/cache/memory_cache_options.hpp"
#include "eventstore/cache/memory_cache_statistics.hpp"
#include "eventstore/store/clock.hpp"
#include "eventstore/store/log_position.hpp"
#include "eventstore/store/result.hpp"

namespace eventstore::cache {

class MemoryCacheShard;

class MemoryCache final : public CacheLevel {
 public:
  explicit MemoryCache(MemoryCacheOptions options = {}, Clock& clock = Clock::system());
  ~MemoryCache() override;
  MemoryCache(const MemoryCache&) = delete;
  MemoryCache& operator=(const MemoryCache&) = delete;

  // Never fails: level 1 has no I/O.
  [[nodiscard]] Result<std::optional<CacheEntry>> get(std::string_view key) override;
  Result<void> put(std::string_view key, const CachedValue& value, std::chrono::milliseconds time_to_live) override;
  Result<void> erase(std::string_view key) override;
  Result<void> erase_many(std::span<const std::string> keys) override;
  Result<void> erase_older_than(std::string_view key, LogPosition position) override;

  // What one entry counts against the bound.
  [[nodiscard]] std::size_t entry_bytes(std::string_view key, std::string_view value) const noexcept;
  // The shard that holds `key` (0 to shard_count - 1).
  [[nodiscard]] std::size_t shard_of(std::string_view key) const noexcept;
  [[nodiscard]] std::size_t shard_count() const noexcept { return shards_.size(); }
  // The bytes held by one shard.
  [[nodiscard]] std::size_t shard_bytes(std::size_t shard) const;
  [[nodiscard]] MemoryCacheStatistics statistics() const;

 private:
  MemoryCacheOptions options_;
  Clock& clock_;
  std::vector<std::unique_ptr<MemoryCacheShard>> shards_;
};

}  // namespace eventstore::cache
