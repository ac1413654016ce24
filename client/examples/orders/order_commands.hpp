// The commands of an order: what a customer or a clerk asks for. Each one
// checks its own fields (validate(), no I/O); the order decides the rest.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

#include <eventstore/framework/validation.hpp>

namespace orders {

inline void require_order_id(eventstore::Validation& validation, const std::string& order_id) {
  validation.require(!order_id.empty(), "order_id", "must not be empty");
}

struct PlaceOrder {
  std::string order_id;
  std::string customer;
  std::string currency = "EUR";

  [[nodiscard]] eventstore::Validation validate() const {
    eventstore::Validation validation;
    require_order_id(validation, order_id);
    validation.require(!customer.empty(), "customer", "must not be empty");
    validation.require(
        currency.size() == 3 && std::ranges::all_of(currency, [](char c) { return c >= 'A' && c <= 'Z'; }), "currency",
        "must be three capital letters");
    return validation;
  }
};

struct AddLine {
  std::string order_id;
  std::string sku;
  std::int64_t quantity = 0;
  std::int64_t unit_price_cents = 0;

  [[nodiscard]] eventstore::Validation validate() const {
    eventstore::Validation validation;
    require_order_id(validation, order_id);
    validation.require(!sku.empty(), "sku", "must not be empty");
    validation.require(quantity > 0 && quantity <= 1000, "quantity", "must be between 1 and 1000");
    validation.require(unit_price_cents > 0, "unit_price_cents", "must be positive");
    return validation;
  }
};

struct RemoveLine {
  std::string order_id;
  std::string sku;

  [[nodiscard]] eventstore::Validation validate() const {
    eventstore::Validation validation;
    require_order_id(validation, order_id);
    validation.require(!sku.empty(), "sku", "must not be empty");
    return validation;
  }
};

struct ConfirmPayment {
  std::string order_id;
  std::int64_t amount_cents = 0;
  std::string payment_reference;

  [[nodiscard]] eventstore::Validation validate() const {
    eventstore::Validation validation;
    require_order_id(validation, order_id);
    validation.require(amount_cents > 0, "amount_cents", "must be positive");
    validation.require(!payment_reference.empty(), "payment_reference", "must not be empty");
    return validation;
  }
};

struct ShipOrder {
  std::string order_id;
  std::string carrier;

  [[nodiscard]] eventstore::Validation validate() const {
    eventstore::Validation validation;
    require_order_id(validation, order_id);
    validation.require(!carrier.empty(), "carrier", "must not be empty");
    return validation;
  }
};

struct CancelOrder {
  std::string order_id;
  std::string reason;

  [[nodiscard]] eventstore::Validation validate() const {
    eventstore::Validation validation;
    require_order_id(validation, order_id);
    validation.require(!reason.empty(), "reason", "must not be empty");
    return validation;
  }
};

}  // namespace orders
