// Subscriptions in memory, beside an InMemoryEventStore: the rules of the
// server's (eventstore.join_subscription and the functions beside it) —
// partitions shared round robin among live members by leases, epochs that
// grow when a partition changes hands, checkpoints that only move forwards
// and only for the lease holder, parked events, the lag — so that the same
// subscriptions and tests run on either (the conformance suite checks it).
// Time comes from a Clock (a ManualClock in tests moves leases on by hand).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/store/clock.hpp"
#include "eventstore/store/subscription_store.hpp"
#include "eventstore/testing/in_memory_event_store.hpp"

namespace eventstore::testing {

class InMemorySubscriptionStore final : public SubscriptionStore {
 public:
  // Both must outlive this store.
  explicit InMemorySubscriptionStore(InMemoryEventStore& events, Clock& clock = Clock::system());
  InMemorySubscriptionStore(const InMemorySubscriptionStore&) = delete;
  InMemorySubscriptionStore& operator=(const InMemorySubscriptionStore&) = delete;
  ~InMemorySubscriptionStore() override;

 protected:
  [[nodiscard]] Result<std::vector<PartitionLease>> do_join(const SubscriptionMembership& member) override;
  [[nodiscard]] Result<bool> do_acknowledge(const SubscriptionMembership& member, const PartitionLease& lease,
                                            LogPosition position) override;
  [[nodiscard]] Result<void> do_leave(const SubscriptionMembership& member) override;
  [[nodiscard]] Result<void> do_park(const SubscriptionMembership& member, const PartitionLease& lease,
                                     const RecordedEvent& event, std::string_view error,
                                     std::int32_t attempts) override;
  [[nodiscard]] Result<std::vector<ParkedEvent>> do_parked_events_to_replay(const SubscriptionMembership& member,
                                                                            std::int32_t max_count) override;
  [[nodiscard]] Result<void> do_resolve_parked(const SubscriptionMembership& member, const PartitionLease& lease,
                                               const EventId& event_id) override;
  [[nodiscard]] Result<std::int32_t> do_replay_parked(std::string_view subscription,
                                                      std::optional<EventId> event_id) override;
  [[nodiscard]] Result<std::int32_t> do_skip_parked(std::string_view subscription, const EventId& event_id) override;
  [[nodiscard]] Result<std::vector<ParkedEvent>> do_parked_events(std::string_view subscription) override;
  [[nodiscard]] Result<void> do_reset(std::string_view subscription, std::optional<LogPosition> position) override;
  [[nodiscard]] Result<std::vector<PartitionLag>> do_lag(std::string_view subscription) override;
  [[nodiscard]] Result<std::optional<std::uint64_t>> do_wait_for_log(std::optional<std::uint64_t> seen,
                                                                     std::chrono::milliseconds timeout) override;

 private:
  struct Partition {
    std::string owner;  // empty: free
    Clock::time_point lease_expires_at{};
    std::int64_t epoch = 0;
    std::optional<LogPosition> checkpoint;
  };
  struct Subscription {
    SubscriptionSource source;
    std::vector<Partition> partitions;
    std::map<std::string, Clock::time_point> members;  // by name (sorted as the server sorts, bytewise)
    std::vector<ParkedEvent> parked;
  };

  [[nodiscard]] Result<Partition*> held_partition(const SubscriptionMembership& member, const PartitionLease& lease);
  [[nodiscard]] Result<Subscription*> existing(std::string_view subscription);

  InMemoryEventStore& events_;
  Clock& clock_;
  std::mutex mutex_;
  std::map<std::string, Subscription, std::less<>> subscriptions_;
};

}  // namespace eventstore::testing
