// The deadline middleware: handlers run inside a DeadlineScope; a sender's
// earlier deadline wins.
#include "eventstore/framework/middleware/deadline_middleware.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>

#include "../../client/examples/orders/orders.hpp"
#include "eventstore/framework/command_bus.hpp"
#include "eventstore/store/deadline.hpp"
#include "eventstore/testing/in_memory_event_store.hpp"

namespace eventstore {
namespace {

using namespace std::chrono_literals;

struct Probe {};

TEST(DeadlineMiddleware, HandlersRunWithinTheTimeLimit) {
  CommandBus bus;
  bus.use(deadline_middleware(250ms));
  std::optional<Deadline> seen;
  bus.handle<Probe>([&](const Probe&) -> CommandResult<CommandOutcome> {
    seen = DeadlineScope::current();
    return CommandOutcome{};
  });
  auto before = Deadline::clock::now();
  ASSERT_TRUE(bus.send(Probe{}));
  ASSERT_TRUE(seen);
  EXPECT_GE(*seen, before + 250ms);
  EXPECT_LE(*seen, Deadline::clock::now() + 250ms);
  EXPECT_FALSE(DeadlineScope::current());

  DeadlineScope sooner{Deadline::clock::now() + 10ms};
  ASSERT_TRUE(bus.send(Probe{}));
  EXPECT_EQ(*seen, *DeadlineScope::current());
}

TEST(DeadlineMiddleware, AnUpdatePastItsDeadlineTimesOut) {
  testing::InMemoryEventStore store;
  auto registry = orders::order_event_types();
  Repository<orders::Order> repository{store, registry};
  CommandBus bus;
  bus.use(deadline_middleware(0ms));
  orders::handle_order_commands(bus, repository);
  auto outcome = bus.send(orders::PlaceOrder{"1", "c-7", "EUR"});
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().store_error()->code(), ErrorCode::timeout);
  EXPECT_TRUE(store.recorded_events().empty());
}

}  // namespace
}  // namespace eventstore
