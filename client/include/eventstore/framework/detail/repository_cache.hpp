// The aggregates a Repository keeps in memory between commands, so that a
// load of a recently used aggregate needs no round trip (RepositoryOptions::cache).
// An entry is only ever a guess at the stream's state: a save appends with the
// entry's version as expected version, so an entry that another writer made
// stale fails that append (wrong_expected_version), and the repository drops it.
//
// Bounded: the least recently used entry goes when a new one would exceed the
// capacity. Thread-safe: the entries are split into shards by stream name,
// each with its own lock, so that threads working on different aggregates
// rarely wait for one another. find() hands out a copy: an aggregate is never
// shared between threads.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "eventstore/store/stream_version.hpp"

namespace eventstore::detail {

template <class State>
struct CachedAggregate {
  State state{};
  StreamVersion version = StreamVersion::no_stream();
  std::optional<StreamVersion> snapshot_version{};
};

template <class State>
class RepositoryCache {
 public:
  // What one put() did to the cache.
  struct PutOutcome {
    bool stored = false;
    // Entries that gave way to it (least recently used first).
    std::size_t evicted = 0;
  };

  explicit RepositoryCache(std::size_t capacity) : shards_(shard_count(capacity)) {
    const std::size_t per_shard = std::max<std::size_t>(1, capacity / shards_.size());
    for (Shard& shard : shards_) shard.capacity = per_shard;
  }

  RepositoryCache(const RepositoryCache&) = delete;
  RepositoryCache& operator=(const RepositoryCache&) = delete;

  // A copy of the entry for `stream`, now the most recently used; none when absent.
  [[nodiscard]] std::optional<CachedAggregate<State>> find(std::string_view stream) {
    Shard& shard = shard_of(stream);
    std::lock_guard lock{shard.mutex};
    auto found = shard.index.find(stream);
    if (found == shard.index.end()) return std::nullopt;
    shard.entries.splice(shard.entries.begin(), shard.entries, found->second);
    return found->second->aggregate;
  }

  // Keeps `aggregate` as the entry for `stream` unless the entry already
  // holds a later version: a slow load must not replace a newer save.
  PutOutcome put(std::string_view stream, const CachedAggregate<State>& aggregate) {
    Shard& shard = shard_of(stream);
    std::lock_guard lock{shard.mutex};
    if (auto found = shard.index.find(stream); found != shard.index.end()) {
      Entry& entry = *found->second;
      if (entry.aggregate.version.value() > aggregate.version.value()) return {};
      entry.aggregate = aggregate;
      shard.entries.splice(shard.entries.begin(), shard.entries, found->second);
      return {.stored = true};
    }
    shard.entries.push_front(Entry{std::string{stream}, aggregate});
    shard.index.emplace(shard.entries.front().stream, shard.entries.begin());
    PutOutcome outcome{.stored = true};
    while (shard.entries.size() > shard.capacity) {
      shard.index.erase(shard.entries.back().stream);
      shard.entries.pop_back();
      ++outcome.evicted;
    }
    return outcome;
  }

  // Drops the entry for `stream`; whether there was one.
  bool erase(std::string_view stream) {
    Shard& shard = shard_of(stream);
    std::lock_guard lock{shard.mutex};
    auto found = shard.index.find(stream);
    if (found == shard.index.end()) return false;
    // The key views the entry's name: drop the key first.
    auto entry = found->second;
    shard.index.erase(found);
    shard.entries.erase(entry);
    return true;
  }

  [[nodiscard]] std::size_t size() const {
    std::size_t total = 0;
    for (const Shard& shard : shards_) {
      std::lock_guard lock{shard.mutex};
      total += shard.entries.size();
    }
    return total;
  }

  // The most entries held at once (a little under the capacity asked for
  // when it does not divide evenly into the shards).
  [[nodiscard]] std::size_t capacity() const noexcept { return shards_.front().capacity * shards_.size(); }

 private:
  struct Entry {
    std::string stream;
    CachedAggregate<State> aggregate;
  };

  struct TransparentHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept { return std::hash<std::string_view>{}(text); }
  };

  struct Shard {
    mutable std::mutex mutex;
    std::size_t capacity = 1;
    // Most recently used first.
    std::list<Entry> entries;
    std::unordered_map<std::string_view, typename std::list<Entry>::iterator, TransparentHash, std::equal_to<>> index;
  };

  // One lock for a small cache (an exact bound); up to 16 for a large one,
  // each holding at least 256 entries so that the LRU order stays meaningful.
  [[nodiscard]] static std::size_t shard_count(std::size_t capacity) noexcept {
    return std::clamp<std::size_t>(capacity / 256, 1, 16);
  }

  [[nodiscard]] Shard& shard_of(std::string_view stream) noexcept {
    // The low bits of the hash pick the bucket inside the shard's map; take higher ones here.
    return shards_[(TransparentHash{}(stream) >> 16) % shards_.size()];
  }

  std::vector<Shard> shards_;
};

}  // namespace eventstore::detail
