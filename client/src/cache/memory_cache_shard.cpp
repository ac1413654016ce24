#include "memory_cache_shard.hpp"

#include <chrono>

namespace eventstore::cache {

MemoryCacheShard::MemoryCacheShard(std::size_t capacity_bytes, std::size_t entry_overhead_bytes)
    : capacity_bytes_(capacity_bytes), entry_overhead_bytes_(entry_overhead_bytes) {}

std::size_t MemoryCacheShard::entry_bytes(std::string_view key, std::string_view value) const noexcept {
  return key.size() + value.size() + entry_overhead_bytes_;
}

std::optional<CacheEntry> MemoryCacheShard::get(std::string_view key, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto found = index_.find(key);
  if (found == index_.end()) return std::nullopt;
  auto entry = found->second;
  if (entry->expires_at <= now) {
    remove(entry);
    ++expirations_;
    return std::nullopt;
  }
  order_.splice(order_.begin(), order_, entry);
  auto left = std::chrono::ceil<std::chrono::milliseconds>(entry->expires_at - now);
  return CacheEntry{entry->value, left};
}

void MemoryCacheShard::put(std::string_view key, const CachedValue& value, Clock::time_point expires_at) {
  const auto bytes = entry_bytes(key, value.bytes);
  std::lock_guard lock(mutex_);
  auto found = index_.find(key);
  if (found != index_.end()) {
    // An older load finishing late must not hide a newer value.
    if (found->second->value.position > value.position) return;
    remove(found->second);
  }
  if (bytes > capacity_bytes_) {
    ++rejected_;
    return;
  }
  evict_until_room_for(bytes);
  order_.push_front(Entry{std::string(key), value, expires_at, bytes});
  index_.emplace(order_.front().key, order_.begin());
  bytes_ += bytes;
}

void MemoryCacheShard::erase(std::string_view key) {
  std::lock_guard lock(mutex_);
  if (auto found = index_.find(key); found != index_.end()) remove(found->second);
}

void MemoryCacheShard::erase_older_than(std::string_view key, LogPosition position) {
  std::lock_guard lock(mutex_);
  if (auto found = index_.find(key); found != index_.end() && found->second->value.position < position) {
    remove(found->second);
  }
}

std::size_t MemoryCacheShard::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

ShardCounts MemoryCacheShard::counts() const {
  std::lock_guard lock(mutex_);
  return {index_.size(), bytes_, evictions_, expirations_, rejected_};
}

void MemoryCacheShard::remove(Order::iterator entry) {
  bytes_ -= entry->bytes;
  index_.erase(entry->key);
  order_.erase(entry);
}

void MemoryCacheShard::evict_until_room_for(std::size_t bytes) {
  while (!order_.empty() && bytes_ + bytes > capacity_bytes_) {
    remove(std::prev(order_.end()));
    ++evictions_;
  }
}

}  // namespace eventstore::cache
