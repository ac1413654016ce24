// Retry: exponential backoff with full jitter, only for errors that may
// succeed when tried again, within max attempts and the deadline. Time is a
// ManualClock, so no test waits.
#include "eventstore/resilience/retry.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>
#include <vector>

#include "eventstore/testing/manual_clock.hpp"

namespace eventstore {
namespace {

using namespace std::chrono_literals;
using eventstore::testing::ManualClock;

// A call that fails with the given codes, in order, and then succeeds with its attempt number.
class ScriptedCall {
 public:
  explicit ScriptedCall(std::vector<ErrorCode> failures) : failures_(std::move(failures)) {}

  Result<int> operator()() {
    ++calls_;
    if (static_cast<std::size_t>(calls_) <= failures_.size())
      return std::unexpected(Error{failures_[static_cast<std::size_t>(calls_) - 1], "scripted failure"});
    return calls_;
  }

  [[nodiscard]] int calls() const { return calls_; }

 private:
  std::vector<ErrorCode> failures_;
  int calls_ = 0;
};

// The largest value a UniformRandom may return: the pause is then the ceiling.
const double largest_below_one = std::nextafter(1.0, 0.0);

UniformRandom always(double value) {
  return [value] { return value; };
}

TEST(Retry, ASuccessIsReturnedAtOnce) {
  ManualClock clock;
  Retry retry{{}, clock, always(0.5)};
  ScriptedCall call{{}};
  auto result = retry.call(call);
  ASSERT_TRUE(result);
  EXPECT_EQ(*result, 1);
  EXPECT_EQ(call.calls(), 1);
  EXPECT_TRUE(clock.pauses().empty());
}

TEST(Retry, RetryableErrorsAreRetriedUntilTheCallSucceeds) {
  ManualClock clock;
  Retry retry{{.max_attempts = 5}, clock, always(0.5)};
  ScriptedCall call{
      {ErrorCode::connection_lost, ErrorCode::serialization_conflict, ErrorCode::timeout, ErrorCode::server_shutdown}};
  auto result = retry.call(call);
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(*result, 5);
  EXPECT_EQ(clock.pauses().size(), 4u);
}

TEST(Retry, RefusalsOfTheOtherComponentsAndAFullPoolAreRetried) {
  for (ErrorCode code : {ErrorCode::circuit_open, ErrorCode::bulkhead_full, ErrorCode::pool_exhausted}) {
    ManualClock clock;
    Retry retry{{}, clock, always(0.5)};
    ScriptedCall call{{code}};
    EXPECT_TRUE(retry.call(call)) << to_string(code);
    EXPECT_EQ(call.calls(), 2) << to_string(code);
  }
}

TEST(Retry, ErrorsThatWouldRepeatThemselvesAreReturnedAtOnce) {
  for (ErrorCode code :
       {ErrorCode::wrong_expected_version, ErrorCode::invalid_stream_name, ErrorCode::invalid_event_type,
        ErrorCode::invalid_expected_version, ErrorCode::event_too_large, ErrorCode::too_many_events,
        ErrorCode::no_events, ErrorCode::duplicate_event_id, ErrorCode::invalid_argument, ErrorCode::event_id_reused,
        ErrorCode::null_value, ErrorCode::invalid_json, ErrorCode::store_not_usable, ErrorCode::out_of_memory,
        ErrorCode::internal, ErrorCode::server_error}) {
    ManualClock clock;
    Retry retry{{.max_attempts = 10}, clock, always(0.5)};
    ScriptedCall call{{code}};
    auto result = retry.call(call);
    ASSERT_FALSE(result) << to_string(code);
    EXPECT_EQ(result.error().code(), code);
    EXPECT_EQ(call.calls(), 1) << to_string(code);
    EXPECT_TRUE(clock.pauses().empty());
  }
}

TEST(Retry, StopsAfterMaxAttemptsWithTheLastError) {
  ManualClock clock;
  Retry retry{{.max_attempts = 3}, clock, always(0.5)};
  ScriptedCall call{{ErrorCode::timeout, ErrorCode::timeout, ErrorCode::connection_lost, ErrorCode::timeout}};
  auto result = retry.call(call);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::connection_lost);
  EXPECT_EQ(call.calls(), 3);
  EXPECT_EQ(clock.pauses().size(), 2u);
}

TEST(Retry, OneAttemptMeansNoRetry) {
  ManualClock clock;
  Retry retry{{.max_attempts = 1}, clock, always(0.5)};
  ScriptedCall call{{ErrorCode::timeout}};
  EXPECT_FALSE(retry.call(call));
  EXPECT_EQ(call.calls(), 1);
}

TEST(Retry, CeilingsDoubleFromTheBaseUpToTheCap) {
  ManualClock clock;
  Retry retry{{.base_delay = 50ms, .max_delay = 1'000ms}, clock};
  std::vector<Clock::duration> expected = {50ms, 100ms, 200ms, 400ms, 800ms, 1'000ms, 1'000ms};
  for (int retry_number = 1; retry_number <= 7; ++retry_number)
    EXPECT_EQ(retry.pause_ceiling(retry_number), expected[static_cast<std::size_t>(retry_number) - 1]) << retry_number;
  // Far beyond 2^63 the ceiling stays at the cap.
  EXPECT_EQ(retry.pause_ceiling(500), Clock::duration{1'000ms});
}

TEST(Retry, FullJitterSpansZeroToTheCeiling) {
  std::vector<ErrorCode> failures(6, ErrorCode::connection_lost);
  {
    ManualClock clock;
    Retry retry{{.max_attempts = 7, .base_delay = 10ms, .max_delay = 100ms}, clock, always(largest_below_one)};
    ScriptedCall call{failures};
    ASSERT_TRUE(retry.call(call));
    EXPECT_EQ(clock.pauses(), (std::vector<Clock::duration>{10ms, 20ms, 40ms, 80ms, 100ms, 100ms}));
  }
  {
    ManualClock clock;
    Retry retry{{.max_attempts = 7, .base_delay = 10ms, .max_delay = 100ms}, clock, always(0.0)};
    ScriptedCall call{failures};
    ASSERT_TRUE(retry.call(call));
    EXPECT_EQ(clock.pauses(), std::vector<Clock::duration>(6, Clock::duration::zero()));
  }
}

TEST(Retry, SeededJitterIsSpreadOutAndReproducible) {
  auto pauses_with_seed = [](std::uint64_t seed) {
    ManualClock clock;
    Retry retry{{.max_attempts = 41, .base_delay = 100ms, .max_delay = 100ms}, clock, seeded_uniform_random(seed)};
    ScriptedCall call{std::vector<ErrorCode>(40, ErrorCode::timeout)};
    EXPECT_TRUE(retry.call(call));
    return clock.pauses();
  };
  std::vector<Clock::duration> pauses = pauses_with_seed(7);
  ASSERT_EQ(pauses.size(), 40u);
  for (Clock::duration pause : pauses) {
    EXPECT_GE(pause, Clock::duration::zero());
    EXPECT_LE(pause, Clock::duration{100ms});
  }
  // Full jitter: spread over the whole range, not clustered near the ceiling.
  EXPECT_LT(*std::min_element(pauses.begin(), pauses.end()), Clock::duration{25ms});
  EXPECT_GT(*std::max_element(pauses.begin(), pauses.end()), Clock::duration{75ms});
  EXPECT_EQ(std::set<Clock::duration>(pauses.begin(), pauses.end()).size(), pauses.size());
  EXPECT_EQ(pauses_with_seed(7), pauses);
  EXPECT_NE(pauses_with_seed(8), pauses);
}

TEST(Retry, NoPauseThatWouldEndAfterTheTotalTimeout) {
  ManualClock clock;
  Clock::time_point start = clock.now();
  Retry retry{{.max_attempts = 100, .base_delay = 100ms, .max_delay = 100ms, .total_timeout = 350ms},
              clock,
              always(largest_below_one)};
  ScriptedCall call{std::vector<ErrorCode>(100, ErrorCode::connection_lost)};
  auto result = retry.call(call);
  ASSERT_FALSE(result);
  // The error in hand, not a timeout of the retry's own making.
  EXPECT_EQ(result.error().code(), ErrorCode::connection_lost);
  EXPECT_EQ(call.calls(), 4);  // at 0, 100, 200 and 300 ms; a pause to 400 ms would pass the deadline
  EXPECT_EQ(clock.now() - start, Clock::duration{300ms});
}

TEST(Retry, AttemptsRunWithinTheTotalTimeoutAsADeadline) {
  ManualClock clock;
  Deadline expected_deadline = clock.now() + 2s;
  Retry retry{{.total_timeout = 2'000ms}, clock, always(0.5)};
  std::vector<std::optional<Deadline>> seen;
  auto result = retry.call([&]() -> Result<int> {
    seen.push_back(DeadlineScope::current());
    if (seen.size() < 3) return std::unexpected(Error{ErrorCode::timeout, "slow"});
    return 1;
  });
  ASSERT_TRUE(result);
  ASSERT_EQ(seen.size(), 3u);
  for (const auto& deadline : seen) EXPECT_EQ(deadline, expected_deadline);
  EXPECT_EQ(DeadlineScope::current(), std::nullopt);
}

TEST(Retry, AnEnclosingDeadlineScopeLimitsTheRetries) {
  ManualClock clock;
  DeadlineScope scope{clock.now() + 250ms};
  Retry retry{{.max_attempts = 100, .base_delay = 100ms, .max_delay = 100ms}, clock, always(largest_below_one)};
  ScriptedCall call{std::vector<ErrorCode>(100, ErrorCode::serialization_conflict)};
  auto result = retry.call(call);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::serialization_conflict);
  EXPECT_EQ(call.calls(), 3);  // at 0, 100 and 200 ms
}

TEST(Retry, TheEarlierOfTotalTimeoutAndDeadlineScopeWins) {
  ManualClock clock;
  DeadlineScope scope{clock.now() + 10s};
  Retry retry{{.max_attempts = 100, .base_delay = 100ms, .max_delay = 100ms, .total_timeout = 150ms},
              clock,
              always(largest_below_one)};
  ScriptedCall call{std::vector<ErrorCode>(100, ErrorCode::timeout)};
  EXPECT_FALSE(retry.call(call));
  EXPECT_EQ(call.calls(), 2);
}

TEST(Retry, RetryOnNarrowsButNeverWidens) {
  ManualClock clock;
  Retry only_lost_connections{
      {.retry_on = [](const Error& error) { return error.code() == ErrorCode::connection_lost; }}, clock, always(0.5)};
  EXPECT_TRUE(only_lost_connections.retries(Error{ErrorCode::connection_lost, ""}));
  EXPECT_FALSE(only_lost_connections.retries(Error{ErrorCode::timeout, ""}));
  ScriptedCall timeout_call{{ErrorCode::timeout}};
  EXPECT_FALSE(only_lost_connections.call(timeout_call));
  EXPECT_EQ(timeout_call.calls(), 1);

  Retry everything{{.retry_on = [](const Error&) { return true; }}, clock, always(0.5)};
  EXPECT_FALSE(everything.retries(Error{ErrorCode::wrong_expected_version, ""}));
  ScriptedCall conflict_call{{ErrorCode::wrong_expected_version}};
  EXPECT_FALSE(everything.call(conflict_call));
  EXPECT_EQ(conflict_call.calls(), 1);
}

TEST(Retry, OnRetryIsToldOfEveryPause) {
  ManualClock clock;
  struct Told {
    int failed_attempt;
    ErrorCode code;
    Clock::duration pause;
  };
  std::vector<Told> told;
  Retry retry{{.base_delay = 10ms,
               .on_retry =
                   [&](const RetryAttempt& attempt) {
                     told.push_back({attempt.failed_attempt, attempt.error.code(), attempt.pause});
                   }},
              clock,
              always(largest_below_one)};
  ScriptedCall call{{ErrorCode::timeout, ErrorCode::connection_lost}};
  ASSERT_TRUE(retry.call(call));
  ASSERT_EQ(told.size(), 2u);
  EXPECT_EQ(told[0].failed_attempt, 1);
  EXPECT_EQ(told[0].code, ErrorCode::timeout);
  EXPECT_EQ(told[0].pause, Clock::duration{10ms});
  EXPECT_EQ(told[1].failed_attempt, 2);
  EXPECT_EQ(told[1].code, ErrorCode::connection_lost);
  EXPECT_EQ(told[1].pause, Clock::duration{20ms});
}

TEST(Retry, WorksForResultsWithoutAValue) {
  ManualClock clock;
  Retry retry{{}, clock, always(0.5)};
  int calls = 0;
  Result<void> result = retry.call([&]() -> Result<void> {
    if (++calls == 1) return std::unexpected(Error{ErrorCode::connection_lost, "gone"});
    return {};
  });
  EXPECT_TRUE(result);
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace eventstore
