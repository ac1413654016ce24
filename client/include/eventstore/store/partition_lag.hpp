// How far one partition of a subscription is behind the head of the log.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "eventstore/store/log_position.hpp"

namespace eventstore {

struct PartitionLag {
  std::int32_t partition = 0;
  // The member holding the lease; empty when nobody does.
  std::string owner;
  std::int64_t epoch = 0;
  std::optional<LogPosition> checkpoint;
  // Events of the partition's streams (in the subscription's source) after the checkpoint.
  std::int64_t events_behind = 0;
  // From the oldest of them to now; 0 when none.
  double seconds_behind = 0;
  // Parked and not yet replayed or skipped.
  std::int64_t parked_events = 0;
  // What holds readers of the log back, when something does (kind, pid or gid, age).
  std::string log_held_by;
};

}  // namespace eventstore
