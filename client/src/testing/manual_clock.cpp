#include "eventstore/testing/manual_clock.hpp"

namespace eventstore::testing {
namespace {

// How often a waiting thread looks at the manual time. Waking the waiter from
// advance() would need the waiter's mutex there and invite lock-order
// deadlocks; a short real poll keeps the clock free of the caller's locks.
constexpr std::chrono::microseconds poll_interval{200};

}  // namespace

ManualClock::ManualClock() : ManualClock(std::chrono::steady_clock::now()) {}

ManualClock::ManualClock(time_point start) : now_(start) {}

Clock::time_point ManualClock::now() const {
  std::lock_guard guard(mutex_);
  return now_;
}

void ManualClock::sleep_for(duration pause) {
  std::lock_guard guard(mutex_);
  pauses_.push_back(pause);
  if (pause > duration::zero()) now_ += pause;
}

void ManualClock::wait_until(std::condition_variable& condition, std::unique_lock<std::mutex>& lock,
                             time_point deadline) {
  if (now() >= deadline) return;
  condition.wait_for(lock, poll_interval);
}

void ManualClock::advance(duration step) {
  std::lock_guard guard(mutex_);
  now_ += step;
}

std::vector<Clock::duration> ManualClock::pauses() const {
  std::lock_guard guard(mutex_);
  return pauses_;
}

}  // namespace eventstore::testing
