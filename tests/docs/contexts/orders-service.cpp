// A member of the orders service: its members as in orders_service.hpp.
#include <chrono>
#include <utility>

#include <eventstore/eventstore.hpp>

#include "orders.hpp"
#include "orders_service.hpp"

namespace docs_fragment {
using namespace orders;

class OrdersService {
 public:
  // @fragment

 private:
  eventstore::Client client_;
  eventstore::EventTypeRegistry registry_;
  eventstore::Repository<Order> repository_;
  eventstore::CommandMetrics metrics_;
  eventstore::IdempotencyStore idempotency_;
  eventstore::CommandBus bus_;
};
}  // namespace docs_fragment
