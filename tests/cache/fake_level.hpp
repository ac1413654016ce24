// A level 2 for unit tests: a map behind a lock that counts its calls and can
// be told to fail, as a Redis that went away would.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "eventstore/cache/cache_level.hpp"

namespace eventstore::cache::test {

class FakeLevel final : public CacheLevel {
 public:
  std::atomic<bool> failing{false};
  std::atomic<int> calls{0};

  Result<std::optional<CacheEntry>> get(std::string_view key) override {
    if (auto failure = call()) return std::unexpected(*failure);
    std::lock_guard lock(mutex_);
    auto found = entries_.find(std::string(key));
    if (found == entries_.end()) return std::optional<CacheEntry>{};
    return std::optional<CacheEntry>{found->second};
  }
  Result<void> put(std::string_view key, const CachedValue& value, std::chrono::milliseconds time_to_live) override {
    if (auto failure = call()) return std::unexpected(*failure);
    std::lock_guard lock(mutex_);
    auto& entry = entries_[std::string(key)];
    if (entry.value.position > value.position) return {};
    entry = CacheEntry{value, time_to_live};
    return {};
  }
  Result<void> erase(std::string_view key) override {
    if (auto failure = call()) return std::unexpected(*failure);
    std::lock_guard lock(mutex_);
    entries_.erase(std::string(key));
    return {};
  }
  Result<void> erase_many(std::span<const std::string> keys) override {
    if (auto failure = call()) return std::unexpected(*failure);
    std::lock_guard lock(mutex_);
    for (const auto& key : keys) entries_.erase(key);
    return {};
  }
  Result<void> erase_older_than(std::string_view key, LogPosition position) override {
    if (auto failure = call()) return std::unexpected(*failure);
    std::lock_guard lock(mutex_);
    auto found = entries_.find(std::string(key));
    if (found != entries_.end() && found->second.value.position < position) entries_.erase(found);
    return {};
  }

  // Written directly, as another process would.
  void store(const std::string& key, CacheEntry entry) {
    std::lock_guard lock(mutex_);
    entries_[key] = std::move(entry);
  }
  [[nodiscard]] bool holds(const std::string& key) {
    std::lock_guard lock(mutex_);
    return entries_.contains(key);
  }

 private:
  std::optional<Error> call() {
    ++calls;
    if (failing) return Error(ErrorCode::connection_lost, "fake level 2: down");
    return std::nullopt;
  }

  std::mutex mutex_;
  std::map<std::string, CacheEntry> entries_;
};

}  // namespace eventstore::cache::test
