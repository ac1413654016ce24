// The business rules of the orders sample, as given/when/then scenarios run
// through the sample's own command handlers on the in-memory store.
#include <gtest/gtest.h>

#include "../../client/examples/orders/orders.hpp"
#include "eventstore/testing/given_when_then.hpp"

namespace orders {
namespace {

class OrderRules : public ::testing::Test, protected eventstore::testing::GivenWhenThen {
 protected:
  OrderRules() : GivenWhenThen{order_event_types()} { aggregate<Order>(handle_order_commands); }
};

const OrderPlaced placed{"c-7", "EUR"};
const LineAdded two_books{"BOOK-1", 2, 1250};
const LineAdded one_pen{"PEN-9", 1, 199};
const PaymentConfirmed paid{2699, "pay-1"};
const OrderShipped shipped{"DHL"};

TEST_F(OrderRules, AnOrderIsPlacedOnce) {
  given<Order>().when(PlaceOrder{"42", "c-7", "EUR"}).then(OrderPlaced{"c-7", "EUR"});
  given<Order>(placed).when(PlaceOrder{"42", "c-7", "EUR"}).then_error("order already placed");
}

TEST_F(OrderRules, LinesAreAddedAndRemovedWhileTheOrderIsOpen) {
  given<Order>(placed).when(AddLine{"42", "BOOK-1", 2, 1250}).then(two_books);
  given<Order>(placed, two_books).when(AddLine{"42", "BOOK-1", 1, 1250}).then(LineAdded{"BOOK-1", 1, 1250});
  given<Order>(placed, two_books).when(RemoveLine{"42", "BOOK-1"}).then(LineRemoved{"BOOK-1"});
  given<Order>(placed, two_books).when(RemoveLine{"42", "PEN-9"}).then_error("order has no line for PEN-9");
  given<Order>(placed, two_books)
      .when(AddLine{"42", "BOOK-1", 1, 999})
      .then_error("product BOOK-1 is on the order at another price");
}

TEST_F(OrderRules, NothingChangesOnAnOrderThatDoesNotExist) {
  given<Order>().when(AddLine{"42", "BOOK-1", 2, 1250}).then_error("order does not exist");
  given<Order>().when(ConfirmPayment{"42", 100, "pay-1"}).then_error("order does not exist");
  given<Order>().when(ShipOrder{"42", "DHL"}).then_error("order does not exist");
  given<Order>().when(CancelOrder{"42", "changed my mind"}).then_error("order does not exist");
}

TEST_F(OrderRules, APaymentMustCoverANonEmptyOrderExactly) {
  given<Order>(placed, two_books, one_pen).when(ConfirmPayment{"42", 2699, "pay-1"}).then(paid);
  given<Order>(placed).when(ConfirmPayment{"42", 100, "pay-1"}).then_error("order is empty");
  given<Order>(placed, two_books, LineRemoved{"BOOK-1"})
      .when(ConfirmPayment{"42", 2500, "pay-1"})
      .then_error("order is empty");
  given<Order>(placed, two_books)
      .when(ConfirmPayment{"42", 2499, "pay-1"})
      .then_error("payment does not match the total");
  given<Order>(placed, two_books, one_pen, paid)
      .when(ConfirmPayment{"42", 2699, "pay-2"})
      .then_error("order is already paid");
}

TEST_F(OrderRules, OnlyAPaidOrderShipsAndOnlyOnce) {
  given<Order>(placed, two_books, one_pen, paid).when(ShipOrder{"42", "DHL"}).then(shipped);
  given<Order>(placed, two_books).when(ShipOrder{"42", "DHL"}).then_error("order is not paid");
  given<Order>(placed, two_books, one_pen, paid, shipped)
      .when(ShipOrder{"42", "UPS"})
      .then_error("order already shipped");
}

TEST_F(OrderRules, NothingChangesAfterPaymentOrShipping) {
  given<Order>(placed, two_books, one_pen, paid)
      .when(AddLine{"42", "PEN-9", 1, 199})
      .then_error("order is already paid");
  given<Order>(placed, two_books, one_pen, paid, shipped)
      .when(AddLine{"42", "PEN-9", 1, 199})
      .then_error("order already shipped");
  given<Order>(placed, two_books, one_pen, paid, shipped)
      .when(RemoveLine{"42", "PEN-9"})
      .then_error("order already shipped");
}

TEST_F(OrderRules, AnOrderIsCancelledOnceAndNotAfterShipping) {
  given<Order>(placed, two_books).when(CancelOrder{"42", "changed my mind"}).then(OrderCancelled{"changed my mind"});
  given<Order>(placed, two_books, one_pen, paid).when(CancelOrder{"42", "late"}).then(OrderCancelled{"late"});
  given<Order>(placed, two_books, one_pen, paid, shipped)
      .when(CancelOrder{"42", "too late"})
      .then_error("a shipped order cannot be cancelled");
  given<Order>(placed, OrderCancelled{"first"}).when(CancelOrder{"42", "again"}).then_error("order already cancelled");
  given<Order>(placed, two_books, OrderCancelled{"first"})
      .when(ShipOrder{"42", "DHL"})
      .then_error("order is cancelled");
  given<Order>(placed, two_books, OrderCancelled{"first"})
      .when(AddLine{"42", "PEN-9", 1, 199})
      .then_error("order is cancelled");
}

TEST_F(OrderRules, CommandsAreValidatedBeforeTheOrderIsLoaded) {
  given<Order>(placed).when(AddLine{"42", "", 0, 199}).then_error("quantity: must be between 1 and 1000");
  given<Order>(placed).when(AddLine{"42", "", 0, 199}).then_error("sku: must not be empty");
  given<Order>().when(PlaceOrder{"42", "c-7", "euro"}).then_error("must be three capital letters");
  given<Order>(placed).when(ConfirmPayment{"42", 0, ""}).then_error("payment_reference: must not be empty");
}

TEST_F(OrderRules, LinesAddedByTheFirstVersionCountTowardsTheTotal) {
  // Stored as version 1 wrote it: "qty", and the price in euros; no schema version in the metadata.
  auto old_line = eventstore::EventData::create("LineAdded", R"({"sku": "BOOK-1", "qty": 2, "price": 12.5})");
  given<Order>(placed, old_line).when(ConfirmPayment{"42", 2500, "pay-1"}).then(PaymentConfirmed{2500, "pay-1"});
  given<Order>(placed, old_line).when(AddLine{"42", "BOOK-1", 1, 1250}).then(LineAdded{"BOOK-1", 1, 1250});
}

}  // namespace
}  // namespace orders
