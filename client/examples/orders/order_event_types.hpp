// The order events' names in the store, their schema versions, and the
// upcasters that read LineAdded events written by earlier versions.
#pragma once

#include <cmath>
#include <cstdint>

#include <eventstore/framework/event_type_registry.hpp>

#include "order_events.hpp"

namespace orders {

[[nodiscard]] inline eventstore::EventTypeRegistry order_event_types() {
  eventstore::EventTypeRegistry registry;
  registry.add<OrderPlaced>("OrderPlaced");
  registry
      .add<LineAdded>("LineAdded", 3)
      // Version 1 -> 2: "qty" became "quantity".
      .upcast(1,
              [](nlohmann::json data) {
                data["quantity"] = data.at("qty");
                data.erase("qty");
                return data;
              })
      // Version 2 -> 3: the price in currency units became unit_price_cents.
      .upcast(2, [](nlohmann::json data) {
        data["unit_price_cents"] = static_cast<std::int64_t>(std::llround(data.at("price").get<double>() * 100));
        data.erase("price");
        return data;
      });
  registry.add<LineRemoved>("LineRemoved");
  registry.add<PaymentConfirmed>("PaymentConfirmed");
  registry.add<OrderShipped>("OrderShipped");
  registry.add<OrderCancelled>("OrderCancelled");
  return registry;
}

}  // namespace orders
