// The retry middleware: commands that failed with an error that may pass are
// sent again with the Retry's backoff; everything else is returned at once.
// Time is a ManualClock.
#include "eventstore/framework/middleware/retry_middleware.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "eventstore/framework/command_bus.hpp"
#include "eventstore/testing/manual_clock.hpp"

namespace eventstore {
namespace {

struct Attempt {};

class RetryMiddlewareTest : public ::testing::Test {
 protected:
  void fail_with(std::vector<CommandError> failures) {
    failures_ = std::move(failures);
    bus.use(
        retry_middleware(std::make_shared<const Retry>(RetryOptions{.max_attempts = 4}, clock, [] { return 0.5; })));
    bus.handle<Attempt>([this](const Attempt&) -> CommandResult<CommandOutcome> {
      ++attempts;
      if (static_cast<std::size_t>(attempts) <= failures_.size())
        return std::unexpected(failures_[static_cast<std::size_t>(attempts) - 1]);
      return CommandOutcome{.conflicts = attempts};
    });
  }

  static CommandError store_error(ErrorCode code, bool outcome_unknown = false) {
    return CommandError::store_error(Error{code, "scripted"}, outcome_unknown);
  }

  testing::ManualClock clock;
  CommandBus bus;
  int attempts = 0;

 private:
  std::vector<CommandError> failures_;
};

TEST_F(RetryMiddlewareTest, RetriesErrorsThatMayPass) {
  fail_with({store_error(ErrorCode::connection_lost), store_error(ErrorCode::pool_exhausted)});
  auto outcome = bus.send(Attempt{});
  ASSERT_TRUE(outcome) << outcome.error().describe();
  EXPECT_EQ(attempts, 3);
  EXPECT_EQ(clock.pauses().size(), 2U);
}

TEST_F(RetryMiddlewareTest, GivesUpAfterTheLastAttemptWithTheLastError) {
  fail_with({store_error(ErrorCode::timeout), store_error(ErrorCode::timeout), store_error(ErrorCode::timeout),
             store_error(ErrorCode::server_shutdown)});
  auto outcome = bus.send(Attempt{});
  ASSERT_FALSE(outcome);
  EXPECT_EQ(attempts, 4);
  EXPECT_EQ(outcome.error().store_error()->code(), ErrorCode::server_shutdown);
}

TEST_F(RetryMiddlewareTest, LeavesAloneWhatWouldNotPass) {
  fail_with({CommandError::rejected(reject("no"))});
  EXPECT_FALSE(bus.send(Attempt{}));
  EXPECT_EQ(attempts, 1);
}

TEST_F(RetryMiddlewareTest, NeverRetriesAnAppendWhoseOutcomeIsUnknown) {
  fail_with({store_error(ErrorCode::connection_lost, /*outcome_unknown=*/true)});
  auto outcome = bus.send(Attempt{});
  ASSERT_FALSE(outcome);
  EXPECT_TRUE(outcome.error().outcome_unknown());
  EXPECT_EQ(attempts, 1);
  EXPECT_TRUE(clock.pauses().empty());
}

}  // namespace
}  // namespace eventstore
