// One member of a subscription, as it joins: the subscription's name, shape
// (source and partition count: the same for every member) and the member's
// own name and lease. A member that stops renewing its lease is dead for the
// others once it expires, and its partitions move to them.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "eventstore/store/subscription_source.hpp"

namespace eventstore {

struct SubscriptionMembership {
  // 1 to 200 of A-Z a-z 0-9 _ . : -
  std::string subscription;
  // Unique among the members; 1 to 200 characters.
  std::string member;
  SubscriptionSource source;
  // Streams are split into this many partitions by consumer_group_member.
  std::int32_t partition_count = 1;
  std::chrono::milliseconds lease{10'000};
};

}  // namespace eventstore
