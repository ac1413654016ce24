// The time source of the resilience components (Retry, CircuitBreaker,
// Bulkhead): what time it is, how to pause, and how to wait for a condition
// with a time limit. Clock::system() is the steady clock with real pauses;
// tests pass eventstore::testing::ManualClock to move time on by hand.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace eventstore {

class Clock {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  using duration = std::chrono::steady_clock::duration;

  virtual ~Clock() = default;

  [[nodiscard]] virtual time_point now() const = 0;
  // Blocks the calling thread for `pause`.
  virtual void sleep_for(duration pause) = 0;
  // Waits on `condition` (with `lock` held, released while waiting) until it
  // is notified or `deadline` has passed. May return early: callers check
  // their condition and now() again.
  virtual void wait_until(std::condition_variable& condition, std::unique_lock<std::mutex>& lock,
                          time_point deadline) = 0;

  // The steady clock with real pauses and waits. Thread-safe; lives forever.
  [[nodiscard]] static Clock& system() noexcept;

 protected:
  Clock() = default;
  Clock(const Clock&) = default;
  Clock& operator=(const Clock&) = default;
};

}  // namespace eventstore
