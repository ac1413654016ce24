// The lifecycle of a stream: soft delete (it reads as gone; appending with
// no_stream() or any() recreates it, its versions going on), tombstone (gone
// for good: stream_deleted from then on), truncate-before, and the limits
// max_count and max_age. Every read honours them at once; reclaim() deletes
// what they hide.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "eventstore/store/stream_version.hpp"

namespace eventstore {

struct StreamLimits {
  // Keep only the newest max_count events (at least 1); none: no limit.
  std::optional<std::int64_t> max_count{};
  // Keep only the events appended less than max_age ago (longer than zero); none: no limit.
  std::optional<std::chrono::microseconds> max_age{};

  friend bool operator==(const StreamLimits&, const StreamLimits&) = default;
};

struct StreamState {
  // The version of the stream's last event ever appended, hidden or not
  // (-1 for a name that was tombstoned before its first append).
  StreamVersion version;
  bool deleted = false;
  bool tombstoned = false;
  // The versions below it are hidden.
  StreamVersion truncate_before{0};
  StreamLimits limits{};
  // When the stream's row was made: its first append, or its tombstone.
  std::chrono::sys_time<std::chrono::microseconds> created_at{};
};

}  // namespace eventstore
