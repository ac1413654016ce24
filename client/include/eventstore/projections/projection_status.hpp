// Where a projection version stands: how much it handled, how fast, how far
// behind the log it is, and when it will have caught up at that pace.
#pragma once

#include <cstdint>
#include <optional>

#include "eventstore/subscriptions/subscription_statistics.hpp"

namespace eventstore {

struct ProjectionStatus {
  int version = 0;
  // The version that serves (promote()); nullopt before any promote.
  std::optional<int> served_version;
  std::int64_t events_handled = 0;
  // Events handled per second over the last few seconds.
  double events_per_second = 0;
  // Events of its source after its checkpoints.
  std::int64_t events_behind = 0;
  // events_behind at events_per_second; nullopt when not moving.
  std::optional<double> seconds_to_catch_up;
  bool replaying = false;  // still before the head of the log at its first start
  SubscriptionStatistics subscription;
};

}  // namespace eventstore
