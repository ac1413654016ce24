#include "eventstore/subscriptions/subscription.hpp"

#include <thread>

#include "subscription_state.hpp"

namespace eventstore {
namespace {

SubscriptionMembership membership_of(const SubscriptionOptions& options) {
  return SubscriptionMembership{options.name, options.member, options.source, options.partition_count, options.lease};
}

Result<void> check_options(const SubscriptionOptions& options) {
  auto refuse = [](std::string why) { return std::unexpected(Error{ErrorCode::invalid_argument, std::move(why)}); };
  if (options.page_size < 1) return refuse("page_size must be at least 1");
  if (options.max_attempts < 1) return refuse("max_attempts must be at least 1");
  if (options.queue_capacity < 1) return refuse("queue_capacity must be at least 1");
  if (options.lease <= std::chrono::milliseconds::zero()) return refuse("lease must be positive");
  if (options.join_interval < std::chrono::milliseconds::zero() || options.join_interval >= options.lease)
    return refuse("join_interval must be shorter than the lease");
  if (options.wait_timeout <= std::chrono::milliseconds::zero()) return refuse("wait_timeout must be positive");
  if (options.retry_backoff < std::chrono::milliseconds::zero() || options.max_retry_backoff < options.retry_backoff)
    return refuse("retry_backoff must be >= 0 and max_retry_backoff >= retry_backoff");
  return {};
}

}  // namespace

Subscription::State::State(EventStore& events_, SubscriptionStore& store_, SubscriptionOptions options_,
                           std::shared_ptr<SubscriptionConsumer> consumer_)
    : events(events_),
      store(store_),
      options(std::move(options_)),
      membership(membership_of(options)),
      consumer(std::move(consumer_)),
      queue(options.queue_capacity, options.queue_capacity_bytes) {}

bool Subscription::State::holds(const PartitionLease& lease) const {
  std::lock_guard lock(mutex);
  auto found = assignment.find(lease.partition);
  return found != assignment.end() && found->second.epoch == lease.epoch;
}

bool Subscription::State::is_stopping() const {
  std::lock_guard lock(mutex);
  return stopping;
}

bool Subscription::State::pause_unless_stopping(std::chrono::milliseconds pause) {
  std::unique_lock lock(mutex);
  changed.wait_for(lock, pause, [&] { return stopping; });
  return !stopping;
}

void Subscription::State::request_rejoin() {
  std::lock_guard lock(mutex);
  rejoin_requested = true;
  changed.notify_all();
}

Result<std::unique_ptr<Subscription>> Subscription::start(EventStore& events, SubscriptionStore& store,
                                                          SubscriptionOptions options, EventHandler handler) {
  if (!handler) return std::unexpected(Error{ErrorCode::invalid_argument, "the subscription has no handler"});
  if (options.member.empty()) options.member = default_member_name();
  auto consumer = acknowledging_consumer(store, membership_of(options), std::move(handler));
  return start(events, store, std::move(options), std::move(consumer));
}

Result<std::unique_ptr<Subscription>> Subscription::start(EventStore& events, SubscriptionStore& store,
                                                          SubscriptionOptions options,
                                                          std::shared_ptr<SubscriptionConsumer> consumer) {
  if (!consumer) return std::unexpected(Error{ErrorCode::invalid_argument, "the subscription has no consumer"});
  if (options.member.empty()) options.member = default_member_name();
  if (options.join_interval == std::chrono::milliseconds::zero()) options.join_interval = options.lease / 3;
  if (auto checked = check_options(options); !checked) return std::unexpected(checked.error());
  auto state = std::make_unique<State>(events, store, std::move(options), std::move(consumer));
  auto leases = store.join(state->membership);
  if (!leases) return std::unexpected(leases.error());
  for (const PartitionLease& lease : *leases) state->assignment.emplace(lease.partition, lease);
  state->assignment_version = 1;
  state->replays_due = true;
  State& shared = *state;
  state->handler_thread = std::jthread([&shared](std::stop_token stop) { run_handler(shared, stop); });
  state->reader_thread = std::jthread([&shared](std::stop_token stop) { run_reader(shared, stop); });
  state->membership_thread = std::jthread([&shared](std::stop_token stop) { run_membership(shared, stop); });
  return std::unique_ptr<Subscription>(new Subscription(std::move(state)));
}

Subscription::Subscription(std::unique_ptr<State> state) noexcept : state_(std::move(state)) {}

Subscription::~Subscription() { stop(); }

void Subscription::stop() {
  if (!state_) return;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->stopping && !state_->reader_thread.joinable()) return;
    state_->stopping = true;
    state_->changed.notify_all();
  }
  // The reader first (nothing more is queued), then the handler drains what
  // was read, then the membership leaves.
  state_->reader_thread.request_stop();
  state_->queue.close();
  if (state_->reader_thread.joinable()) state_->reader_thread.join();
  if (state_->handler_thread.joinable()) state_->handler_thread.join();
  state_->membership_thread.request_stop();
  if (state_->membership_thread.joinable()) state_->membership_thread.join();
}

SubscriptionStatistics Subscription::statistics() const {
  const State& state = *state_;
  SubscriptionStatistics statistics;
  statistics.events_handled = state.counters.events_handled;
  statistics.handler_failures = state.counters.handler_failures;
  statistics.events_parked = state.counters.events_parked;
  statistics.parked_events_replayed = state.counters.parked_events_replayed;
  statistics.events_dropped_on_rebalance = state.counters.events_dropped_on_rebalance;
  statistics.pages_read = state.counters.pages_read;
  statistics.wake_ups = state.counters.wake_ups;
  statistics.commits = state.counters.commits;
  statistics.leases_lost = state.counters.leases_lost;
  statistics.read_errors = state.counters.read_errors;
  {
    std::lock_guard lock(state.mutex);
    statistics.partitions_held = static_cast<std::int32_t>(state.assignment.size());
  }
  auto occupancy = state.queue.occupancy();
  statistics.queued_events = occupancy.items;
  statistics.queued_bytes = occupancy.bytes;
  statistics.max_queued_events = occupancy.max_items;
  statistics.max_queued_bytes = occupancy.max_bytes;
  std::lock_guard lock(state.last_handled_mutex);
  statistics.last_handled = state.last_handled;
  return statistics;
}

std::vector<PartitionLease> Subscription::partitions() const {
  std::lock_guard lock(state_->mutex);
  std::vector<PartitionLease> held;
  for (const auto& [number, lease] : state_->assignment) held.push_back(lease);
  return held;
}

const std::string& Subscription::member() const noexcept { return state_->membership.member; }

bool Subscription::wait_until_caught_up(std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  // Caught up: the reader found the head with every partition it holds (and
  // the store's change counter has not moved since), and everything it
  // queued was handled and committed; twice in a row, a few milliseconds
  // apart, so that a page read in between is noticed.
  int stable = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    bool idle = state_->reader_at_head && state_->items_in_flight == 0 && !state_->handler_busy;
    if (idle && state_->has_changes_at_head) {
      // Nothing appended since the reader's empty page.
      auto changes = state_->store.wait_for_log(std::nullopt, std::chrono::milliseconds::zero());
      idle = changes && *changes && **changes == state_->changes_at_head;
    }
    {
      std::lock_guard lock(state_->mutex);
      idle = idle && !state_->assignment.empty() && !state_->rejoin_requested;
    }
    stable = idle ? stable + 1 : 0;
    if (stable >= 2) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds{5});
  }
  return false;
}

}  // namespace eventstore
