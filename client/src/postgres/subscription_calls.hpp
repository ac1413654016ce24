// Subscriptions on one connection: eventstore.join_subscription and the
// functions beside it (the SubscriptionStore interface on the server).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "eventstore/store/subscription_store.hpp"
#include "pq/connection.hpp"

namespace eventstore::detail {

[[nodiscard]] Result<std::vector<PartitionLease>> join_subscription(pq::Connection& connection,
                                                                    const SubscriptionMembership& member);
[[nodiscard]] Result<bool> acknowledge(pq::Connection& connection, const SubscriptionMembership& member,
                                       const PartitionLease& lease, LogPosition position);
[[nodiscard]] Result<void> leave_subscription(pq::Connection& connection, const SubscriptionMembership& member);
[[nodiscard]] Result<void> park_event(pq::Connection& connection, const SubscriptionMembership& member,
                                      const PartitionLease& lease, const RecordedEvent& event, std::string_view error,
                                      std::int32_t attempts);
[[nodiscard]] Result<std::vector<ParkedEvent>> parked_events_to_replay(pq::Connection& connection,
                                                                       const SubscriptionMembership& member,
                                                                       std::int32_t max_count);
[[nodiscard]] Result<void> resolve_parked_event(pq::Connection& connection, const SubscriptionMembership& member,
                                                const PartitionLease& lease, const EventId& event_id);
[[nodiscard]] Result<std::int32_t> replay_parked_events(pq::Connection& connection, std::string_view subscription,
                                                        std::optional<EventId> event_id);
[[nodiscard]] Result<std::int32_t> skip_parked_event(pq::Connection& connection, std::string_view subscription,
                                                     const EventId& event_id);
[[nodiscard]] Result<std::vector<ParkedEvent>> parked_events(pq::Connection& connection, std::string_view subscription);
[[nodiscard]] Result<void> reset_subscription(pq::Connection& connection, std::string_view subscription,
                                              std::optional<LogPosition> position);
[[nodiscard]] Result<std::vector<PartitionLag>> subscription_lag(pq::Connection& connection,
                                                                 std::string_view subscription);
[[nodiscard]] Result<std::optional<std::uint64_t>> wait_for_log(pq::Connection& connection,
                                                                std::optional<std::uint64_t> seen,
                                                                std::chrono::milliseconds timeout);

}  // namespace eventstore::detail
