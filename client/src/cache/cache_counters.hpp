// The tiered cache's counters: atomics that requests bump without a lock,
// read into a plain CacheStatistics by statistics().
#pragma once

#include <atomic>
#include <cstdint>

#include "eventstore/cache/cache_statistics.hpp"

namespace eventstore::cache {

struct CacheCounters {
  std::atomic<std::uint64_t> level1_hits{0};
  std::atomic<std::uint64_t> level2_hits{0};
  std::atomic<std::uint64_t> misses{0};
  std::atomic<std::uint64_t> stale_entries{0};
  std::atomic<std::uint64_t> loads{0};
  std::atomic<std::uint64_t> load_errors{0};
  std::atomic<std::uint64_t> coalesced_waits{0};
  std::atomic<std::uint64_t> level2_errors{0};
  std::atomic<std::uint64_t> fallbacks{0};
  std::atomic<std::uint64_t> invalidations{0};

  // Counting needs no order with anything else: relaxed.
  static void bump(std::atomic<std::uint64_t>& counter, std::uint64_t by = 1) noexcept {
    counter.fetch_add(by, std::memory_order_relaxed);
  }

  // The level-1 fields are left for the caller to fill in.
  [[nodiscard]] CacheStatistics read() const noexcept {
    constexpr auto relaxed = std::memory_order_relaxed;
    CacheStatistics out;
    out.level1_hits = level1_hits.load(relaxed);
    out.level2_hits = level2_hits.load(relaxed);
    out.misses = misses.load(relaxed);
    out.stale_entries = stale_entries.load(relaxed);
    out.loads = loads.load(relaxed);
    out.load_errors = load_errors.load(relaxed);
    out.coalesced_waits = coalesced_waits.load(relaxed);
    out.level2_errors = level2_errors.load(relaxed);
    out.fallbacks = fallbacks.load(relaxed);
    out.invalidations = invalidations.load(relaxed);
    return out;
  }
};

}  // namespace eventstore::cache
