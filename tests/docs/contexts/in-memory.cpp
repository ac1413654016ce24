// Statements of a program on the test kit's in-memory store, with the orders
// sample's event types.
#include <eventstore/framework.hpp>
#include <eventstore/testing.hpp>

#include "orders.hpp"

namespace docs_fragment {

void run() {
  eventstore::testing::InMemoryEventStore store;
  const auto registry = orders::order_event_types();
  // @fragment
}
}  // namespace docs_fragment
