#include "eventstore/resilience/bulkhead.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include "eventstore/store/deadline.hpp"

namespace eventstore {

Bulkhead::Bulkhead(BulkheadOptions options, Clock& clock) : options_(options), clock_(clock) {
  options_.max_concurrent_calls = std::max<std::size_t>(options_.max_concurrent_calls, 1);
}

Result<Bulkhead::Permit> Bulkhead::acquire() {
  std::unique_lock lock(mutex_);
  if (in_use_ < options_.max_concurrent_calls && queue_.empty()) {
    ++in_use_;
    ++admitted_;
    return Permit{this};
  }
  if (queue_.size() >= options_.max_queued_calls) {
    ++rejected_;
    return std::unexpected(Error{ErrorCode::bulkhead_full, "the bulkhead is full: " + std::to_string(in_use_) +
                                                               " calls inside and " + std::to_string(queue_.size()) +
                                                               " waiting"});
  }

  Clock::time_point wait_over = clock_.now() + options_.max_queue_wait;
  std::optional<Deadline> caller_deadline = DeadlineScope::current();
  bool caller_deadline_first = caller_deadline && *caller_deadline < wait_over;
  Clock::time_point give_up = caller_deadline_first ? *caller_deadline : wait_over;

  Waiter waiter;
  queue_.push_back(&waiter);
  while (!waiter.granted && clock_.now() < give_up) clock_.wait_until(place_freed_, lock, give_up);
  if (waiter.granted) {
    ++admitted_;  // release() handed over its place: in_use_ already counts it
    return Permit{this};
  }
  queue_.erase(std::find(queue_.begin(), queue_.end(), &waiter));
  ++rejected_;
  if (caller_deadline_first)
    return std::unexpected(Error{ErrorCode::timeout, "the deadline passed while waiting for a place in the bulkhead"});
  return std::unexpected(Error{ErrorCode::bulkhead_full, "no place in the bulkhead became free within " +
                                                             std::to_string(options_.max_queue_wait.count()) + " ms"});
}

void Bulkhead::release() {
  std::lock_guard guard(mutex_);
  if (queue_.empty()) {
    --in_use_;
    return;
  }
  // The place passes straight to the longest waiter, so a newcomer cannot overtake it.
  queue_.front()->granted = true;
  queue_.pop_front();
  place_freed_.notify_all();
}

BulkheadCounters Bulkhead::counters() const {
  std::lock_guard guard(mutex_);
  return BulkheadCounters{in_use_, queue_.size(), admitted_, rejected_};
}

}  // namespace eventstore
