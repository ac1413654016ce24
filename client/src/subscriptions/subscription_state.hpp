// What the three threads of a Subscription share (subscription.hpp): the
// options, the partitions held (guarded by `mutex`), the queue between the
// reader and the handler, and the counters.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <variant>
#include <vector>

#include "eventstore/store/event_store.hpp"
#include "eventstore/store/subscription_store.hpp"
#include "eventstore/subscriptions/detail/bounded_queue.hpp"
#include "eventstore/subscriptions/event_handler.hpp"
#include "eventstore/subscriptions/subscription.hpp"

namespace eventstore {

// An event of a partition, read under `lease`, in read round `round`.
struct QueuedEvent {
  RecordedEvent event;
  PartitionLease lease;
  std::uint64_t round;
};

// The reader got to `position` for the partitions `leases` (every event of
// theirs up to it is queued before this mark).
struct PageEnd {
  LogPosition position;
  std::vector<PartitionLease> leases;
  std::uint64_t round;
};

using QueueItem = std::variant<QueuedEvent, PageEnd>;

struct Subscription::State {
  State(EventStore& events, SubscriptionStore& store, SubscriptionOptions options,
        std::shared_ptr<SubscriptionConsumer> consumer);

  EventStore& events;
  SubscriptionStore& store;
  const SubscriptionOptions options;
  const SubscriptionMembership membership;
  const std::shared_ptr<SubscriptionConsumer> consumer;

  detail::BoundedQueue<QueueItem> queue;

  // The partitions held, by number; `assignment_version` grows with each change.
  mutable std::mutex mutex;
  std::condition_variable changed;  // an assignment, a rejoin request, or stop
  std::map<std::int32_t, PartitionLease> assignment;
  std::uint64_t assignment_version = 0;
  bool rejoin_requested = false;
  bool replays_due = false;
  bool stopping = false;

  // The reader's round: grows when what was read must be read again (a
  // commit failed); queued items of an older round are dropped.
  std::atomic<std::uint64_t> round{0};
  // The reader's last page was empty, read after it took the store's change
  // counter `changes_at_head` (when the store has one).
  std::atomic<bool> reader_at_head{false};
  std::atomic<std::uint64_t> changes_at_head{0};
  std::atomic<bool> has_changes_at_head{false};
  std::atomic<bool> handler_busy{false};
  std::atomic<std::uint64_t> items_in_flight{0};  // pushed and not yet fully handled

  struct Counters {
    std::atomic<std::int64_t> events_handled{0}, handler_failures{0}, events_parked{0}, parked_events_replayed{0},
        events_dropped_on_rebalance{0}, pages_read{0}, wake_ups{0}, commits{0}, leases_lost{0}, read_errors{0};
  } counters;
  mutable std::mutex last_handled_mutex;
  std::optional<LogPosition> last_handled;

  std::jthread membership_thread;
  std::jthread reader_thread;
  std::jthread handler_thread;

  // The lease of a partition, if it is still held under the same epoch.
  [[nodiscard]] bool holds(const PartitionLease& lease) const;
  // Sleeps for `pause` unless stop comes first; false when stopping.
  bool pause_unless_stopping(std::chrono::milliseconds pause);
  [[nodiscard]] bool is_stopping() const;
  void request_rejoin();
};

void run_membership(Subscription::State& state, std::stop_token stop);
void run_reader(Subscription::State& state, std::stop_token stop);
void run_handler(Subscription::State& state, std::stop_token stop);

// The plain consumer: a handler function, and each checkpoint acknowledged on its own.
[[nodiscard]] std::shared_ptr<SubscriptionConsumer> acknowledging_consumer(SubscriptionStore& store,
                                                                           SubscriptionMembership membership,
                                                                           EventHandler handler);

// "<host>-<pid>-<random>": unique enough among the members of a group.
[[nodiscard]] std::string default_member_name();

}  // namespace eventstore
