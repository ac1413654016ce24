// Bulkhead: at most N calls inside, a bounded first-come-first-served queue
// with a wait limit, refusals with bulkhead_full. Time is a ManualClock;
// threads wait for each other by watching the counters, never by sleeping.
#include "eventstore/resilience/bulkhead.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "eventstore/store/deadline.hpp"
#include "eventstore/testing/manual_clock.hpp"

namespace eventstore {
namespace {

using namespace std::chrono_literals;
using eventstore::testing::ManualClock;

// Yields until `condition` holds (or fails the test after a generous real-time limit).
template <class Condition>
void wait_for(Condition condition) {
  auto give_up = std::chrono::steady_clock::now() + 10s;
  while (!condition()) {
    ASSERT_LT(std::chrono::steady_clock::now(), give_up) << "the condition never came true";
    std::this_thread::yield();
  }
}

// The result of a call waiting in another thread. If it does not come, the
// clock is moved far on to release the waiter, so that the test fails rather
// than hangs.
template <class Value>
std::optional<Value> result_of(std::future<Value>& waiting, ManualClock& clock) {
  if (waiting.wait_for(10s) != std::future_status::ready) {
    ADD_FAILURE() << "the waiting call did not return";
    clock.advance(24h);
    waiting.wait();
    return std::nullopt;
  }
  return waiting.get();
}

TEST(Bulkhead, AdmitsUpToTheLimitAndRefusesWhenTheQueueIsFull) {
  ManualClock clock;
  Bulkhead bulkhead{{.max_concurrent_calls = 2, .max_queued_calls = 0}, clock};
  auto first = bulkhead.acquire();
  auto second = bulkhead.acquire();
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  auto third = bulkhead.acquire();
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code(), ErrorCode::bulkhead_full);
  EXPECT_TRUE(third.error().retryable());
  BulkheadCounters counters = bulkhead.counters();
  EXPECT_EQ(counters.in_use, 2u);
  EXPECT_EQ(counters.queued, 0u);
  EXPECT_EQ(counters.admitted, 2u);
  EXPECT_EQ(counters.rejected, 1u);
}

TEST(Bulkhead, APlaceIsGivenBackWhenTheCallReturns) {
  ManualClock clock;
  Bulkhead bulkhead{{.max_concurrent_calls = 1, .max_queued_calls = 0}, clock};
  for (int i = 0; i < 5; ++i) {
    auto result = bulkhead.call([&]() -> Result<std::size_t> { return bulkhead.counters().in_use; });
    ASSERT_TRUE(result) << result.error().describe();
    EXPECT_EQ(*result, 1u);
  }
  EXPECT_EQ(bulkhead.counters().in_use, 0u);
  EXPECT_EQ(bulkhead.counters().admitted, 5u);
}

TEST(Bulkhead, AQueuedCallGetsTheNextFreePlace) {
  ManualClock clock;
  Bulkhead bulkhead{{.max_concurrent_calls = 1, .max_queued_calls = 1, .max_queue_wait = 1s}, clock};
  std::optional<Result<Bulkhead::Permit>> holder{bulkhead.acquire()};
  ASSERT_TRUE(*holder);
  auto waiting = std::async(std::launch::async, [&] { return bulkhead.call([]() -> Result<int> { return 7; }); });
  wait_for([&] { return bulkhead.counters().queued == 1; });
  // The queue is full now.
  auto refused = bulkhead.acquire();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::bulkhead_full);
  holder.reset();
  auto result = result_of(waiting, clock);
  ASSERT_TRUE(result && *result) << (result ? result->error().describe() : "");
  EXPECT_EQ(**result, 7);
  EXPECT_EQ(bulkhead.counters().in_use, 0u);
  EXPECT_EQ(bulkhead.counters().queued, 0u);
}

TEST(Bulkhead, WaitersAreServedInTheOrderTheyCame) {
  ManualClock clock;
  Bulkhead bulkhead{{.max_concurrent_calls = 1, .max_queued_calls = 3, .max_queue_wait = 1s}, clock};
  std::optional<Result<Bulkhead::Permit>> holder{bulkhead.acquire()};
  ASSERT_TRUE(*holder);
  std::mutex order_mutex;
  std::vector<int> order;
  std::vector<std::jthread> waiters;
  for (int i = 0; i < 3; ++i) {
    waiters.emplace_back([&, i] {
      auto result = bulkhead.call([&]() -> Result<void> {
        std::lock_guard guard(order_mutex);
        order.push_back(i);
        return {};
      });
      EXPECT_TRUE(result);
    });
    wait_for([&] { return bulkhead.counters().queued == static_cast<std::size_t>(i) + 1; });
  }
  holder.reset();
  waiters.clear();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
}

TEST(Bulkhead, AWaitEndsWithBulkheadFullAfterMaxQueueWait) {
  ManualClock clock;
  Bulkhead bulkhead{{.max_concurrent_calls = 1, .max_queued_calls = 4, .max_queue_wait = 500ms}, clock};
  auto holder = bulkhead.acquire();
  ASSERT_TRUE(holder);
  auto waiting = std::async(std::launch::async, [&] { return bulkhead.call([]() -> Result<int> { return 1; }); });
  wait_for([&] { return bulkhead.counters().queued == 1; });
  clock.advance(499ms);
  EXPECT_EQ(waiting.wait_for(0s), std::future_status::timeout);
  clock.advance(1ms);
  auto result = result_of(waiting, clock);
  ASSERT_TRUE(result && !*result);
  EXPECT_EQ(result->error().code(), ErrorCode::bulkhead_full);
  BulkheadCounters counters = bulkhead.counters();
  EXPECT_EQ(counters.queued, 0u);
  EXPECT_EQ(counters.in_use, 1u);
  EXPECT_EQ(counters.rejected, 1u);
}

TEST(Bulkhead, AWaitEndsWithTimeoutAtTheCallersDeadline) {
  ManualClock clock;
  Bulkhead bulkhead{{.max_concurrent_calls = 1, .max_queued_calls = 4, .max_queue_wait = 10s}, clock};
  auto holder = bulkhead.acquire();
  ASSERT_TRUE(holder);
  Deadline deadline = clock.now() + 100ms;
  auto waiting = std::async(std::launch::async, [&] {
    DeadlineScope scope{deadline};
    return bulkhead.call([]() -> Result<int> { return 1; });
  });
  wait_for([&] { return bulkhead.counters().queued == 1; });
  clock.advance(100ms);
  auto result = result_of(waiting, clock);
  ASSERT_TRUE(result && !*result);
  EXPECT_EQ(result->error().code(), ErrorCode::timeout);

  // A deadline already passed refuses without queueing.
  DeadlineScope passed{clock.now() - 1ms};
  auto late = bulkhead.acquire();
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code(), ErrorCode::timeout);
}

TEST(Bulkhead, NeverMoreCallsInsideThanAllowed) {
  Bulkhead bulkhead{{.max_concurrent_calls = 3, .max_queued_calls = 100, .max_queue_wait = 60'000ms}};
  std::atomic<int> inside = 0;
  std::atomic<int> most_inside = 0;
  std::atomic<int> completed = 0;
  {
    std::vector<std::jthread> workers;
    for (int t = 0; t < 8; ++t)
      workers.emplace_back([&] {
        for (int i = 0; i < 500; ++i) {
          auto result = bulkhead.call([&]() -> Result<void> {
            int now_inside = ++inside;
            int most = most_inside.load();
            while (now_inside > most && !most_inside.compare_exchange_weak(most, now_inside)) {
            }
            std::this_thread::yield();
            --inside;
            return {};
          });
          if (result) ++completed;
        }
      });
  }
  EXPECT_EQ(completed.load(), 8 * 500);
  EXPECT_LE(most_inside.load(), 3);
  EXPECT_GE(most_inside.load(), 1);
  BulkheadCounters counters = bulkhead.counters();
  EXPECT_EQ(counters.in_use, 0u);
  EXPECT_EQ(counters.admitted, 8u * 500u);
  EXPECT_EQ(counters.rejected, 0u);
}

}  // namespace
}  // namespace eventstore
