// A value found in one level of the cache, with the time it has left there:
// a value promoted from level 2 to level 1 must not outlive its level-2 copy.
#pragma once

#include <chrono>

#include "eventstore/cache/cached_value.hpp"

namespace eventstore::cache {

struct CacheEntry {
  CachedValue value;
  // Zero when the level keeps the value without a time limit.
  std::chrono::milliseconds time_to_live{0};
};

}  // namespace eventstore::cache
