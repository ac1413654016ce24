// A member of a subscription: catches up from its partitions' checkpoints,
// then follows the log live, handing each event to a handler in log order
// (so each stream's events in version order), and keeps the checkpoints in
// the SubscriptionStore.
//
// Three threads: the membership (joins every join_interval: renews the
// lease, takes and lets go of partitions, notices replays), the reader
// (pages through the log from the oldest checkpoint it needs, keeps the
// events of the partitions it holds, and after an empty page sleeps until
// the store's wake-up or wait_timeout), and the handler (retries a failing
// event with backoff, then parks it and goes on). Between reader and
// handler a bounded queue: the reader waits while it is full.
//
// Delivery is at least once: after a crash, the events handled since the
// last commit are handled again. A consumer that commits its effects with
// the checkpoint (a projection) gets exactly once.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "eventstore/store/event_store.hpp"
#include "eventstore/store/partition_lease.hpp"
#include "eventstore/store/result.hpp"
#include "eventstore/store/subscription_store.hpp"
#include "eventstore/subscriptions/event_handler.hpp"
#include "eventstore/subscriptions/subscription_options.hpp"
#include "eventstore/subscriptions/subscription_statistics.hpp"

namespace eventstore {

class Subscription {
 public:
  // Joins (the first join's errors are returned: a bad name, another shape
  // of an existing subscription, the server unreachable) and starts. Each
  // partition's checkpoint is acknowledged after its events were handled.
  // `events` and `store` must outlive the subscription.
  [[nodiscard]] static Result<std::unique_ptr<Subscription>> start(EventStore& events, SubscriptionStore& store,
                                                                   SubscriptionOptions options, EventHandler handler);
  // The same with a consumer of its own (a projection commits its read model
  // with the checkpoints).
  [[nodiscard]] static Result<std::unique_ptr<Subscription>> start(EventStore& events, SubscriptionStore& store,
                                                                   SubscriptionOptions options,
                                                                   std::shared_ptr<SubscriptionConsumer> consumer);

  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;
  // Stops (see stop()).
  ~Subscription();

  // Stops reading, lets the handler finish the event in hand, commits what
  // was handled, and leaves the group so that the others take the
  // partitions at once. Idempotent.
  void stop();

  [[nodiscard]] SubscriptionStatistics statistics() const;
  // The partitions this member holds now.
  [[nodiscard]] std::vector<PartitionLease> partitions() const;
  [[nodiscard]] const std::string& member() const noexcept;
  // Waits until the member holds partitions, has read to the head of the log
  // and has handled and committed all it read; false after `timeout`.
  [[nodiscard]] bool wait_until_caught_up(std::chrono::milliseconds timeout) const;

  struct State;

 private:
  explicit Subscription(std::unique_ptr<State> state) noexcept;

  std::unique_ptr<State> state_;
};

}  // namespace eventstore
