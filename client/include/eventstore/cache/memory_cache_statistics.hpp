// Level 1's own figures: what it holds and what it dropped.
#pragma once

#include <cstddef>
#include <cstdint>

namespace eventstore::cache {

struct MemoryCacheStatistics {
  std::size_t entries = 0;
  std::size_t bytes = 0;          // as counted against capacity_bytes
  std::uint64_t evictions = 0;    // dropped, least recently used first, to make room
  std::uint64_t expirations = 0;  // found past their time to live and dropped
  std::uint64_t rejected = 0;     // larger than a shard: never stored
};

}  // namespace eventstore::cache
