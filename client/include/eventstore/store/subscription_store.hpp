// Where subscriptions keep their state: members and partition leases,
// checkpoints that only move forwards and only for the lease holder, parked
// events, the lag, and the wake-up of readers when the log may have moved.
// The client implements it on the server's tables (eventstore.join_subscription
// and the functions beside it), the test kit in memory, with the same rules.
//
// Public non-virtual calls forward to protected virtual do_* (as EventStore).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/store/event_id.hpp"
#include "eventstore/store/log_position.hpp"
#include "eventstore/store/parked_event.hpp"
#include "eventstore/store/partition_lag.hpp"
#include "eventstore/store/partition_lease.hpp"
#include "eventstore/store/recorded_event.hpp"
#include "eventstore/store/result.hpp"
#include "eventstore/store/subscription_membership.hpp"

namespace eventstore {

class SubscriptionStore {
 public:
  virtual ~SubscriptionStore() = default;

  // Joins or renews the member (creating the subscription at its first
  // join) and returns the partitions it holds now. invalid_argument when the
  // subscription exists with another source or partition count.
  [[nodiscard]] Result<std::vector<PartitionLease>> join(const SubscriptionMembership& member) {
    return do_join(member);
  }
  // Moves the partition's checkpoint forwards to `position`: true when it
  // moved, false when it was there or beyond already. lease_lost when the
  // member no longer holds the partition at the lease's epoch.
  [[nodiscard]] Result<bool> acknowledge(const SubscriptionMembership& member, const PartitionLease& lease,
                                         LogPosition position) {
    return do_acknowledge(member, lease, position);
  }
  // Lets the member's partitions go.
  [[nodiscard]] Result<void> leave(const SubscriptionMembership& member) { return do_leave(member); }

  // Parks an event the handler failed on (fenced like acknowledge).
  [[nodiscard]] Result<void> park(const SubscriptionMembership& member, const PartitionLease& lease,
                                  const RecordedEvent& event, std::string_view error, std::int32_t attempts) {
    return do_park(member, lease, event, error, attempts);
  }
  // The events an operator asked to replay in the member's partitions, oldest first.
  [[nodiscard]] Result<std::vector<ParkedEvent>> parked_events_to_replay(const SubscriptionMembership& member,
                                                                         std::int32_t max_count = 100) {
    return do_parked_events_to_replay(member, max_count);
  }
  // A replayed event was handled.
  [[nodiscard]] Result<void> resolve_parked(const SubscriptionMembership& member, const PartitionLease& lease,
                                            const EventId& event_id) {
    return do_resolve_parked(member, lease, event_id);
  }

  // ---- operator commands (subscription_not_found for an unknown subscription)

  // Asks for every parked event (or one) to be handled again; returns how many.
  [[nodiscard]] Result<std::int32_t> replay_parked(std::string_view subscription,
                                                   std::optional<EventId> event_id = std::nullopt) {
    return do_replay_parked(subscription, event_id);
  }
  // Gives up on one parked event; returns 1, or 0 when it was not parked.
  [[nodiscard]] Result<std::int32_t> skip_parked(std::string_view subscription, const EventId& event_id) {
    return do_skip_parked(subscription, event_id);
  }
  // Every parked event of the subscription, in log order.
  [[nodiscard]] Result<std::vector<ParkedEvent>> parked_events(std::string_view subscription) {
    return do_parked_events(subscription);
  }
  // Moves every checkpoint to `position` (the start without it) and takes
  // every lease away: running members get lease_lost and join again.
  [[nodiscard]] Result<void> reset(std::string_view subscription, std::optional<LogPosition> position = std::nullopt) {
    return do_reset(subscription, position);
  }
  // Per partition: its checkpoint, lease, events and seconds behind, parked
  // events, and what holds readers of the log back.
  [[nodiscard]] Result<std::vector<PartitionLag>> lag(std::string_view subscription) { return do_lag(subscription); }

  // ---- wake-ups

  // The log's change counter: at once without `seen`, else once it differs
  // from `seen` or after `timeout`. Nullopt when the store has no wake-ups
  // (the server's library is not preloaded): the reader then polls, and the
  // call has slept a short while.
  [[nodiscard]] Result<std::optional<std::uint64_t>> wait_for_log(std::optional<std::uint64_t> seen,
                                                                  std::chrono::milliseconds timeout) {
    return do_wait_for_log(seen, timeout);
  }

 protected:
  SubscriptionStore() = default;
  SubscriptionStore(const SubscriptionStore&) = default;
  SubscriptionStore(SubscriptionStore&&) = default;
  SubscriptionStore& operator=(const SubscriptionStore&) = default;
  SubscriptionStore& operator=(SubscriptionStore&&) = default;

  [[nodiscard]] virtual Result<std::vector<PartitionLease>> do_join(const SubscriptionMembership& member) = 0;
  [[nodiscard]] virtual Result<bool> do_acknowledge(const SubscriptionMembership& member, const PartitionLease& lease,
                                                    LogPosition position) = 0;
  [[nodiscard]] virtual Result<void> do_leave(const SubscriptionMembership& member) = 0;
  [[nodiscard]] virtual Result<void> do_park(const SubscriptionMembership& member, const PartitionLease& lease,
                                             const RecordedEvent& event, std::string_view error,
                                             std::int32_t attempts) = 0;
  [[nodiscard]] virtual Result<std::vector<ParkedEvent>> do_parked_events_to_replay(
      const SubscriptionMembership& member, std::int32_t max_count) = 0;
  [[nodiscard]] virtual Result<void> do_resolve_parked(const SubscriptionMembership& member,
                                                       const PartitionLease& lease, const EventId& event_id) = 0;
  [[nodiscard]] virtual Result<std::int32_t> do_replay_parked(std::string_view subscription,
                                                              std::optional<EventId> event_id) = 0;
  [[nodiscard]] virtual Result<std::int32_t> do_skip_parked(std::string_view subscription, const EventId& event_id) = 0;
  [[nodiscard]] virtual Result<std::vector<ParkedEvent>> do_parked_events(std::string_view subscription) = 0;
  [[nodiscard]] virtual Result<void> do_reset(std::string_view subscription, std::optional<LogPosition> position) = 0;
  [[nodiscard]] virtual Result<std::vector<PartitionLag>> do_lag(std::string_view subscription) = 0;
  [[nodiscard]] virtual Result<std::optional<std::uint64_t>> do_wait_for_log(std::optional<std::uint64_t> seen,
                                                                             std::chrono::milliseconds timeout) = 0;
};

}  // namespace eventstore
