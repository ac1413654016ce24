// Idempotency by command id: a repeated command gets the first outcome and
// is not executed again; errors that may pass are not kept; the store is
// bounded; concurrent duplicates run once.
#include "eventstore/framework/middleware/idempotency_middleware.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "eventstore/framework/command_bus.hpp"

namespace eventstore {
namespace {

struct Charge {
  int amount = 0;
};
struct Refund {};

class IdempotencyMiddlewareTest : public ::testing::Test {
 protected:
  IdempotencyMiddlewareTest() {
    bus.use(idempotency_middleware(store));
    bus.handle<Charge>([this](const Charge& charge) -> CommandResult<CommandOutcome> {
      ++executions;
      if (charge.amount < 0) return std::unexpected(CommandError::rejected(reject("negative amount")));
      if (charge.amount == 0)
        return std::unexpected(CommandError::store_error(Error{ErrorCode::connection_lost, "gone"}));
      std::this_thread::sleep_for(std::chrono::milliseconds{charge.amount > 100 ? 20 : 0});
      return CommandOutcome{.stream = "account-1", .version = StreamVersion{executions.load()}};
    });
    bus.handle<Refund>([](const Refund&) -> CommandResult<CommandOutcome> { return CommandOutcome{}; });
  }

  IdempotencyStore store{3};
  CommandBus bus;
  std::atomic<int> executions{0};
};

TEST_F(IdempotencyMiddlewareTest, ARepeatedCommandIdGetsTheFirstOutcome) {
  auto first = bus.send(Charge{10}, {.command_id = "charge-1"});
  auto second = bus.send(Charge{10}, {.command_id = "charge-1"});
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_EQ(executions, 1);
  EXPECT_FALSE(first->repeated);
  EXPECT_TRUE(second->repeated);
  EXPECT_EQ(second->version, first->version);
  EXPECT_EQ(store.repeats(), 1U);
  ASSERT_TRUE(bus.send(Charge{10}, {.command_id = "charge-2"}));
  EXPECT_EQ(executions, 2);
}

TEST_F(IdempotencyMiddlewareTest, RejectionsAreKeptButErrorsThatMayPassAreNot) {
  EXPECT_FALSE(bus.send(Charge{-1}, {.command_id = "refused"}));
  auto again = bus.send(Charge{-1}, {.command_id = "refused"});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message(), "negative amount");
  EXPECT_EQ(executions, 1);

  EXPECT_FALSE(bus.send(Charge{0}, {.command_id = "lost"}));
  EXPECT_FALSE(bus.send(Charge{0}, {.command_id = "lost"}));
  EXPECT_EQ(executions, 3);
}

TEST_F(IdempotencyMiddlewareTest, AnIdUsedByAnotherCommandTypeIsInvalid) {
  ASSERT_TRUE(bus.send(Charge{10}, {.command_id = "shared"}));
  auto refund = bus.send(Refund{}, {.command_id = "shared"});
  ASSERT_FALSE(refund);
  EXPECT_EQ(refund.error().kind(), CommandErrorKind::invalid_command);
  EXPECT_EQ(refund.error().validation_errors().front().field, "command_id");
}

TEST_F(IdempotencyMiddlewareTest, KeepsOnlyTheNewestOutcomes) {
  for (const char* id : {"a", "b", "c", "d"}) ASSERT_TRUE(bus.send(Charge{1}, {.command_id = id}));
  EXPECT_EQ(store.size(), 3U);
  ASSERT_TRUE(bus.send(Charge{1}, {.command_id = "d"}));
  EXPECT_EQ(executions, 4);
  ASSERT_TRUE(bus.send(Charge{1}, {.command_id = "a"}));  // forgotten: executed again
  EXPECT_EQ(executions, 5);
}

TEST_F(IdempotencyMiddlewareTest, ConcurrentDuplicatesRunOnce) {
  std::atomic<int> repeated{0};
  {
    std::vector<std::jthread> senders;
    for (int sender = 0; sender < 4; ++sender)
      senders.emplace_back([&] {
        auto outcome = bus.send(Charge{500}, {.command_id = "slow"});
        ASSERT_TRUE(outcome);
        if (outcome->repeated) ++repeated;
      });
  }
  EXPECT_EQ(executions, 1);
  EXPECT_EQ(repeated, 3);
}

}  // namespace
}  // namespace eventstore
