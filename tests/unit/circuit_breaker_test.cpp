// CircuitBreaker: opens on the failure rate of a sliding window, refuses fast
// while open, lets trial calls through when half-open, and counts only the
// failures that say the server is unwell. Time is a ManualClock.
#include "eventstore/resilience/circuit_breaker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <utility>
#include <vector>

#include "eventstore/testing/manual_clock.hpp"

namespace eventstore {
namespace {

using namespace std::chrono_literals;
using eventstore::testing::ManualClock;

Result<int> succeed() { return 1; }
Result<int> lose_connection() { return std::unexpected(Error{ErrorCode::connection_lost, "gone"}); }

class CircuitBreakerTest : public ::testing::Test {
 protected:
  CircuitBreakerOptions options{.failure_rate_threshold = 0.5,
                                .window_size = 10,
                                .minimum_calls = 4,
                                .open_duration = 30s,
                                .half_open_trial_calls = 2};

  void run(CircuitBreaker& breaker, Result<int> (*call)(), int times) {
    for (int i = 0; i < times; ++i) (void)breaker.call(call);
  }

  // Fails calls until the breaker opens.
  void trip(CircuitBreaker& breaker) {
    for (int i = 0; i < 100 && breaker.state() == CircuitState::closed; ++i) (void)breaker.call(lose_connection);
    ASSERT_EQ(breaker.state(), CircuitState::open);
  }
};

TEST_F(CircuitBreakerTest, StartsClosedAndStaysClosedWhileCallsSucceed) {
  ManualClock clock;
  CircuitBreaker breaker{options, clock};
  EXPECT_EQ(breaker.state(), CircuitState::closed);
  run(breaker, succeed, 50);
  EXPECT_EQ(breaker.state(), CircuitState::closed);
  CircuitBreakerCounters counters = breaker.counters();
  EXPECT_EQ(counters.successful_calls, 50u);
  EXPECT_EQ(counters.calls_in_window, 10u);
  EXPECT_EQ(counters.failures_in_window, 0u);
}

TEST_F(CircuitBreakerTest, DoesNotOpenBeforeTheMinimumNumberOfCalls) {
  ManualClock clock;
  CircuitBreaker breaker{options, clock};
  run(breaker, lose_connection, 3);
  EXPECT_EQ(breaker.state(), CircuitState::closed);
  run(breaker, lose_connection, 1);
  EXPECT_EQ(breaker.state(), CircuitState::open);
  EXPECT_EQ(breaker.counters().times_opened, 1u);
}

TEST_F(CircuitBreakerTest, OpensWhenTheFailureRateReachesTheThreshold) {
  ManualClock clock;
  CircuitBreaker breaker{options, clock};
  run(breaker, succeed, 6);
  run(breaker, lose_connection, 4);  // 4 of 10: below one half
  EXPECT_EQ(breaker.state(), CircuitState::closed);
  run(breaker, lose_connection, 1);  // the oldest success drops out: 5 of 10
  EXPECT_EQ(breaker.state(), CircuitState::open);
}

TEST_F(CircuitBreakerTest, OldOutcomesLeaveTheWindow) {
  ManualClock clock;
  CircuitBreaker breaker{options, clock};
  run(breaker, lose_connection, 1);
  run(breaker, succeed, 3);
  EXPECT_EQ(breaker.counters().failures_in_window, 1u);
  run(breaker, succeed, 6);
  EXPECT_EQ(breaker.counters().failures_in_window, 1u);
  run(breaker, succeed, 1);  // the failure was the 11th call from the end
  EXPECT_EQ(breaker.counters().failures_in_window, 0u);
  EXPECT_EQ(breaker.counters().calls_in_window, 10u);
}

TEST_F(CircuitBreakerTest, AnOpenCircuitRefusesFastWithARetryableError) {
  ManualClock clock;
  CircuitBreaker breaker{options, clock};
  trip(breaker);
  int calls = 0;
  auto refused = breaker.call([&]() -> Result<int> {
    ++calls;
    return 1;
  });
  ASSERT_FALSE(refused);
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(refused.error().code(), ErrorCode::circuit_open);
  EXPECT_TRUE(refused.error().retryable());
  EXPECT_NE(refused.error().message().find("30000 ms"), std::string::npos) << refused.error().message();
  EXPECT_EQ(breaker.counters().rejected_calls, 1u);
  clock.advance(29s);
  EXPECT_EQ(breaker.state(), CircuitState::open);
  EXPECT_FALSE(breaker.call(succeed));
  EXPECT_EQ(breaker.counters().rejected_calls, 2u);
}

TEST_F(CircuitBreakerTest, HalfOpenAfterTheOpenDurationLetsALimitedNumberOfTrialsThrough) {
  ManualClock clock;
  CircuitBreaker breaker{options, clock};
  trip(breaker);
  clock.advance(30s);
  EXPECT_EQ(breaker.state(), CircuitState::half_open);
  auto first = breaker.try_acquire();
  auto second = breaker.try_acquire();
  auto third = breaker.try_acquire();
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code(), ErrorCode::circuit_open);
  first->finish(nullptr);
  EXPECT_EQ(breaker.state(), CircuitState::half_open);
  second->finish(nullptr);
  EXPECT_EQ(breaker.state(), CircuitState::closed);
  EXPECT_EQ(breaker.counters().calls_in_window, 0u);
}

TEST_F(CircuitBreakerTest, AFailingTrialOpensTheCircuitAgainForTheWholeDuration) {
  ManualClock clock;
  CircuitBreaker breaker{options, clock};
  trip(breaker);
  clock.advance(30s);
  EXPECT_TRUE(breaker.call(succeed));
  EXPECT_FALSE(breaker.call(lose_connection));
  EXPECT_EQ(breaker.state(), CircuitState::open);
  EXPECT_EQ(breaker.counters().times_opened, 2u);
  clock.advance(29s);
  EXPECT_EQ(breaker.state(), CircuitState::open);
  clock.advance(1s);
  EXPECT_EQ(breaker.state(), CircuitState::half_open);
}

TEST_F(CircuitBreakerTest, ATrialDroppedWithoutAnOutcomeFreesItsPlace) {
  ManualClock clock;
  CircuitBreaker breaker{options, clock};
  trip(breaker);
  clock.advance(30s);
  {
    auto abandoned = breaker.try_acquire();
    ASSERT_TRUE(abandoned);
    auto held = breaker.try_acquire();
    ASSERT_TRUE(held);
    EXPECT_FALSE(breaker.try_acquire());
    held->finish(nullptr);
  }
  EXPECT_EQ(breaker.state(), CircuitState::half_open);
  EXPECT_TRUE(breaker.call(succeed));
  EXPECT_EQ(breaker.state(), CircuitState::closed);
}

TEST_F(CircuitBreakerTest, OnlyFailuresOfAnUnhealthyServerCount) {
  ManualClock clock;
  CircuitBreaker breaker{options, clock};
  for (ErrorCode code :
       {ErrorCode::wrong_expected_version, ErrorCode::invalid_json, ErrorCode::event_id_reused,
        ErrorCode::invalid_argument, ErrorCode::serialization_conflict, ErrorCode::store_not_usable,
        ErrorCode::server_error, ErrorCode::bulkhead_full, ErrorCode::circuit_open, ErrorCode::pool_exhausted}) {
    for (int i = 0; i < 5; ++i)
      (void)breaker.call([code]() -> Result<int> { return std::unexpected(Error{code, "answered"}); });
    EXPECT_EQ(breaker.state(), CircuitState::closed) << to_string(code);
    EXPECT_FALSE(indicates_unhealthy_server(Error{code, ""})) << to_string(code);
  }
  EXPECT_EQ(breaker.counters().failed_calls, 0u);
  EXPECT_EQ(breaker.counters().successful_calls, 50u);
  for (ErrorCode code : {ErrorCode::connection_lost, ErrorCode::timeout, ErrorCode::server_shutdown,
                         ErrorCode::out_of_memory, ErrorCode::internal})
    EXPECT_TRUE(indicates_unhealthy_server(Error{code, ""})) << to_string(code);
}

TEST_F(CircuitBreakerTest, WhatCountsAsFailureCanBeChosen) {
  ManualClock clock;
  options.counts_as_failure = [](const Error& error) { return error.code() == ErrorCode::serialization_conflict; };
  CircuitBreaker breaker{options, clock};
  run(breaker, lose_connection, 10);
  EXPECT_EQ(breaker.state(), CircuitState::closed);
  for (int i = 0; i < 10; ++i)
    (void)breaker.call([]() -> Result<int> { return std::unexpected(Error{ErrorCode::serialization_conflict, ""}); });
  EXPECT_EQ(breaker.state(), CircuitState::open);
}

TEST_F(CircuitBreakerTest, ReportsEveryChangeOfState) {
  ManualClock clock;
  std::vector<std::pair<CircuitState, CircuitState>> changes;
  CircuitBreaker* observed = nullptr;
  options.on_state_change = [&](CircuitState from, CircuitState to) {
    changes.emplace_back(from, to);
    // Not called under the breaker's lock: observing it from here is fine.
    EXPECT_EQ(observed->state(), to);
  };
  CircuitBreaker breaker{options, clock};
  observed = &breaker;
  trip(breaker);
  clock.advance(30s);
  run(breaker, lose_connection, 1);
  clock.advance(30s);
  run(breaker, succeed, 2);
  using enum CircuitState;
  EXPECT_EQ(changes,
            (std::vector<std::pair<CircuitState, CircuitState>>{
                {closed, open}, {open, half_open}, {half_open, open}, {open, half_open}, {half_open, closed}}));
}

TEST_F(CircuitBreakerTest, OutcomesOfCallsFromAnEarlierStateDoNotDecideTheTrials) {
  ManualClock clock;
  CircuitBreaker breaker{options, clock};
  auto slow_call = breaker.try_acquire();
  ASSERT_TRUE(slow_call);
  trip(breaker);
  clock.advance(30s);
  ASSERT_EQ(breaker.state(), CircuitState::half_open);
  Error lost{ErrorCode::connection_lost, "late"};
  slow_call->finish(&lost);
  EXPECT_EQ(breaker.state(), CircuitState::half_open);
  EXPECT_EQ(breaker.counters().failed_calls, 5u);  // four to trip it, and the late one
}

TEST_F(CircuitBreakerTest, SettingsOutOfRangeAreBroughtIntoRange) {
  ManualClock clock;
  CircuitBreaker breaker{
      {.failure_rate_threshold = 7.0, .window_size = 0, .minimum_calls = 50, .half_open_trial_calls = 0}, clock};
  EXPECT_EQ(breaker.options().failure_rate_threshold, 1.0);
  EXPECT_EQ(breaker.options().window_size, 1u);
  EXPECT_EQ(breaker.options().minimum_calls, 1u);
  EXPECT_EQ(breaker.options().half_open_trial_calls, 1u);
  run(breaker, lose_connection, 1);
  EXPECT_EQ(breaker.state(), CircuitState::open);
}

TEST_F(CircuitBreakerTest, CountersAddUpUnderConcurrentCalls) {
  ManualClock clock;
  CircuitBreaker breaker{{.failure_rate_threshold = 0.9,
                          .window_size = 50,
                          .minimum_calls = 50,
                          .open_duration = 1ms,
                          .half_open_trial_calls = 5},
                         clock};
  constexpr int threads = 4;
  constexpr int calls_per_thread = 5'000;
  std::atomic<int> refused = 0;
  {
    std::vector<std::jthread> workers;
    for (int t = 0; t < threads; ++t)
      workers.emplace_back([&, t] {
        for (int i = 0; i < calls_per_thread; ++i) {
          bool fail = (i + t) % 3 != 0 || i % 500 < 100;
          auto result = breaker.call(fail ? lose_connection : succeed);
          if (!result && result.error().code() == ErrorCode::circuit_open) ++refused;
          if (i % 100 == 0) clock.advance(1ms);
        }
      });
  }
  CircuitBreakerCounters counters = breaker.counters();
  EXPECT_EQ(counters.successful_calls + counters.failed_calls + counters.rejected_calls,
            static_cast<std::uint64_t>(threads * calls_per_thread));
  EXPECT_EQ(counters.rejected_calls, static_cast<std::uint64_t>(refused.load()));
  EXPECT_GT(counters.times_opened, 0u);
}

}  // namespace
}  // namespace eventstore
