// ManualClock: time moves only when a test moves it.
#include "eventstore/testing/manual_clock.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace eventstore {
namespace {

using namespace std::chrono_literals;
using eventstore::testing::ManualClock;

TEST(ManualClock, StandsStillUntilMoved) {
  ManualClock clock{Clock::time_point{} + 1h};
  EXPECT_EQ(clock.now(), Clock::time_point{} + 1h);
  EXPECT_EQ(clock.now(), Clock::time_point{} + 1h);
  clock.advance(5s);
  EXPECT_EQ(clock.now(), Clock::time_point{} + 1h + 5s);
}

TEST(ManualClock, SleepingMovesTheClockAndIsRecorded) {
  ManualClock clock;
  Clock::time_point start = clock.now();
  clock.sleep_for(30ms);
  clock.sleep_for(0ms);
  clock.sleep_for(70ms);
  EXPECT_EQ(clock.now() - start, Clock::duration{100ms});
  EXPECT_EQ(clock.pauses(), (std::vector<Clock::duration>{30ms, 0ms, 70ms}));
}

TEST(ManualClock, AWaitEndsWhenTheClockReachesTheDeadline) {
  ManualClock clock;
  std::mutex mutex;
  std::condition_variable condition;
  Clock::time_point deadline = clock.now() + 10s;
  std::atomic<bool> waiting = false;
  auto waiter = std::async(std::launch::async, [&] {
    std::unique_lock lock(mutex);
    waiting = true;
    while (clock.now() < deadline) clock.wait_until(condition, lock, deadline);
    return clock.now();
  });
  while (!waiting) std::this_thread::yield();
  clock.advance(9s);
  EXPECT_EQ(waiter.wait_for(0s), std::future_status::timeout);
  clock.advance(1s);
  EXPECT_EQ(waiter.get(), deadline);
}

}  // namespace
}  // namespace eventstore
