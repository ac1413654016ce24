#include "eventstore/cache/memory_cache.hpp"

#include <algorithm>
#include <functional>

#include "memory_cache_shard.hpp"

namespace eventstore::cache {

MemoryCache::MemoryCache(MemoryCacheOptions options, Clock& clock) : options_(options), clock_(clock) {
  const auto count = std::max<std::size_t>(options_.shard_count, 1);
  shards_.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    shards_.push_back(
        std::make_unique<MemoryCacheShard>(options_.capacity_bytes / count, options_.entry_overhead_bytes));
  }
}

MemoryCache::~MemoryCache() = default;

Result<std::optional<CacheEntry>> MemoryCache::get(std::string_view key) {
  return shards_[shard_of(key)]->get(key, clock_.now());
}

Result<void> MemoryCache::put(std::string_view key, const CachedValue& value, std::chrono::milliseconds time_to_live) {
  if (time_to_live <= std::chrono::milliseconds::zero()) return {};
  shards_[shard_of(key)]->put(key, value, clock_.now() + time_to_live);
  return {};
}

Result<void> MemoryCache::erase(std::string_view key) {
  shards_[shard_of(key)]->erase(key);
  return {};
}

Result<void> MemoryCache::erase_many(std::span<const std::string> keys) {
  for (const auto& key : keys) shards_[shard_of(key)]->erase(key);
  return {};
}

Result<void> MemoryCache::erase_older_than(std::string_view key, LogPosition position) {
  shards_[shard_of(key)]->erase_older_than(key, position);
  return {};
}

std::size_t MemoryCache::entry_bytes(std::string_view key, std::string_view value) const noexcept {
  return key.size() + value.size() + options_.entry_overhead_bytes;
}

std::size_t MemoryCache::shard_of(std::string_view key) const noexcept {
  return std::hash<std::string_view>{}(key) % shards_.size();
}

std::size_t MemoryCache::shard_bytes(std::size_t shard) const { return shards_.at(shard)->bytes(); }

MemoryCacheStatistics MemoryCache::statistics() const {
  MemoryCacheStatistics total;
  for (const auto& shard : shards_) {
    const auto counts = shard->counts();
    total.entries += counts.entries;
    total.bytes += counts.bytes;
    total.evictions += counts.evictions;
    total.expirations += counts.expirations;
    total.rejected += counts.rejected;
  }
  return total;
}

}  // namespace eventstore::cache
