// Reading the events appended in a time range, oldest first. A time range is
// a query, not a subscription: an append whose transaction is still in flight
// appears later with an earlier time (follow the log with read_all for that).
#pragma once

#include <chrono>
#include <compare>

#include "eventstore/store/global_position.hpp"
#include "eventstore/store/recorded_event.hpp"

namespace eventstore {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

// [from, to): from included, to excluded.
struct TimeRange {
  Timestamp from;
  Timestamp to;
};

// Where a time-range read stands: events come in (created_at, position)
// order, and the next page starts after this pair.
struct TimeRangePosition {
  Timestamp created_at;
  GlobalPosition position{0};

  [[nodiscard]] static TimeRangePosition of(const RecordedEvent& event) noexcept {
    return {event.created_at, event.log_position.position};
  }
  friend constexpr auto operator<=>(const TimeRangePosition&, const TimeRangePosition&) noexcept = default;
};

}  // namespace eventstore
