// The order's shipping rules in the decider style, the alternative to the
// Order aggregate's members: the state is plain data, free evolve()
// functions apply the events, and free decide() functions take the command
// and the state. The Repository works with either style:
//
//   eventstore::Repository<orders::decider::Shipping> shipping{client, registry};
//   shipping.update("42", [&](const auto& state) { return orders::decider::decide(command, state); });
//
// It reads the same order streams as Order (the category is "order") and
// knows only what shipping needs.
#pragma once

#include <cstdint>
#include <string_view>
#include <variant>

#include <eventstore/framework/aggregate.hpp>
#include <eventstore/framework/decision.hpp>

#include "order_commands.hpp"
#include "order_events.hpp"

namespace orders::decider {

struct Shipping {
  using Event = std::variant<OrderPlaced, LineAdded, LineRemoved, PaymentConfirmed, OrderShipped, OrderCancelled>;
  static constexpr std::string_view category = "order";

  bool placed = false;
  bool paid = false;
  bool shipped = false;
  bool cancelled = false;
};

// Events a shipping decision does not depend on leave the state as it is.
inline Shipping evolve(const Shipping& state, const OrderPlaced&) {
  return {true, state.paid, state.shipped, state.cancelled};
}
inline Shipping evolve(const Shipping& state, const LineAdded&) { return state; }
inline Shipping evolve(const Shipping& state, const LineRemoved&) { return state; }
inline Shipping evolve(const Shipping& state, const PaymentConfirmed&) {
  return {state.placed, true, state.shipped, state.cancelled};
}
inline Shipping evolve(const Shipping& state, const OrderShipped&) {
  return {state.placed, state.paid, true, state.cancelled};
}
inline Shipping evolve(const Shipping& state, const OrderCancelled&) {
  return {state.placed, state.paid, state.shipped, true};
}

inline eventstore::Decision<OrderShipped> decide(const ShipOrder& command, const Shipping& state) {
  if (!state.placed) return eventstore::reject("order does not exist");
  if (state.cancelled) return eventstore::reject("order is cancelled");
  if (state.shipped) return eventstore::reject("order already shipped");
  if (!state.paid) return eventstore::reject("order is not paid");
  return OrderShipped{command.carrier};
}

static_assert(eventstore::Aggregate<Shipping>, "a decider's state is an aggregate too");

}  // namespace orders::decider
