// A Clock that moves only when a test tells it to, for the cache's expiry and
// retry timing. (The test kit's ManualClock does the same; this one keeps the
// cache's tests free of the test kit's other dependencies.)
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "eventstore/store/clock.hpp"

namespace eventstore::cache::test {

class StepClock final : public Clock {
 public:
  [[nodiscard]] time_point now() const override {
    std::lock_guard lock(mutex_);
    return now_;
  }
  void sleep_for(duration pause) override { advance(pause); }
  void wait_until(std::condition_variable& condition, std::unique_lock<std::mutex>& lock,
                  time_point deadline) override {
    if (now() < deadline) condition.wait_for(lock, std::chrono::milliseconds{1});
  }
  void advance(duration step) {
    std::lock_guard lock(mutex_);
    now_ += step;
  }

 private:
  mutable std::mutex mutex_;
  time_point now_ = std::chrono::steady_clock::now();
};

}  // namespace eventstore::cache::test
