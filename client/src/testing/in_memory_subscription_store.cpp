#include "eventstore/testing/in_memory_subscription_store.hpp"

#include <algorithm>

#include "eventstore/core/consumer_group.hpp"

namespace eventstore::testing {
namespace {

bool valid_subscription_name(std::string_view name) {
  if (name.empty() || name.size() > 200) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == ':' || c == '-';
  });
}

std::string describe(const SubscriptionSource& source, std::int32_t partition_count) {
  std::string text = source.category ? "category " + *source.category : "the log";
  if (!source.event_types.empty()) {
    text += " types {";
    for (std::size_t i = 0; i < source.event_types.size(); ++i) text += (i ? "," : "") + source.event_types[i];
    text += "}";
  }
  return text + " with " + std::to_string(partition_count) + " partitions";
}

Error subscription_not_found(std::string_view subscription) {
  return Error{ErrorCode::subscription_not_found, "subscription \"" + std::string{subscription} + "\" does not exist"};
}

}  // namespace

InMemorySubscriptionStore::InMemorySubscriptionStore(InMemoryEventStore& events, Clock& clock)
    : events_(events), clock_(clock) {}

InMemorySubscriptionStore::~InMemorySubscriptionStore() = default;

Result<InMemorySubscriptionStore::Subscription*> InMemorySubscriptionStore::existing(std::string_view subscription) {
  auto found = subscriptions_.find(subscription);
  if (found == subscriptions_.end()) return std::unexpected(subscription_not_found(subscription));
  return &found->second;
}

Result<std::vector<PartitionLease>> InMemorySubscriptionStore::do_join(const SubscriptionMembership& member) {
  if (!valid_subscription_name(member.subscription))
    return std::unexpected(Error{ErrorCode::invalid_argument,
                                 "subscription_name must be 1 to 200 letters, digits, '_', '.', ':' or '-', got \"" +
                                     member.subscription + "\""});
  if (member.member.empty() || member.member.size() > 200)
    return std::unexpected(Error{ErrorCode::invalid_argument, "member must be 1 to 200 characters"});
  if (member.lease <= std::chrono::milliseconds::zero())
    return std::unexpected(Error{ErrorCode::invalid_argument, "lease must be positive"});
  if (member.partition_count < 1 || member.partition_count > 1024)
    return std::unexpected(Error{ErrorCode::invalid_argument, "partition_count must be between 1 and 1024"});

  std::lock_guard lock(mutex_);
  auto [found, created] = subscriptions_.try_emplace(member.subscription);
  Subscription& subscription = found->second;
  if (created) {
    subscription.source = member.source;
    subscription.partitions.resize(static_cast<std::size_t>(member.partition_count));
  } else if (subscription.partitions.size() != static_cast<std::size_t>(member.partition_count) ||
             !(subscription.source == member.source)) {
    return std::unexpected(
        Error{ErrorCode::invalid_argument,
              "subscription \"" + member.subscription + "\" reads " +
                  describe(subscription.source, static_cast<std::int32_t>(subscription.partitions.size())) +
                  "; this member asks for " + describe(member.source, member.partition_count)});
  }

  const Clock::time_point now = clock_.now();
  std::erase_if(subscription.members, [&](const auto& entry) { return entry.second <= now; });
  subscription.members[member.member] = now + member.lease;
  const auto rank =
      static_cast<std::size_t>(std::distance(subscription.members.begin(), subscription.members.find(member.member)));
  const std::size_t member_count = subscription.members.size();

  std::vector<PartitionLease> held;
  for (std::size_t number = 0; number < subscription.partitions.size(); ++number) {
    Partition& partition = subscription.partitions[number];
    const bool mine = number % member_count == rank;
    if (!mine) {
      if (partition.owner == member.member) partition.owner.clear();
      continue;
    }
    if (!partition.owner.empty() && partition.owner != member.member && partition.lease_expires_at > now) continue;
    if (partition.owner != member.member) ++partition.epoch;
    partition.owner = member.member;
    partition.lease_expires_at = now + member.lease;
    held.push_back(PartitionLease{static_cast<std::int32_t>(number), partition.epoch, partition.checkpoint});
  }
  return held;
}

Result<InMemorySubscriptionStore::Partition*> InMemorySubscriptionStore::held_partition(
    const SubscriptionMembership& member, const PartitionLease& lease) {
  auto subscription = existing(member.subscription);
  if (!subscription) return std::unexpected(subscription.error());
  if (lease.partition < 0 || static_cast<std::size_t>(lease.partition) >= (*subscription)->partitions.size())
    return std::unexpected(
        Error{ErrorCode::subscription_not_found,
              "subscription \"" + member.subscription + "\" has no partition " + std::to_string(lease.partition)});
  Partition& partition = (*subscription)->partitions[static_cast<std::size_t>(lease.partition)];
  if (partition.owner != member.member || partition.epoch != lease.epoch)
    return std::unexpected(Error{ErrorCode::lease_lost, "member \"" + member.member + "\" no longer holds partition " +
                                                            std::to_string(lease.partition) + " of subscription \"" +
                                                            member.subscription + "\" (epoch " +
                                                            std::to_string(lease.epoch) + ", now " +
                                                            std::to_string(partition.epoch) + ")"});
  return &partition;
}

Result<bool> InMemorySubscriptionStore::do_acknowledge(const SubscriptionMembership& member,
                                                       const PartitionLease& lease, LogPosition position) {
  std::lock_guard lock(mutex_);
  auto partition = held_partition(member, lease);
  if (!partition) return std::unexpected(partition.error());
  if ((*partition)->checkpoint && *(*partition)->checkpoint >= position) return false;
  (*partition)->checkpoint = position;
  return true;
}

Result<void> InMemorySubscriptionStore::do_leave(const SubscriptionMembership& member) {
  std::lock_guard lock(mutex_);
  auto found = subscriptions_.find(member.subscription);
  if (found == subscriptions_.end()) return {};
  for (Partition& partition : found->second.partitions)
    if (partition.owner == member.member) partition.owner.clear();
  found->second.members.erase(member.member);
  return {};
}

Result<void> InMemorySubscriptionStore::do_park(const SubscriptionMembership& member, const PartitionLease& lease,
                                                const RecordedEvent& event, std::string_view error,
                                                std::int32_t attempts) {
  std::lock_guard lock(mutex_);
  auto partition = held_partition(member, lease);
  if (!partition) return std::unexpected(partition.error());
  std::vector<ParkedEvent>& parked = subscriptions_.find(member.subscription)->second.parked;
  std::string kept_error{error.substr(0, 4000)};
  auto same = std::find_if(parked.begin(), parked.end(), [&](const ParkedEvent& p) { return p.event_id == event.id; });
  if (same != parked.end()) {
    same->error = std::move(kept_error);
    same->attempts += attempts;
    same->state = ParkedEventState::parked;
    return {};
  }
  parked.push_back(ParkedEvent{event.id, lease.partition, event.stream, event.version, event.log_position, event.type,
                               std::move(kept_error), attempts, ParkedEventState::parked});
  return {};
}

Result<std::vector<ParkedEvent>> InMemorySubscriptionStore::do_parked_events_to_replay(
    const SubscriptionMembership& member, std::int32_t max_count) {
  std::lock_guard lock(mutex_);
  std::vector<ParkedEvent> to_replay;
  auto found = subscriptions_.find(member.subscription);
  if (found == subscriptions_.end()) return to_replay;
  for (const ParkedEvent& event : found->second.parked)
    if (event.state == ParkedEventState::replay &&
        found->second.partitions[static_cast<std::size_t>(event.partition)].owner == member.member)
      to_replay.push_back(event);
  std::sort(to_replay.begin(), to_replay.end(),
            [](const ParkedEvent& a, const ParkedEvent& b) { return a.log_position < b.log_position; });
  if (to_replay.size() > static_cast<std::size_t>(std::max(max_count, 0)))
    to_replay.erase(to_replay.begin() + std::max(max_count, 0), to_replay.end());
  return to_replay;
}

Result<void> InMemorySubscriptionStore::do_resolve_parked(const SubscriptionMembership& member,
                                                          const PartitionLease& lease, const EventId& event_id) {
  std::lock_guard lock(mutex_);
  auto partition = held_partition(member, lease);
  if (!partition) return std::unexpected(partition.error());
  for (ParkedEvent& event : subscriptions_.find(member.subscription)->second.parked)
    if (event.event_id == event_id) event.state = ParkedEventState::replayed;
  return {};
}

Result<std::int32_t> InMemorySubscriptionStore::do_replay_parked(std::string_view subscription,
                                                                 std::optional<EventId> event_id) {
  std::lock_guard lock(mutex_);
  auto found = existing(subscription);
  if (!found) return std::unexpected(found.error());
  std::int32_t changed = 0;
  for (ParkedEvent& event : (*found)->parked)
    if (event.state == ParkedEventState::parked && (!event_id || event.event_id == *event_id)) {
      event.state = ParkedEventState::replay;
      ++changed;
    }
  return changed;
}

Result<std::int32_t> InMemorySubscriptionStore::do_skip_parked(std::string_view subscription, const EventId& event_id) {
  std::lock_guard lock(mutex_);
  auto found = existing(subscription);
  if (!found) return std::unexpected(found.error());
  std::int32_t changed = 0;
  for (ParkedEvent& event : (*found)->parked)
    if (event.event_id == event_id &&
        (event.state == ParkedEventState::parked || event.state == ParkedEventState::replay)) {
      event.state = ParkedEventState::skipped;
      ++changed;
    }
  return changed;
}

Result<std::vector<ParkedEvent>> InMemorySubscriptionStore::do_parked_events(std::string_view subscription) {
  std::lock_guard lock(mutex_);
  auto found = subscriptions_.find(subscription);
  if (found == subscriptions_.end()) return std::vector<ParkedEvent>{};
  std::vector<ParkedEvent> parked = found->second.parked;
  std::sort(parked.begin(), parked.end(),
            [](const ParkedEvent& a, const ParkedEvent& b) { return a.log_position < b.log_position; });
  return parked;
}

Result<void> InMemorySubscriptionStore::do_reset(std::string_view subscription, std::optional<LogPosition> position) {
  std::lock_guard lock(mutex_);
  auto found = existing(subscription);
  if (!found) return std::unexpected(found.error());
  for (Partition& partition : (*found)->partitions) {
    partition.checkpoint = position;
    partition.owner.clear();
    ++partition.epoch;
  }
  return {};
}

Result<std::vector<PartitionLag>> InMemorySubscriptionStore::do_lag(std::string_view subscription) {
  std::vector<PartitionLag> lags;
  SubscriptionSource source;
  {
    std::lock_guard lock(mutex_);
    auto found = existing(subscription);
    if (!found) return std::unexpected(found.error());
    source = (*found)->source;
    for (std::size_t number = 0; number < (*found)->partitions.size(); ++number) {
      const Partition& partition = (*found)->partitions[number];
      PartitionLag lag;
      lag.partition = static_cast<std::int32_t>(number);
      lag.owner = partition.owner;
      lag.epoch = partition.epoch;
      lag.checkpoint = partition.checkpoint;
      for (const ParkedEvent& event : (*found)->parked)
        if (event.partition == lag.partition &&
            (event.state == ParkedEventState::parked || event.state == ParkedEventState::replay))
          ++lag.parked_events;
      lags.push_back(std::move(lag));
    }
  }
  // Counted over what a reader of the log would see (the in-memory log holds nobody back).
  const auto partition_count = static_cast<std::int32_t>(lags.size());
  const auto now = std::chrono::system_clock::now();
  for (const RecordedEvent& event : events_.recorded_events()) {
    if (source.category && event.stream.category() != *source.category) continue;
    if (!source.event_types.empty() &&
        std::find(source.event_types.begin(), source.event_types.end(), event.type) == source.event_types.end())
      continue;
    PartitionLag& lag =
        lags[static_cast<std::size_t>(core::consumer_group_member(event.stream.value(), partition_count))];
    if (lag.checkpoint && event.log_position <= *lag.checkpoint) continue;
    if (lag.events_behind++ == 0)
      lag.seconds_behind = std::max(0.0, std::chrono::duration<double>(now - event.created_at).count());
  }
  return lags;
}

Result<std::optional<std::uint64_t>> InMemorySubscriptionStore::do_wait_for_log(std::optional<std::uint64_t> seen,
                                                                                std::chrono::milliseconds timeout) {
  if (!seen || timeout <= std::chrono::milliseconds::zero()) return std::optional<std::uint64_t>{events_.log_changes()};
  return std::optional<std::uint64_t>{events_.wait_for_log_change(*seen, timeout)};
}

}  // namespace eventstore::testing
