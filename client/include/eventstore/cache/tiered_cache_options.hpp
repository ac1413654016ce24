// How the two levels work together.
#pragma once

#include <chrono>
#include <cstddef>

#include "eventstore/cache/memory_cache_options.hpp"

namespace eventstore::cache {

struct TieredCacheOptions {
  MemoryCacheOptions level1{};
  // The time to live of values put or loaded without one of their own.
  std::chrono::milliseconds time_to_live{std::chrono::minutes{5}};
  // After a level-2 failure, level 2 is left alone for this long; then one
  // request tries it again and, if it answers, level 2 is used again.
  std::chrono::milliseconds level2_retry_interval{std::chrono::seconds{1}};
  // When level 2 fails, serve from level 1 and the loader (true), or return
  // the level-2 error to the caller (false: for tests that show the fallback matters).
  bool fall_back_when_level2_fails = true;
  // Invalidations that could not reach level 2 while it was unavailable are
  // kept, up to this many keys, and sent when it answers again.
  std::size_t pending_level2_invalidations = 10'000;
};

}  // namespace eventstore::cache
