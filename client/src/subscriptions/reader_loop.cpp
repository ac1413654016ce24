// The reader thread: one cursor through the log (or the category), starting
// at the oldest checkpoint among the partitions held; it keeps the events of
// those partitions that are newer than what it queued for each, and queues
// a page end after each page. A partition taken over later moves the cursor
// back to its checkpoint (the others' events are then skipped, not queued
// twice). After a page shorter than a full one it takes the store's change
// counter before reading again, and after an empty page sleeps until the
// counter moves or wait_timeout: nothing that commits in between is missed.
#include "subscription_state.hpp"

namespace eventstore {
namespace {

std::size_t queued_size(const RecordedEvent& event) {
  return sizeof(QueueItem) + event.stream.value().size() + event.type.size() + event.data.size() +
         event.metadata.size();
}

Result<std::vector<RecordedEvent>> read_page(Subscription::State& state, std::optional<LogPosition> after) {
  const SubscriptionSource& source = state.options.source;
  if (source.category)
    return state.events.read_category(*source.category, after, state.options.page_size, source.event_types);
  return state.events.read_all(after, state.options.page_size, source.event_types);
}

// The earlier of two places to read after (none: the start of the log).
std::optional<LogPosition> earlier(std::optional<LogPosition> a, std::optional<LogPosition> b) {
  if (!a || !b) return std::nullopt;
  return std::min(*a, *b);
}

struct ReaderPlace {
  std::map<std::int32_t, PartitionLease> held;
  std::map<std::int32_t, std::optional<LogPosition>> queued_up_to;
  std::optional<LogPosition> cursor;
  bool started = false;
  std::uint64_t assignment_version = 0;
  std::uint64_t round = 0;
};

// Takes in a new assignment: partitions newly held (or held under a new
// epoch) start from their checkpoint, and the cursor goes back to the
// earliest of them.
void take_assignment(ReaderPlace& place, const std::map<std::int32_t, PartitionLease>& assignment) {
  std::map<std::int32_t, std::optional<LogPosition>> queued_up_to;
  for (const auto& [number, lease] : assignment) {
    auto before = place.held.find(number);
    if (before != place.held.end() && before->second.epoch == lease.epoch) {
      queued_up_to[number] = place.queued_up_to[number];
      continue;
    }
    queued_up_to[number] = lease.checkpoint;
    place.cursor = place.started ? earlier(place.cursor, lease.checkpoint) : lease.checkpoint;
    place.started = true;
  }
  place.held = assignment;
  place.queued_up_to = std::move(queued_up_to);
}

}  // namespace

void run_reader(Subscription::State& state, std::stop_token stop) {
  ReaderPlace place;
  std::optional<std::uint64_t> changes_seen;
  bool take_changes = true;
  auto backoff = state.options.retry_backoff;
  while (!stop.stop_requested()) {
    {
      std::unique_lock lock(state.mutex);
      // A failed commit: everything not committed is read again, from the
      // checkpoints of a fresh join.
      if (std::uint64_t round = state.round; round != place.round) {
        place = ReaderPlace{};
        place.round = round;
        state.rejoin_requested = true;
        state.changed.notify_all();
        // Until the membership has joined again: then the checkpoints are
        // fresh. Without it (the store unreachable) older ones serve: they
        // are never ahead of what was committed, so nothing is skipped.
        const std::uint64_t version = state.assignment_version;
        state.changed.wait_for(lock, state.options.wait_timeout,
                               [&] { return stop.stop_requested() || state.assignment_version != version; });
      }
      if (place.assignment_version != state.assignment_version) {
        take_assignment(place, state.assignment);
        place.assignment_version = state.assignment_version;
        take_changes = true;
      }
      if (place.held.empty()) {
        state.reader_at_head = false;
        state.changed.wait_for(lock, state.options.join_interval, [&] {
          return stop.stop_requested() || place.assignment_version != state.assignment_version;
        });
        continue;
      }
    }
    if (take_changes) {
      auto changes = state.store.wait_for_log(std::nullopt, std::chrono::milliseconds::zero());
      changes_seen = changes ? *changes : std::nullopt;
    }
    auto page = read_page(state, place.cursor);
    if (!page) {
      ++state.counters.read_errors;
      state.reader_at_head = false;
      if (!state.pause_unless_stopping(backoff)) break;
      backoff = std::min(backoff * 2 + std::chrono::milliseconds{1}, state.options.max_retry_backoff);
      continue;
    }
    backoff = state.options.retry_backoff;
    ++state.counters.pages_read;
    const std::uint64_t round = place.round;
    for (RecordedEvent& event : *page) {
      auto number = ConsumerGroup::member_for(event.stream.value(), state.options.partition_count);
      auto held = place.held.find(number);
      if (held == place.held.end()) continue;
      std::optional<LogPosition>& queued_up_to = place.queued_up_to[number];
      if (queued_up_to && event.log_position <= *queued_up_to) continue;
      queued_up_to = event.log_position;
      std::size_t bytes = queued_size(event);
      ++state.items_in_flight;
      if (!state.queue.push(QueuedEvent{std::move(event), held->second, round}, bytes)) {
        --state.items_in_flight;
        return;
      }
    }
    if (!page->empty()) {
      place.cursor = page->back().log_position;
      std::vector<PartitionLease> leases;
      for (const auto& [number, lease] : place.held) leases.push_back(lease);
      ++state.items_in_flight;
      if (!state.queue.push(PageEnd{*place.cursor, std::move(leases), round}, sizeof(QueueItem))) {
        --state.items_in_flight;
        return;
      }
    }
    const bool full_page = page->size() == static_cast<std::size_t>(state.options.page_size);
    if (!full_page && page->empty() && take_changes) {
      state.changes_at_head = changes_seen.value_or(0);
      state.has_changes_at_head = changes_seen.has_value();
      state.reader_at_head = true;
    } else {
      state.reader_at_head = false;
    }
    if (full_page) {
      take_changes = false;
      continue;
    }
    if (!page->empty() || !take_changes) {
      // Near the head: read once more, with the counter taken first.
      take_changes = true;
      continue;
    }
    auto woken = state.store.wait_for_log(changes_seen, state.options.wait_timeout);
    if (woken && *woken && changes_seen && **woken != *changes_seen) ++state.counters.wake_ups;
    if (!woken) ++state.counters.read_errors;
    take_changes = true;
  }
}

}  // namespace eventstore
