#include "eventstore/store/clock.hpp"

#include <thread>

namespace eventstore {
namespace {

class SystemClock final : public Clock {
 public:
  [[nodiscard]] time_point now() const override { return std::chrono::steady_clock::now(); }
  void sleep_for(duration pause) override { std::this_thread::sleep_for(pause); }
  void wait_until(std::condition_variable& condition, std::unique_lock<std::mutex>& lock,
                  time_point deadline) override {
    condition.wait_until(lock, deadline);
  }
};

}  // namespace

Clock& Clock::system() noexcept {
  static SystemClock clock;
  return clock;
}

}  // namespace eventstore
