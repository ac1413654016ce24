// A deadline becomes the statement_timeout the server gets: rounded up to
// whole milliseconds, never 0 (which would mean no limit), timeout once passed.
#include <gtest/gtest.h>

#include <chrono>
#include <limits>

#include "postgres/pq/statement_timeout.hpp"

namespace eventstore::detail::pq {
namespace {

using namespace std::chrono_literals;

const Deadline now = Deadline{} + 1h;

TEST(StatementTimeout, NothingWithoutADeadline) {
  auto timeout = statement_timeout_until(std::nullopt, now);
  ASSERT_TRUE(timeout);
  EXPECT_FALSE(timeout->has_value());
}

TEST(StatementTimeout, APassedDeadlineIsTimeout) {
  for (Deadline deadline : {now, now - 1ns, now - 1h}) {
    auto timeout = statement_timeout_until(deadline, now);
    ASSERT_FALSE(timeout);
    EXPECT_EQ(timeout.error().code(), ErrorCode::timeout);
    EXPECT_TRUE(timeout.error().retryable());
  }
}

TEST(StatementTimeout, TheTimeLeftRoundedUpToMilliseconds) {
  EXPECT_EQ(statement_timeout_until(now + 1ns, now).value(), 1ms);
  EXPECT_EQ(statement_timeout_until(now + 1ms, now).value(), 1ms);
  EXPECT_EQ(statement_timeout_until(now + 1500us, now).value(), 2ms);
  EXPECT_EQ(statement_timeout_until(now + 2s, now).value(), 2000ms);
}

TEST(StatementTimeout, AtMostWhatTheSettingHolds) {
  EXPECT_EQ(statement_timeout_until(now + 24h * 365, now).value(),
            std::chrono::milliseconds{std::numeric_limits<int>::max()});
}

}  // namespace
}  // namespace eventstore::detail::pq
