// The membership thread: joins every join_interval (at once when the
// handler asks, after a lease was lost), so the lease stays renewed however
// slow the handler is, and publishes the partitions held. When it cannot
// reach the store for a whole lease, it gives its partitions up: the others
// may have taken them by then.
#include "subscription_state.hpp"

namespace eventstore {
namespace {

bool same_assignment(const std::map<std::int32_t, PartitionLease>& held, const std::vector<PartitionLease>& leases) {
  if (held.size() != leases.size()) return false;
  for (const PartitionLease& lease : leases) {
    auto found = held.find(lease.partition);
    if (found == held.end() || found->second.epoch != lease.epoch) return false;
  }
  return true;
}

}  // namespace

void run_membership(Subscription::State& state, std::stop_token stop) {
  auto last_joined = std::chrono::steady_clock::now();
  bool forced = false;
  // After a failed join the next comes sooner (doubling from retry_backoff
  // up to the join interval): a lease must not lapse for a lost connection.
  auto next_join_in = state.options.join_interval;
  while (!stop.stop_requested()) {
    {
      std::unique_lock lock(state.mutex);
      state.changed.wait_for(lock, next_join_in, [&] { return state.rejoin_requested || stop.stop_requested(); });
      if (stop.stop_requested()) break;
      forced = state.rejoin_requested;
      state.rejoin_requested = false;
    }
    auto leases = state.store.join(state.membership);
    std::lock_guard lock(state.mutex);
    if (!leases) {
      ++state.counters.read_errors;
      next_join_in = next_join_in == state.options.join_interval
                         ? state.options.retry_backoff
                         : std::min(next_join_in * 2 + std::chrono::milliseconds{1}, state.options.join_interval);
      if (std::chrono::steady_clock::now() - last_joined >= state.options.lease && !state.assignment.empty()) {
        state.assignment.clear();
        ++state.assignment_version;
        state.changed.notify_all();
      }
      continue;
    }
    last_joined = std::chrono::steady_clock::now();
    next_join_in = state.options.join_interval;
    state.replays_due = true;
    // A forced join (the reader starts a new round) always publishes, with
    // the checkpoints as they are now.
    if (forced || !same_assignment(state.assignment, *leases)) {
      state.assignment.clear();
      for (const PartitionLease& lease : *leases) state.assignment.emplace(lease.partition, lease);
      ++state.assignment_version;
    }
    state.changed.notify_all();
  }
  // Leaving lets the others take the partitions at their next join instead
  // of after the lease.
  (void)state.store.leave(state.membership);
}

}  // namespace eventstore
