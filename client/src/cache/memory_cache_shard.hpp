// One shard of level 1: its own lock, its own byte budget and its own LRU
// order (a list, most recently used first, indexed by key). The index's keys
// are views of the keys held by the list's nodes, which never move.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "eventstore/cache/cache_entry.hpp"
#include "eventstore/cache/cached_value.hpp"
#include "eventstore/store/clock.hpp"
#include "eventstore/store/log_position.hpp"

namespace eventstore::cache {

// What a shard dropped, for the cache's statistics.
struct ShardCounts {
  std::size_t entries = 0;
  std::size_t bytes = 0;
  std::uint64_t evictions = 0;
  std::uint64_t expirations = 0;
  std::uint64_t rejected = 0;
};

class MemoryCacheShard {
 public:
  MemoryCacheShard(std::size_t capacity_bytes, std::size_t entry_overhead_bytes);

  [[nodiscard]] std::optional<CacheEntry> get(std::string_view key, Clock::time_point now);
  void put(std::string_view key, const CachedValue& value, Clock::time_point expires_at);
  void erase(std::string_view key);
  void erase_older_than(std::string_view key, LogPosition position);

  [[nodiscard]] std::size_t bytes() const;
  [[nodiscard]] ShardCounts counts() const;

 private:
  struct Entry {
    std::string key;
    CachedValue value;
    Clock::time_point expires_at;
    std::size_t bytes;
  };
  using Order = std::list<Entry>;

  [[nodiscard]] std::size_t entry_bytes(std::string_view key, std::string_view value) const noexcept;
  // Callers hold mutex_.
  void remove(Order::iterator entry);
  void evict_until_room_for(std::size_t bytes);

  const std::size_t capacity_bytes_;
  const std::size_t entry_overhead_bytes_;
  mutable std::mutex mutex_;
  Order order_;  // most recently used first
  std::unordered_map<std::string_view, Order::iterator> index_;
  std::size_t bytes_ = 0;
  std::uint64_t evictions_ = 0;
  std::uint64_t expirations_ = 0;
  std::uint64_t rejected_ = 0;
};

}  // namespace eventstore::cache
