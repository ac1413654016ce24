// The given/when/then fixture itself: it passes what matches and fails,
// with both sides written out, what does not.
#include "eventstore/testing/given_when_then.hpp"

#include <gtest/gtest.h>

#include "../../client/examples/orders/orders.hpp"

namespace eventstore {
namespace {

using namespace orders;
using testing::ScenarioFailure;

class GivenWhenThenTest : public ::testing::Test, protected testing::GivenWhenThen {
 protected:
  GivenWhenThenTest() : GivenWhenThen{order_event_types()} { aggregate<Order>(handle_order_commands); }

  // The message of the ScenarioFailure `check` throws; fails the test if it throws none.
  template <class Check>
  std::string failure_of(Check check) {
    try {
      check();
    } catch (const ScenarioFailure& failure) {
      return failure.what();
    }
    ADD_FAILURE() << "the scenario passed";
    return {};
  }
};

TEST_F(GivenWhenThenTest, FailsWhenOtherEventsAreAppended) {
  auto message = failure_of([&] {
    given<Order>(OrderPlaced{"c-7", "EUR"}).when(AddLine{"42", "A-1", 2, 100}).then(LineAdded{"A-1", 3, 100});
  });
  EXPECT_NE(message.find("expected 1 event:\n  LineAdded {\"quantity\":3,\"sku\":\"A-1\",\"unit_price_cents\":100}"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("but the command appended 1 event:\n  LineAdded {\"quantity\":2"), std::string::npos)
      << message;
  EXPECT_NE(message.find("when AddLine"), std::string::npos) << message;
}

TEST_F(GivenWhenThenTest, FailsWhenMoreOrFewerEventsAreAppended) {
  EXPECT_FALSE(failure_of([&] {
                 given<Order>(OrderPlaced{"c-7", "EUR"}).when(AddLine{"42", "A-1", 2, 100}).then_nothing();
               }).empty());
  EXPECT_FALSE(failure_of([&] {
                 given<Order>(OrderPlaced{"c-7", "EUR"})
                     .when(AddLine{"42", "A-1", 2, 100})
                     .then(LineAdded{"A-1", 2, 100}, LineAdded{"A-1", 2, 100});
               }).empty());
}

TEST_F(GivenWhenThenTest, FailsWhenTheCommandFailsInsteadOfAppending) {
  auto message = failure_of([&] { given<Order>().when(ShipOrder{"42", "DHL"}).then(OrderShipped{"DHL"}); });
  EXPECT_NE(message.find("but the command failed: rejected: order does not exist"), std::string::npos) << message;
}

TEST_F(GivenWhenThenTest, FailsWhenTheCommandSucceedsOrFailsOtherwise) {
  auto succeeded = failure_of([&] { given<Order>().when(PlaceOrder{"42", "c-7", "EUR"}).then_error("no"); });
  EXPECT_NE(succeeded.find("but the command succeeded and appended 1 event"), std::string::npos) << succeeded;
  auto other = failure_of([&] { given<Order>().when(ShipOrder{"42", "DHL"}).then_error("order is not paid"); });
  EXPECT_NE(other.find("but got rejected: order does not exist"), std::string::npos) << other;
}

TEST_F(GivenWhenThenTest, GivesTheHistoryToTheAggregateTheCommandAddresses) {
  auto scenario = given<Order>(OrderPlaced{"c-7", "EUR"}, LineAdded{"A-1", 2, 100});
  scenario.when(ConfirmPayment{"any-id", 200, "pay-1"}).then(PaymentConfirmed{200, "pay-1"});
  ASSERT_EQ(scenario.new_events().size(), 1U);
  EXPECT_EQ(scenario.new_events().front().stream.value(), "order-any-id");
  EXPECT_EQ(scenario.new_events().front().version, StreamVersion{2});
  EXPECT_EQ(scenario.state("any-id").status, OrderStatus::paid);
  EXPECT_EQ(scenario.outcome()->conflicts, 0);
}

TEST_F(GivenWhenThenTest, RefusesMisuse) {
  EXPECT_THROW((void)given<Order>().outcome(), ScenarioFailure);
  auto scenario = given<Order>();
  scenario.when(PlaceOrder{"1", "c", "EUR"});
  EXPECT_THROW(scenario.when(PlaceOrder{"1", "c", "EUR"}), ScenarioFailure);

  struct Unwired {
    using Event = std::variant<OrderPlaced>;
    void apply(const OrderPlaced&) {}
  };
  EXPECT_THROW((void)given<Unwired>(), ScenarioFailure);
}

TEST_F(GivenWhenThenTest, RunsWithSnapshotsWhenTheOptionsAskForThem) {
  aggregate<Order>(handle_order_commands, {.snapshots = snapshot_every(2)});
  auto scenario = given<Order>(OrderPlaced{"c-7", "EUR"}, LineAdded{"A-1", 1, 100});
  scenario.when(AddLine{"42", "B-2", 1, 100}).then(LineAdded{"B-2", 1, 100});
  EXPECT_EQ(scenario.state("42").lines.size(), 2U);
}

}  // namespace
}  // namespace eventstore
