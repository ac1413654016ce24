// The handler thread: hands each queued event of a partition still held to
// the consumer, retrying a failure with doubling pauses and parking the
// event after the last attempt (the events after it go on: one poison event
// blocks nothing); at each page end commits the checkpoints of the
// partitions it handled events of (and of the others every join interval,
// so that an idle partition's checkpoint follows the log). A failed commit
// starts a new round: everything not committed is read again. Between
// items it replays the parked events an operator asked for.
#include <algorithm>
#include <exception>

#include "subscription_state.hpp"

namespace eventstore {
namespace {

enum class Outcome { handled, parked, dropped, stopping, start_over };

HandlerResult call_consumer(Subscription::State& state, const RecordedEvent& event, const PartitionLease& lease) {
  try {
    return state.consumer->handle(event, lease);
  } catch (const std::exception& exception) {
    return std::unexpected(std::string{"the handler threw: "} + exception.what());
  } catch (...) {
    return std::unexpected(std::string{"the handler threw something that is not a std::exception"});
  }
}

void note_handled(Subscription::State& state, const RecordedEvent& event) {
  ++state.counters.events_handled;
  std::lock_guard lock(state.last_handled_mutex);
  if (!state.last_handled || *state.last_handled < event.log_position) state.last_handled = event.log_position;
}

Outcome park(Subscription::State& state, const RecordedEvent& event, const PartitionLease& lease,
             const std::string& error, std::int32_t attempts) {
  auto backoff = state.options.retry_backoff;
  for (;;) {
    auto parked = state.store.park(state.membership, lease, event, error, attempts);
    if (parked) {
      ++state.counters.events_parked;
      return Outcome::parked;
    }
    if (parked.error().code() == ErrorCode::lease_lost) {
      ++state.counters.events_dropped_on_rebalance;
      return Outcome::dropped;
    }
    // Not parked yet: going on would lose the event.
    ++state.counters.read_errors;
    if (!state.pause_unless_stopping(backoff)) return Outcome::stopping;
    backoff = std::min(backoff * 2 + std::chrono::milliseconds{1}, state.options.max_retry_backoff);
  }
}

Outcome handle_with_retries(Subscription::State& state, const RecordedEvent& event, const PartitionLease& lease) {
  auto backoff = state.options.retry_backoff;
  std::string error;
  for (std::int32_t attempt = 1;; ++attempt) {
    HandlerResult handled = call_consumer(state, event, lease);
    if (handled) {
      note_handled(state, event);
      return Outcome::handled;
    }
    if (state.consumer->must_start_over()) {
      ++state.counters.read_errors;
      return Outcome::start_over;
    }
    ++state.counters.handler_failures;
    error = std::move(handled.error());
    if (attempt >= state.options.max_attempts) return park(state, event, lease, error, attempt);
    if (!state.pause_unless_stopping(backoff)) return Outcome::stopping;
    backoff = std::min(backoff * 2, state.options.max_retry_backoff);
  }
}

std::optional<PartitionLease> held_lease(Subscription::State& state, std::int32_t partition) {
  std::lock_guard lock(state.mutex);
  auto found = state.assignment.find(partition);
  if (found == state.assignment.end()) return std::nullopt;
  return found->second;
}

// The parked events an operator asked for, handled again (and parked again
// when they still fail).
void replay_parked_events(Subscription::State& state) {
  auto to_replay = state.store.parked_events_to_replay(state.membership, 100);
  if (!to_replay) {
    ++state.counters.read_errors;
    return;
  }
  for (const ParkedEvent& parked : *to_replay) {
    auto lease = held_lease(state, parked.partition);
    if (!lease) continue;
    auto read = state.events.read_stream(parked.stream, ReadStreamOptions{parked.version, 1});
    if (!read) {
      ++state.counters.read_errors;
      return;
    }
    bool gone = read->empty() || read->front().id != parked.event_id;
    Outcome outcome = gone ? Outcome::handled : handle_with_retries(state, read->front(), *lease);
    if (outcome == Outcome::stopping || outcome == Outcome::start_over) return;
    if (outcome != Outcome::handled) continue;
    if (auto committed = state.consumer->commit({}); !committed) {
      state.consumer->abandon();
      ++state.counters.read_errors;
      return;
    }
    if (auto resolved = state.store.resolve_parked(state.membership, *lease, parked.event_id); resolved)
      ++state.counters.parked_events_replayed;
  }
}

// A commit failed: nothing since the last commit counts, so the reader
// starts again from the checkpoints (QueueItems of the old round are dropped).
void start_new_round(Subscription::State& state) {
  state.consumer->abandon();
  std::lock_guard lock(state.mutex);
  ++state.round;
  state.rejoin_requested = true;
  state.changed.notify_all();
}

// Commits; a consumer whose commit can be repeated gets it repeated while
// it fails with a retryable error (a connection lost or killed), so that a
// flaky connection costs no event twice.
Result<void> commit_with_retries(Subscription::State& state, std::span<const PartitionCheckpoint> checkpoints) {
  auto backoff = state.options.retry_backoff;
  for (;;) {
    auto committed = state.consumer->commit(checkpoints);
    if (committed || !committed.error().retryable() || !state.consumer->commit_can_be_repeated()) return committed;
    ++state.counters.read_errors;
    if (!state.pause_unless_stopping(backoff)) return committed;
    backoff = std::min(backoff * 2 + std::chrono::milliseconds{1}, state.options.max_retry_backoff);
  }
}

}  // namespace

void run_handler(Subscription::State& state, std::stop_token) {
  // Per partition with events handled since the last commit: its lease and
  // the newest of those events (every earlier event of the partition was
  // handled, parked or is another member's: the queue keeps log order).
  std::map<std::int32_t, PartitionCheckpoint> handled_since_commit;
  auto last_full_commit = std::chrono::steady_clock::now();
  for (;;) {
    bool replay_now = false;
    {
      std::lock_guard lock(state.mutex);
      replay_now = state.replays_due && !state.stopping;
      state.replays_due = false;
    }
    if (replay_now) replay_parked_events(state);

    if (state.is_stopping()) {
      // Stop promptly: commit what was handled, each partition up to its
      // newest event handled, and leave the rest to be read again.
      std::vector<PartitionCheckpoint> checkpoints;
      for (const auto& [number, checkpoint] : handled_since_commit)
        if (state.holds(checkpoint.lease)) checkpoints.push_back(checkpoint);
      if (!checkpoints.empty()) {
        if (state.consumer->commit(checkpoints))
          ++state.counters.commits;
        else
          state.consumer->abandon();
      }
      while (state.queue.pop()) {  // until the reader has closed it
      }
      break;
    }
    auto item = state.queue.pop_for(state.options.join_interval);
    if (!item) {
      if (state.queue.closed()) break;
      continue;
    }
    state.handler_busy = true;
    bool stop_now = false;
    if (auto* queued = std::get_if<QueuedEvent>(&*item)) {
      if (queued->round == state.round) {
        if (!state.holds(queued->lease)) {
          ++state.counters.events_dropped_on_rebalance;
        } else {
          Outcome outcome = handle_with_retries(state, queued->event, queued->lease);
          if (outcome == Outcome::stopping) stop_now = true;
          if (outcome == Outcome::start_over) {
            handled_since_commit.clear();
            start_new_round(state);
            if (!state.pause_unless_stopping(state.options.retry_backoff)) stop_now = true;
          }
          if (outcome == Outcome::handled || outcome == Outcome::parked)
            handled_since_commit.insert_or_assign(queued->lease.partition,
                                                  PartitionCheckpoint{queued->lease, queued->event.log_position});
        }
      }
    } else if (auto* page_end = std::get_if<PageEnd>(&*item); page_end != nullptr && page_end->round == state.round) {
      const bool commit_every_partition =
          std::chrono::steady_clock::now() - last_full_commit >= state.options.join_interval;
      std::vector<PartitionCheckpoint> checkpoints;
      for (const PartitionLease& lease : page_end->leases)
        if ((commit_every_partition || handled_since_commit.contains(lease.partition)) && state.holds(lease))
          checkpoints.push_back(PartitionCheckpoint{lease, page_end->position});
      if (!checkpoints.empty() || !handled_since_commit.empty()) {
        auto committed = commit_with_retries(state, checkpoints);
        if (committed) {
          ++state.counters.commits;
          handled_since_commit.clear();
          if (commit_every_partition) last_full_commit = std::chrono::steady_clock::now();
        } else {
          if (committed.error().code() == ErrorCode::lease_lost)
            ++state.counters.leases_lost;
          else
            ++state.counters.read_errors;
          handled_since_commit.clear();
          start_new_round(state);
        }
      }
    }
    --state.items_in_flight;
    state.handler_busy = false;
    if (stop_now) {
      state.consumer->abandon();
      // Drain without handling: what was not committed is read again next time.
      while (auto rest = state.queue.pop()) --state.items_in_flight;
      break;
    }
  }
}

}  // namespace eventstore
