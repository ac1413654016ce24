// More tests of the orders sample's rules: the fixture and the events of the
// file's beginning (shown in the block before).
#include <gtest/gtest.h>

#include <eventstore/framework.hpp>
#include <eventstore/testing.hpp>

#include "orders.hpp"

namespace orders {
namespace {

class OrderRules : public ::testing::Test, protected eventstore::testing::GivenWhenThen {
 protected:
  OrderRules() : GivenWhenThen{order_event_types()} { aggregate<Order>(handle_order_commands); }
};

const OrderPlaced placed{"c-7", "EUR"};

// @fragment
}  // namespace
}  // namespace orders
