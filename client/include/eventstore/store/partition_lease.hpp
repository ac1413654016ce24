// A partition of a subscription held by a member: which, at which lease
// epoch (it grows each time the partition passes to another member: writes
// with an older epoch are refused with lease_lost), and the partition's
// checkpoint when the member took it.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>

#include "eventstore/store/log_position.hpp"

namespace eventstore {

struct PartitionLease {
  std::int32_t partition = 0;
  std::int64_t epoch = 0;
  // The last event handled; none: from the start of the log.
  std::optional<LogPosition> checkpoint;

  friend bool operator==(const PartitionLease&, const PartitionLease&) = default;
};

}  // namespace eventstore
