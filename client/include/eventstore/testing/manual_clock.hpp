// A Clock for tests that moves only when told to: sleep_for() advances it at
// once (and remembers the pause), advance() moves it on for threads that wait
// in wait_until(). Tests of retry pauses, circuit breaker timing and bulkhead
// queue timeouts then run in microseconds, the same way every time.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "eventstore/store/clock.hpp"

namespace eventstore::testing {

class ManualClock final : public Clock {
 public:
  // Starts at the steady clock's current time, so that deadlines derived from
  // it look plausible to code that compares them with the real clock.
  ManualClock();
  explicit ManualClock(time_point start);

  [[nodiscard]] time_point now() const override;
  // Advances the clock by `pause` instead of blocking, and records the pause.
  void sleep_for(duration pause) override;
  // Waits until notified or until advance() has moved the clock to `deadline`.
  void wait_until(std::condition_variable& condition, std::unique_lock<std::mutex>& lock, time_point deadline) override;

  // Moves the clock on; threads waiting in wait_until() notice it within a
  // fraction of a millisecond.
  void advance(duration step);
  // Every pause passed to sleep_for(), in order.
  [[nodiscard]] std::vector<duration> pauses() const;

 private:
  mutable std::mutex mutex_;
  time_point now_;
  std::vector<duration> pauses_;
};

}  // namespace eventstore::testing
