// The state of level 2, for health checks and dashboards.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "eventstore/store/clock.hpp"

namespace eventstore::cache {

enum class Level2State {
  absent,       // the cache was made without level 2
  connected,    // the last call to level 2 succeeded (or none failed yet)
  unavailable,  // a call failed; level 1 serves alone until a retry succeeds
};

[[nodiscard]] std::string_view to_string(Level2State state) noexcept;

struct CacheStatus {
  Level2State level2 = Level2State::absent;
  // When level 2 became unavailable (the cache's clock), while it is.
  std::optional<Clock::time_point> level2_unavailable_since;
  // When a request will try level 2 again, while it is unavailable.
  std::optional<Clock::time_point> level2_next_retry;
  // The last level-2 error (kept after recovery, for the record); empty if none.
  std::string level2_last_error;
  // Invalidations waiting for level 2 to answer again, and those dropped
  // because more were waiting than TieredCacheOptions::pending_level2_invalidations.
  std::size_t pending_level2_invalidations = 0;
  std::size_t dropped_level2_invalidations = 0;
};

}  // namespace eventstore::cache
