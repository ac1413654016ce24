// Command metrics: counters per command type and in total, and latencies.
#include "eventstore/framework/middleware/metrics_middleware.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "eventstore/framework/command_bus.hpp"

namespace eventstore {
namespace {

struct Work {
  int outcome = 0;  // 0 succeeds, 1 is rejected, 2 fails, 3 is invalid
  [[nodiscard]] Validation validate() const {
    Validation validation;
    validation.require(outcome != 3, "outcome", "must not be 3");
    return validation;
  }
};
struct Rest {};

TEST(MetricsMiddleware, CountsOutcomesConflictsEventsAndLatency) {
  CommandMetrics metrics;
  CommandBus bus;
  bus.use(metrics_middleware(metrics));
  bus.handle<Work>([](const Work& work) -> CommandResult<CommandOutcome> {
    std::this_thread::sleep_for(std::chrono::milliseconds{2});
    if (work.outcome == 1) return std::unexpected(CommandError::rejected(reject("no")));
    if (work.outcome == 2) return std::unexpected(CommandError::store_error(Error{ErrorCode::timeout, "slow"}));
    return CommandOutcome{.event_types = {"Worked", "Worked"}, .conflicts = 2};
  });
  bus.handle<Rest>([](const Rest&) -> CommandResult<CommandOutcome> { return CommandOutcome{}; });
  for (int outcome : {0, 0, 1, 2, 3}) (void)bus.send(Work{outcome});
  (void)bus.send(Rest{});

  auto by_type = metrics.by_command_type();
  ASSERT_EQ(by_type.size(), 2U);
  EXPECT_EQ(by_type[0].command_type, "Rest");
  const auto& work = by_type[1];
  EXPECT_EQ(work.command_type, "Work");
  EXPECT_EQ(work.sent, 5U);
  EXPECT_EQ(work.succeeded, 2U);
  EXPECT_EQ(work.rejected, 1U);
  EXPECT_EQ(work.failed, 1U);
  EXPECT_EQ(work.invalid, 1U);
  EXPECT_EQ(work.conflicts_retried, 4U);
  EXPECT_EQ(work.events_appended, 4U);
  EXPECT_EQ(work.latency.count(), 5U);
  EXPECT_GE(work.latency.max(), std::chrono::milliseconds{2});

  auto total = metrics.total();
  EXPECT_EQ(total.command_type, "all");
  EXPECT_EQ(total.sent, 6U);
  EXPECT_EQ(total.succeeded, 3U);
  EXPECT_EQ(total.latency.count(), 6U);
}

}  // namespace
}  // namespace eventstore
