// How the bus handles order commands: each one is a Repository::update of
// the order it names, deciding with the order's own command method.
#pragma once

#include <eventstore/framework/command_bus.hpp>
#include <eventstore/framework/repository.hpp>

#include "order.hpp"
#include "order_commands.hpp"

namespace orders {

inline void handle_order_commands(eventstore::CommandBus& bus, eventstore::Repository<Order>& orders) {
  bus.handle<PlaceOrder>([&orders](const PlaceOrder& command) {
    return orders.update(command.order_id, [&](const Order& order) { return order.place(command); });
  });
  bus.handle<AddLine>([&orders](const AddLine& command) {
    return orders.update(command.order_id, [&](const Order& order) { return order.add_line(command); });
  });
  bus.handle<RemoveLine>([&orders](const RemoveLine& command) {
    return orders.update(command.order_id, [&](const Order& order) { return order.remove_line(command); });
  });
  bus.handle<ConfirmPayment>([&orders](const ConfirmPayment& command) {
    return orders.update(command.order_id, [&](const Order& order) { return order.confirm_payment(command); });
  });
  bus.handle<ShipOrder>([&orders](const ShipOrder& command) {
    return orders.update(command.order_id, [&](const Order& order) { return order.ship(command); });
  });
  bus.handle<CancelOrder>([&orders](const CancelOrder& command) {
    return orders.update(command.order_id, [&](const Order& order) { return order.cancel(command); });
  });
}

}  // namespace orders
