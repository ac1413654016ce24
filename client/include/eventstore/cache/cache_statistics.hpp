// The cache's counters since it was made, read at one moment into plain values.
#pragma once

#include <cstddef>
#include <cstdint>

namespace eventstore::cache {

struct CacheStatistics {
  std::uint64_t level1_hits = 0;
  std::uint64_t level2_hits = 0;      // found in level 2 (and promoted to level 1)
  std::uint64_t misses = 0;           // in neither level, or only older than the caller's position
  std::uint64_t stale_entries = 0;    // entries found but older than the caller's position
  std::uint64_t loads = 0;            // loader calls
  std::uint64_t load_errors = 0;      // loader calls that returned an error (never cached)
  std::uint64_t coalesced_waits = 0;  // callers that waited for another caller's load of the same key
  std::uint64_t evictions = 0;        // level 1, to stay within its bytes
  std::uint64_t expirations = 0;      // level 1, past their time to live
  std::uint64_t level2_errors = 0;    // level-2 calls that failed
  std::uint64_t fallbacks = 0;        // requests served without level 2 because it failed or was unavailable
  std::uint64_t invalidations = 0;    // keys invalidated (by invalidate, invalidate_before, invalidate_many)
  std::size_t level1_entries = 0;
  std::size_t level1_bytes = 0;
};

}  // namespace eventstore::cache
