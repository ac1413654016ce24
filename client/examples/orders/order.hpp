// The order aggregate: its state is built from its events (apply), and its
// command methods decide new events or reject the command by the business
// rules:
//
// - an order is placed once; every other command needs a placed order;
// - lines change only while the order is neither paid, shipped nor cancelled;
//   a line is removed only if the order has it; a product keeps one price;
// - an empty order cannot be paid, and a payment must match the total;
// - only a paid order ships, and only once;
// - a shipped order cannot be cancelled, and an order is cancelled once.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <eventstore/framework/decision.hpp>
#include <nlohmann/json.hpp>

#include "order_commands.hpp"
#include "order_events.hpp"

namespace orders {

enum class OrderStatus { none, placed, paid, shipped, cancelled };

NLOHMANN_JSON_SERIALIZE_ENUM(OrderStatus, {{OrderStatus::none, "none"},
                                           {OrderStatus::placed, "placed"},
                                           {OrderStatus::paid, "paid"},
                                           {OrderStatus::shipped, "shipped"},
                                           {OrderStatus::cancelled, "cancelled"}})

struct OrderLine {
  std::int64_t quantity = 0;
  std::int64_t unit_price_cents = 0;

  friend bool operator==(const OrderLine&, const OrderLine&) = default;
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(OrderLine, quantity, unit_price_cents)

struct Order {
  using Event = std::variant<OrderPlaced, LineAdded, LineRemoved, PaymentConfirmed, OrderShipped, OrderCancelled>;
  static constexpr std::string_view category = "order";
  // The shape of Order's JSON below; raise it when the shape changes.
  static constexpr int state_schema_version = 1;

  OrderStatus status = OrderStatus::none;
  std::string customer;
  std::string currency;
  std::map<std::string, OrderLine> lines;
  std::int64_t paid_cents = 0;
  std::string carrier;

  [[nodiscard]] std::int64_t total_cents() const {
    std::int64_t total = 0;
    for (const auto& [sku, line] : lines) total += line.quantity * line.unit_price_cents;
    return total;
  }

  void apply(const OrderPlaced& event) {
    status = OrderStatus::placed;
    customer = event.customer;
    currency = event.currency;
  }
  void apply(const LineAdded& event) {
    OrderLine& line = lines[event.sku];
    line.quantity += event.quantity;
    line.unit_price_cents = event.unit_price_cents;
  }
  void apply(const LineRemoved& event) { lines.erase(event.sku); }
  void apply(const PaymentConfirmed& event) {
    status = OrderStatus::paid;
    paid_cents = event.amount_cents;
  }
  void apply(const OrderShipped& event) {
    status = OrderStatus::shipped;
    carrier = event.carrier;
  }
  void apply(const OrderCancelled&) { status = OrderStatus::cancelled; }

  [[nodiscard]] eventstore::Decision<OrderPlaced> place(const PlaceOrder& command) const {
    if (status != OrderStatus::none) return eventstore::reject("order already placed");
    return OrderPlaced{command.customer, command.currency};
  }

  [[nodiscard]] eventstore::Decision<LineAdded> add_line(const AddLine& command) const {
    if (auto refusal = refuse_changes()) return *refusal;
    if (auto line = lines.find(command.sku);
        line != lines.end() && line->second.unit_price_cents != command.unit_price_cents)
      return eventstore::reject("product " + command.sku + " is on the order at another price");
    return LineAdded{command.sku, command.quantity, command.unit_price_cents};
  }

  [[nodiscard]] eventstore::Decision<LineRemoved> remove_line(const RemoveLine& command) const {
    if (auto refusal = refuse_changes()) return *refusal;
    if (!lines.contains(command.sku)) return eventstore::reject("order has no line for " + command.sku);
    return LineRemoved{command.sku};
  }

  [[nodiscard]] eventstore::Decision<PaymentConfirmed> confirm_payment(const ConfirmPayment& command) const {
    if (auto refusal = refuse_changes()) return *refusal;
    if (lines.empty()) return eventstore::reject("order is empty");
    if (command.amount_cents != total_cents()) return eventstore::reject("payment does not match the total");
    return PaymentConfirmed{command.amount_cents, command.payment_reference};
  }

  [[nodiscard]] eventstore::Decision<OrderShipped> ship(const ShipOrder& command) const {
    if (status == OrderStatus::none) return eventstore::reject("order does not exist");
    if (status == OrderStatus::cancelled) return eventstore::reject("order is cancelled");
    if (status == OrderStatus::shipped) return eventstore::reject("order already shipped");
    if (status != OrderStatus::paid) return eventstore::reject("order is not paid");
    return OrderShipped{command.carrier};
  }

  [[nodiscard]] eventstore::Decision<OrderCancelled> cancel(const CancelOrder& command) const {
    if (status == OrderStatus::none) return eventstore::reject("order does not exist");
    if (status == OrderStatus::shipped) return eventstore::reject("a shipped order cannot be cancelled");
    if (status == OrderStatus::cancelled) return eventstore::reject("order already cancelled");
    return OrderCancelled{command.reason};
  }

  friend bool operator==(const Order&, const Order&) = default;

 private:
  // Why the lines and the payment can no longer change, if they cannot.
  [[nodiscard]] std::optional<eventstore::Rejection> refuse_changes() const {
    switch (status) {
      case OrderStatus::none: return eventstore::reject("order does not exist");
      case OrderStatus::paid: return eventstore::reject("order is already paid");
      case OrderStatus::shipped: return eventstore::reject("order already shipped");
      case OrderStatus::cancelled: return eventstore::reject("order is cancelled");
      case OrderStatus::placed: return std::nullopt;
    }
    return std::nullopt;
  }
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Order, status, customer, currency, lines, paid_cents, carrier)

}  // namespace orders
