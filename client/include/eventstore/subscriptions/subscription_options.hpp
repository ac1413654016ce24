// How a subscription runs: what it reads and under which name, how its
// members share the work, how much it may buffer, and how it retries.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "eventstore/store/subscription_source.hpp"

namespace eventstore {

struct SubscriptionOptions {
  // The subscription's name (its checkpoints are kept under it): 1 to 200 of A-Z a-z 0-9 _ . : -
  std::string name;
  // This member's name, unique in the group; empty: host name, process id and a random suffix.
  std::string member;
  SubscriptionSource source;

  // Streams are split into this many partitions (fixed when the subscription
  // is created); members share them. Each stream stays in one partition, so
  // its events are handled in version order by one member at a time.
  std::int32_t partition_count = 1;
  // A member that has not renewed for this long is dead for the others,
  // which take its partitions at their next join.
  std::chrono::milliseconds lease{10'000};
  // How often a member renews its lease and picks up partitions and replays
  // (a third of the lease when zero).
  std::chrono::milliseconds join_interval{0};

  // Events per read of the log.
  std::int32_t page_size = 500;
  // The queue between the reader and the handler: the reader waits when it
  // holds this many events or bytes (payloads, names and types), so memory
  // stays bounded whatever the handler's speed.
  std::size_t queue_capacity = 2'000;
  std::size_t queue_capacity_bytes = 16 * 1024 * 1024;
  // How long a reader that caught up waits for a wake-up before reading again.
  std::chrono::milliseconds wait_timeout{1'000};

  // A failed event is tried this many times in all, the pauses doubling from
  // retry_backoff up to max_retry_backoff; then it is parked and the
  // subscription goes on with the next event.
  std::int32_t max_attempts = 5;
  std::chrono::milliseconds retry_backoff{100};
  std::chrono::milliseconds max_retry_backoff{5'000};
};

}  // namespace eventstore
