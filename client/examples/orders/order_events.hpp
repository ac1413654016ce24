// The events of an order: what happened, in the past tense, with the data
// a reader needs. Money is in cents of the order's currency.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace orders {

struct OrderPlaced {
  std::string customer;
  std::string currency;
};

// Schema version 3. Version 1 was {"sku", "qty", "price"} with the price in
// currency units; version 2 renamed "qty" to "quantity"; version 3 keeps
// prices in cents (see order_event_types.hpp for the upcasters).
struct LineAdded {
  std::string sku;
  std::int64_t quantity = 0;
  std::int64_t unit_price_cents = 0;
};

struct LineRemoved {
  std::string sku;
};

struct PaymentConfirmed {
  std::int64_t amount_cents = 0;
  std::string payment_reference;
};

struct OrderShipped {
  std::string carrier;
};

struct OrderCancelled {
  std::string reason;
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(OrderPlaced, customer, currency)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(LineAdded, sku, quantity, unit_price_cents)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(LineRemoved, sku)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PaymentConfirmed, amount_cents, payment_reference)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(OrderShipped, carrier)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(OrderCancelled, reason)

}  // namespace orders
