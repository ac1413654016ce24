// What a running subscription has done, read at one moment.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "eventstore/store/log_position.hpp"

namespace eventstore {

struct SubscriptionStatistics {
  std::int64_t events_handled = 0;
  std::int64_t handler_failures = 0;  // attempts that failed (retried or parked)
  std::int64_t events_parked = 0;
  std::int64_t parked_events_replayed = 0;
  // Events read for a partition that passed to another member before they
  // were handled (that member handles them).
  std::int64_t events_dropped_on_rebalance = 0;
  std::int64_t pages_read = 0;
  std::int64_t wake_ups = 0;     // waits that ended because the log moved
  std::int64_t commits = 0;      // checkpoint commits
  std::int64_t leases_lost = 0;  // commits refused because a partition changed hands
  std::int64_t read_errors = 0;  // failed reads and joins, retried
  std::int32_t partitions_held = 0;
  std::size_t queued_events = 0;
  std::size_t queued_bytes = 0;
  std::size_t max_queued_events = 0;
  std::size_t max_queued_bytes = 0;
  // The newest event handled.
  std::optional<LogPosition> last_handled;
};

}  // namespace eventstore
